#include "common/kafka_properties.h"

#include <fstream>
#include <sstream>

namespace switchyard {
namespace {

constexpr std::string_view kVariable = "SWITCHYARD_KAFKA_PROPERTIES_FILE";
constexpr size_t kMaxPropertiesFileBytes = 1024 * 1024;

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r");
  const auto e = s.find_last_not_of(" \t\r");
  return b == std::string_view::npos ? std::string() : std::string(s.substr(b, e - b + 1));
}

[[noreturn]] void fail(const std::string& where, const std::string& property, const std::string& message) {
  throw ConfigError(where + ": property '" + property + "': " + message);
}

std::string read_referenced_file(const std::string& file, const std::string& property, const std::string& where) {
  std::ifstream in{file, std::ios::binary};
  if (!in) fail(where, property, "cannot read file " + file + " (referenced as ${file:...})");
  std::string content(kMaxPropertyFileBytes + 1, '\0');
  in.read(content.data(), static_cast<std::streamsize>(content.size()));
  if (in.bad()) fail(where, property, "cannot read file " + file + " (referenced as ${file:...})");
  content.resize(static_cast<size_t>(in.gcount()));
  if (content.size() > kMaxPropertyFileBytes) {
    fail(where, property,
         "file " + file + " is larger than " + std::to_string(kMaxPropertyFileBytes) + " bytes; not a secret");
  }
  while (!content.empty() && (content.back() == '\n' || content.back() == '\r')) content.pop_back();
  if (content.empty()) fail(where, property, "file " + file + " is empty");
  return content;
}

}  // namespace

std::string resolve_property_references(std::string_view value, const std::string& property,
                                        const std::string& where, const Env& env) {
  std::string out;
  size_t pos = 0;
  while (pos < value.size()) {
    const auto start = value.find("${", pos);
    if (start == std::string_view::npos) break;
    const std::string_view rest = value.substr(start + 2);
    const bool is_env = rest.starts_with("env:");
    const bool is_file = rest.starts_with("file:");
    if (!is_env && !is_file) {  // not a reference: literal "${"
      out.append(value.substr(pos, start + 2 - pos));
      pos = start + 2;
      continue;
    }
    out.append(value.substr(pos, start - pos));
    const size_t name_begin = start + 2 + (is_env ? 4 : 5);
    const auto close = value.find('}', name_begin);
    if (close == std::string_view::npos) {
      fail(where, property, std::string("unterminated ${") + (is_env ? "env:" : "file:") + " reference (no '}')");
    }
    const std::string name = trim(value.substr(name_begin, close - name_begin));
    if (name.empty()) fail(where, property, std::string("empty ${") + (is_env ? "env:" : "file:") + "} reference");
    if (is_env) {
      std::string resolved;
      try {
        resolved = env.required(name);
      } catch (const ConfigError&) {
        fail(where, property, "environment variable " + name + " is not set (referenced as ${env:" + name + "})");
      }
      if (resolved.empty()) fail(where, property, "environment variable " + name + " is empty");
      out.append(resolved);
    } else {
      out.append(read_referenced_file(name, property, where));
    }
    pos = close + 1;
  }
  if (pos < value.size()) out.append(value.substr(pos));
  return out;
}

std::map<std::string, std::string> parse_kafka_properties(std::string_view text, const std::string& source,
                                                          const Env& env) {
  std::map<std::string, std::string> out;
  int number = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++number;
    const std::string where = source + " line " + std::to_string(number);
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string_view::npos || line[first] == '#' || line[first] == '!') continue;
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) throw ConfigError(where + " is not key=value");
    const std::string key = trim(line.substr(0, eq));
    if (key.empty()) throw ConfigError(where + " has an empty key");
    if (out.contains(key)) throw ConfigError(where + ": property '" + key + "' is set twice");
    out[key] = resolve_property_references(trim(line.substr(eq + 1)), key, where, env);
    if (end == text.size()) break;
  }
  return out;
}

std::map<std::string, std::string> read_kafka_properties(const std::string& path, const Env& env) {
  const std::string source = std::string(kVariable) + " " + path;
  std::ifstream in{path, std::ios::binary};
  if (!in) throw ConfigError(std::string(kVariable) + ": cannot read " + path);
  std::string text(kMaxPropertiesFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > kMaxPropertiesFileBytes) {
    throw ConfigError(std::string(kVariable) + ": " + path + " is larger than " +
                      std::to_string(kMaxPropertiesFileBytes) + " bytes");
  }
  return parse_kafka_properties(text, source, env);
}

}  // namespace switchyard
