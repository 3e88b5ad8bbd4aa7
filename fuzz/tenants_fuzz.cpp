// The tenants file, parsed as ingest and dispatch do at start. Secrets come from a fixed
// environment; the seeds name only a secret file that does not exist (the error path), so runs
// do not depend on the machine's files. An accepted file must satisfy what the services rely
// on, and no error may echo a secret.
#include <map>

#include "connectors/registry.h"
#include "fuzz_support.h"

namespace {

using namespace switchyard;

constexpr std::string_view kEnvSecret = "env-secret-value-7f3a";

const Env& fuzz_env() {
  static const Env env([](std::string_view name) -> std::optional<std::string> {
    static const std::map<std::string, std::string, std::less<>> vars = {
        {"ACME_CW_PRIVATE", std::string(kEnvSecret)}, {"GLOBEX_AT_SECRET", std::string(kEnvSecret)},
        {"WEBHOOK_SECRET", std::string(kEnvSecret)}, {"EMPTY", ""}};
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  });
  return env;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const ConnectorSpecLookup specs = connectors::spec_lookup(connectors::builtin_registry());
  const std::string_view text = fuzz::as_text(data, size);
  auto directory = parse_tenants(text, specs, fuzz_env());
  if (!directory) {
    const Error& e = directory.error();
    FUZZ_CHECK(!e.code.empty() && !e.message.empty(), "an error without a reason");
    // Errors may echo the file (a field name), but never a secret taken from elsewhere.
    const bool secret_in_file = text.find(kEnvSecret) != std::string_view::npos;
    FUZZ_CHECK(secret_in_file || e.message.find(kEnvSecret) == std::string::npos,
               "an error echoes a secret: " + e.message);
    return 0;
  }
  for (const Tenant& t : directory->all()) {
    FUZZ_CHECK(directory->find(t.id) == &t, "tenant ids must be unique: " + t.id);
    const ConnectorSpec* spec = specs(t.psa);
    FUZZ_CHECK(spec != nullptr, "unknown psa accepted: " + t.psa);
    for (const auto& name : spec->required_credentials) {
      FUZZ_CHECK(t.credentials.contains(name), "required credential missing: " + name);
    }
    using WebhookAuth = ConnectorSpec::WebhookAuth;
    FUZZ_CHECK(spec->webhook_auth != WebhookAuth::Signature || !t.webhook_signing_secrets.empty(),
               "webhook signing secret missing");
    FUZZ_CHECK(spec->webhook_auth != WebhookAuth::UrlSecret || !t.webhook_url_secrets.empty(),
               "webhook URL secret missing");
    FUZZ_CHECK(t.webhook_signing_secrets.size() <= 2 && t.webhook_url_secrets.size() <= 2, "more than two secrets");
    FUZZ_CHECK(t.rate_limit.requests_per_second > 0 && t.rate_limit.burst >= 1, "bad rate limit accepted");
    FUZZ_CHECK(t.poll.interval.count() >= 1, "bad poll interval accepted");
  }
  return 0;
}
