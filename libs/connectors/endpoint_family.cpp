#include "connectors/endpoint_family.h"

#include <algorithm>
#include <cctype>

namespace switchyard::connectors {
namespace {

constexpr size_t kMaxFamily = 160;

bool is_id(std::string_view segment) {
  if (segment.empty()) return false;
  const auto is = [&](auto pred) { return std::all_of(segment.begin(), segment.end(), pred); };
  if (is([](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) return true;
  // A GUID, with or without dashes and braces.
  const bool guid_chars = is([](char c) { return std::isxdigit(static_cast<unsigned char>(c)) || c == '-' || c == '{' || c == '}'; });
  return guid_chars && segment.size() >= 32 && segment.size() <= 38;
}

}  // namespace

std::string endpoint_family(std::string_view base_url, std::string_view url) {
  std::string_view path = url;
  if (path.starts_with(base_url)) {
    path.remove_prefix(base_url.size());
  } else if (auto scheme = path.find("://"); scheme != std::string_view::npos) {
    const auto slash = path.find('/', scheme + 3);
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash);
  }
  path = path.substr(0, std::min(path.find('?'), path.find('#')));

  std::string family;
  while (!path.empty()) {
    const auto slash = path.find('/');
    const std::string_view segment = path.substr(0, slash);
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
    if (segment.empty()) continue;
    if (!family.empty()) family += '/';
    family += is_id(segment) ? std::string_view("{id}") : segment;
    if (family.size() > kMaxFamily) {
      family.resize(kMaxFamily);
      break;
    }
  }
  return family.empty() ? "/" : family;
}

}  // namespace switchyard::connectors
