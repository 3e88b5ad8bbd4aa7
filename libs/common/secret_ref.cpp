#include "common/secret_ref.h"

#include <fstream>
#include <sstream>

namespace switchyard {

namespace {

constexpr size_t kMaxSecretFileBytes = 64 * 1024;

Error secret_error(const std::string& path, const std::string& message) {
  return make_error("invalid_secret", path + ": " + message);
}

constexpr const char* kForms = "must be a string or {\"env\": NAME} or {\"file\": PATH}";

}  // namespace

Result<std::string> read_secret_file(const std::string& file) {
  // A secret is short: read at most kMaxSecretFileBytes, so a wrong path (a device, a log)
  // fails at start instead of hanging or filling memory.
  std::ifstream in{file, std::ios::binary};
  if (!in) return make_error("invalid_secret", "cannot read file " + file);
  std::string content(kMaxSecretFileBytes + 1, '\0');
  in.read(content.data(), static_cast<std::streamsize>(content.size()));
  content.resize(static_cast<size_t>(in.gcount()));
  if (content.size() > kMaxSecretFileBytes) {
    return make_error("invalid_secret",
                      "file " + file + " is larger than " + std::to_string(kMaxSecretFileBytes) + " bytes; not a secret");
  }
  while (!content.empty() && (content.back() == '\n' || content.back() == '\r')) content.pop_back();
  if (content.empty()) return make_error("invalid_secret", "file " + file + " is empty");
  return content;
}

Result<std::string> resolve_secret(simdjson::dom::element value, const std::string& path, const Env& env) {
  std::string_view literal;
  if (value.get(literal) == simdjson::SUCCESS) {
    if (literal.empty()) return secret_error(path, "must not be empty");
    return std::string(literal);
  }
  simdjson::dom::object ref;
  if (value.get(ref) != simdjson::SUCCESS) return secret_error(path, kForms);
  // Exactly one member: {"env": ..., "file": ...} would leave which one wins unclear.
  if (ref.size() != 1) return secret_error(path, "a reference has exactly one member, \"env\" or \"file\"");
  auto [kind, target] = *ref.begin();
  std::string_view name;
  if (target.get(name) != simdjson::SUCCESS || name.empty()) {
    return secret_error(path, "reference must have \"env\" or \"file\" with a non-empty string");
  }
  if (kind == "env") {
    try {
      return env.required(name);
    } catch (const ConfigError&) {
      return secret_error(path, "environment variable " + std::string(name) + " is not set");
    }
  }
  if (kind == "file") {
    auto content = read_secret_file(std::string(name));
    if (!content) return secret_error(path, content.error().message);
    return content;
  }
  return secret_error(path, "reference must have \"env\" or \"file\"");
}

}  // namespace switchyard
