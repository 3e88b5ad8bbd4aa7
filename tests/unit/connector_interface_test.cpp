// The parts of the Connector interface every connector has, with defaults: what a PSA does not
// offer answers "not supported" in words a partner can read, and each connector's supported
// commands are commands Switchyard knows.
#include <gtest/gtest.h>

#include <algorithm>

#include "common/command.h"
#include "connectors/registry.h"

namespace switchyard::connectors {
namespace {

class NoCalls : public PsaHttp {
 public:
  Result<http::ClientResponse> send(const http::ClientRequest&) override {
    ADD_FAILURE() << "a default must not call the PSA";
    return make_error("unexpected", "");
  }
};

// A connector that implements only what every connector must: the defaults answer the rest.
class BareConnector : public Connector {
 public:
  std::string_view name() const override { return "bare"; }
  std::string_view display_name() const override { return "Bare PSA"; }
  const ConnectorSpec& spec() const override { return spec_; }
  Status verify_webhook(const Tenant&, const WebhookRequest&) const override { return ok_status(); }
  Result<std::vector<Change>> decode_webhook(const Tenant&, std::string_view) const override {
    return std::vector<Change>{};
  }
  Result<PollResult> poll(const Tenant&, PsaHttp&, const PollRequest&) const override { return PollResult{}; }
  WriteOutcome execute(const Tenant&, const Command&, PsaHttp&, WriteMemo&) const override {
    return WriteOutcome::rejected("none");
  }

 protected:
  Result<canonical::Record> map_to_canonical(const Envelope&, simdjson::dom::parser&,
                                             const MappingLookup&) const override {
    return make_error("none", "none");
  }

 private:
  ConnectorSpec spec_;
};

TEST(ConnectorInterfaceTest, WhatAPsaDoesNotOfferIsNotSupportedInPlainWords) {
  const BareConnector bare;
  Tenant tenant;
  tenant.id = "acme";
  tenant.psa = "bare";
  NoCalls http;
  auto report = bare.test_connection(tenant, http);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code, kNotSupported);
  EXPECT_EQ(report.error().message, "Bare PSA does not support a connection test");
  EXPECT_EQ(bare.lookup(tenant, http, {.list = "boards"}).error().message, "Bare PSA does not support the set-up list \"boards\"");
  EXPECT_EQ(bare.fetch_record(tenant, http, "ticket", "42").error().code, kNotSupported);
  EXPECT_EQ(bare.register_webhooks(tenant, http, "https://hooks.example/x").error().code, kNotSupported);
  EXPECT_EQ(bare.unregister_webhooks(tenant, http, "https://hooks.example/x").error().code, kNotSupported);
  EXPECT_EQ(bare.webhook_key_url(tenant, "{}").value(), std::nullopt);
  EXPECT_FALSE(bare.webhook_signal(tenant, R"({"Action":"Deactivated"})").has_value());
  EXPECT_EQ(bare.token_source(), nullptr);
  EXPECT_TRUE(bare.supported_commands().empty());
  EXPECT_EQ(builtin_registry().find("connectwise")->token_source(), nullptr) << "ConnectWise uses static credentials";
}

TEST(ConnectorInterfaceTest, SupportedCommandsAreKnownCommandTypes) {
  for (std::string_view psa : {"connectwise", "autotask"}) {
    const Connector* c = builtin_registry().find(psa);
    ASSERT_NE(c, nullptr) << psa;
    EXPECT_FALSE(c->display_name().empty());
    for (std::string_view type : c->supported_commands()) {
      const std::string json = R"({"command_version":1,"id":"c1","tenant":"t","type":")" + std::string(type) +
                               R"(","payload":{}})";
      auto parsed = command_from_json(json);
      // A known type with an empty payload fails on a payload field, never on the type.
      if (!parsed) {
        EXPECT_NE(parsed.error().code, "unknown_command_type") << psa << " declares " << type;
      }
    }
  }
  const auto autotask = builtin_registry().find("autotask")->supported_commands();
  EXPECT_EQ(autotask, (std::vector<std::string_view>{"ticket.upsert", "ticket.close", "billing_line.add",
                                                      "ticket.note", "configuration.upsert"}));
  const auto connectwise = builtin_registry().find("connectwise")->supported_commands();
  EXPECT_EQ(connectwise, (std::vector<std::string_view>{"ticket.upsert", "ticket.close", "ticket.note",
                                                         "billing_line.add", "configuration.upsert"}));
}

}  // namespace
}  // namespace switchyard::connectors
