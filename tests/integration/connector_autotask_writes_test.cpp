// The Autotask connector's writes against the sandbox over real HTTP, with the PSA's answer lost
// after it stored the record (a dropped connection): the retry must find the record by the
// reference the create stored on it, never create a second one.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "connectors/registry.h"
#include "support/pipeline/pipeline_stack.h"

namespace switchyard::testing {
namespace {

// Real HTTP to the sandbox; arms a dropped-answer fault right before the first create it sees,
// so the fault hits exactly the call that matters.
class DropFirstCreate : public connectors::PsaHttp {
 public:
  DropFirstCreate(sandbox::Sandbox& psa, std::string create_suffix) : psa_(psa), suffix_(std::move(create_suffix)) {}
  Result<http::ClientResponse> send(const http::ClientRequest& request) override {
    if (!armed_ && request.method == "POST" && request.url.ends_with(suffix_)) {
      armed_ = true;
      sandbox::Fault drop;
      drop.kind = sandbox::FaultKind::drop;
      drop.process = true;  // stored first, then the answer is cut
      drop.count = 1;
      psa_.inject_fault("autotask", drop);
    }
    http::ClientRequest timed = request;
    timed.timeout = std::chrono::milliseconds(5000);
    return client_.send(timed);
  }

 private:
  sandbox::Sandbox& psa_;
  std::string suffix_;
  bool armed_ = false;
  http::HttpClient client_;
};

class MemoryMemo : public connectors::WriteMemo {
 public:
  std::optional<std::string> lookup(const Tenant&, std::string_view, std::string_view) override { return {}; }
  void remember(const Tenant&, std::string_view, std::string_view, std::string_view) override {}
};

TEST(ConnectorAutotaskWritesTest, ChargeWhoseAnswerWasLostIsFoundByItsReferenceOnTheRetry) {
  PipelineStack stack(StackOptions{.ingest = false, .normalize = false, .dispatch = false});
  const TenantDirectory tenants = stack.tenants();
  const Tenant& tenant = *tenants.find(kAutotaskTenant);
  const connectors::Connector& autotask = *connectors::builtin_registry().find("autotask");

  simdjson::dom::parser parser;
  const std::string contract_id =
      std::to_string(parser.parse(stack.psa().records("autotask", "Contracts").at(0))["id"].get_int64().value());
  BillingLineAdd line;
  line.external_ref = "usage-2026-11-acme";
  line.agreement_id = contract_id;
  line.description = "Backup storage (GB)";
  line.quantity = 120.5;
  line.unit_price = 0.15;
  const Command command{"cmd-bill", std::string(kAutotaskTenant), "", line};

  DropFirstCreate psa(stack.psa(), "/Charges");
  MemoryMemo memo;  // remembers nothing: as after a crash, or with Redis down
  const auto first = autotask.execute(tenant, command, psa, memo);
  EXPECT_EQ(first.kind, connectors::WriteOutcome::Kind::Retryable) << first.detail;
  const auto retried = autotask.execute(tenant, command, psa, memo);
  ASSERT_EQ(retried.kind, connectors::WriteOutcome::Kind::Done) << retried.detail;
  EXPECT_FALSE(retried.created);

  size_t charges = 0;
  for (const auto& json : stack.psa().records("autotask", "ContractCharges")) {
    std::string_view ref;
    if (parser.parse(json)["internalPurchaseOrderNumber"].get(ref) == simdjson::SUCCESS &&
        ref == "sy:usage-2026-11-acme") {
      ++charges;
      EXPECT_EQ(std::to_string(parser.parse(json)["id"].get_int64().value()), retried.psa_id);
    }
  }
  EXPECT_EQ(charges, 1u) << "the contract was billed " << charges << " times";
}

}  // namespace
}  // namespace switchyard::testing
