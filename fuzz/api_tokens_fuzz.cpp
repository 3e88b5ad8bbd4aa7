// The API tokens file (SWITCHYARD_API_TOKENS_FILE), parsed as ingest does at start, then the
// bearer check every authenticated endpoint applies with what was accepted. Token secrets come
// from a fixed environment; the seeds name only a secret file that does not exist.
#include <map>

#include "common/bearer_auth.h"
#include "common/log.h"
#include "fuzz_support.h"

namespace {

using namespace switchyard;

constexpr std::string_view kEnvToken = "env-token-value-0123456789";

const Env& fuzz_env() {
  static const Env env([](std::string_view name) -> std::optional<std::string> {
    static const std::map<std::string, std::string, std::less<>> vars = {
        {"VENDOR_TOKEN", std::string(kEnvToken)}, {"SHORT_TOKEN", "short"}, {"EMPTY", ""}};
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  });
  return env;
}

void check_answer(const BearerAuth& auth) {
  if (auth.allowed()) return;
  FUZZ_CHECK(auth.status == 401 || auth.status == 403, "refused with status " + std::to_string(auth.status));
  FUZZ_CHECK(!auth.reason.empty(), "refused without a reason");
  FUZZ_CHECK(fuzz::is_valid_json(auth.response().body), auth.response().body);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool quiet = [] {
    log::init("fuzz", log::Level::Error);  // refusals are logged at warn: keep the run fast
    return true;
  }();
  (void)quiet;
  const std::string_view text = fuzz::as_text(data, size);
  auto tokens = parse_api_tokens(text, fuzz_env());
  if (!tokens) {
    const Error& e = tokens.error();
    FUZZ_CHECK(!e.code.empty() && !e.message.empty(), "an error without a reason");
    const bool token_in_file = text.find(kEnvToken) != std::string_view::npos;
    FUZZ_CHECK(token_in_file || e.message.find(kEnvToken) == std::string::npos, "an error echoes a token: " + e.message);
    return 0;
  }
  for (const ApiToken& t : tokens->all()) {
    FUZZ_CHECK(!t.id.empty() && !t.digest.empty() && !t.scopes.empty(), "an incomplete entry: " + t.id);
    FUZZ_CHECK(t.all_tenants || !t.tenants.empty(), "an entry for no tenant: " + t.id);
  }
  // The environment's token is the only one the fuzzer cannot see; whatever entry it belongs to
  // decides, and an unknown or malformed header never passes.
  const std::string bearer = "Bearer " + std::string(kEnvToken);
  for (const std::string_view tenant : {"acme", "globex", "*", ""}) {
    for (const ApiScope scope : {ApiScope::Commands, ApiScope::Admin}) {
      const BearerAuth auth = authorize_bearer(*tokens, bearer, tenant, scope);
      check_answer(auth);
      const ApiToken* owner = tokens->find(kEnvToken);
      FUZZ_CHECK(auth.allowed() == (owner != nullptr && owner->has_scope(scope) && owner->allows_tenant(tenant)),
                 "bearer check disagrees with the token's entry");
      for (const std::string_view header : {std::string_view("Bearer "), std::string_view("bearer x"),
                                            std::string_view(bearer).substr(0, bearer.size() - 1), std::string_view()}) {
        const BearerAuth refused = authorize_bearer(*tokens, header, tenant, scope);
        FUZZ_CHECK(!refused.allowed() || tokens->find(header.substr(std::min<size_t>(7, header.size()))) != nullptr,
                   "a header without a known token passed: " + std::string(header));
        check_answer(refused);
      }
    }
  }
  return 0;
}
