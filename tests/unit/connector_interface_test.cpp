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

TEST(ConnectorInterfaceTest, WhatAPsaDoesNotOfferIsNotSupportedInPlainWords) {
  const Connector* cw = builtin_registry().find("connectwise");
  ASSERT_NE(cw, nullptr);
  Tenant tenant;
  tenant.id = "acme";
  tenant.psa = "connectwise";
  NoCalls http;
  const Connector* at = builtin_registry().find("autotask");
  auto report = at->test_connection(tenant, http);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code, kNotSupported);
  EXPECT_EQ(report.error().message, "Autotask does not support a connection test");
  EXPECT_EQ(cw->lookup(tenant, http, "boards").error().message,
            "ConnectWise Manage does not support the set-up list \"boards\"");
  EXPECT_EQ(cw->fetch_record(tenant, http, "ticket", "42").error().code, kNotSupported);
  EXPECT_EQ(at->register_webhooks(tenant, http, "https://hooks.example/x").error().code, kNotSupported);
  EXPECT_EQ(at->unregister_webhooks(tenant, http, "https://hooks.example/x").error().code, kNotSupported);
  EXPECT_EQ(cw->token_source(), nullptr) << "ConnectWise uses static credentials";
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
