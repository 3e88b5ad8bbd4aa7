#include "support/leak_scan.h"

#include <algorithm>
#include <cctype>

#include "common/crypto.h"
#include "common/http_types.h"

namespace switchyard::testing {
namespace {

constexpr size_t kMinForm = 8;

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string url_alphabet(std::string b64) {
  std::replace(b64.begin(), b64.end(), '+', '-');
  std::replace(b64.begin(), b64.end(), '/', '_');
  return b64;
}

// The characters of base64(prefix + value) that encode `value`'s bytes alone, for a prefix of
// `offset` bytes: whole 4-character groups after the prefix's group, before any group that
// holds padding or the value's last partial bytes.
std::string base64_core(std::string_view value, size_t offset) {
  const std::string encoded = crypto::base64_encode(std::string(offset, '\0') + std::string(value));
  const size_t skip = offset == 0 ? 0 : 4;
  const size_t whole_bytes = (offset + value.size()) / 3 * 3;  // bytes in complete groups
  const size_t end = whole_bytes / 3 * 4;
  return end > skip ? encoded.substr(skip, end - skip) : std::string();
}

}  // namespace

std::vector<EncodedForm> encoded_forms(std::string_view value) {
  std::vector<EncodedForm> out;
  const auto add = [&](std::string form, std::string text) {
    if (text.size() < kMinForm) return;
    for (const auto& f : out) {
      if (f.text == text) return;
    }
    out.push_back({std::move(form), std::move(text)});
  };
  add("as written", std::string(value));
  add("percent-encoded", http::url_encode(value));
  add("hex", lower(crypto::hex_encode(value)));
  for (size_t offset = 0; offset < 3; ++offset) {
    const std::string core = base64_core(value, offset);
    add("base64, offset " + std::to_string(offset), core);
    add("base64url, offset " + std::to_string(offset), url_alphabet(core));
  }
  return out;
}

std::vector<std::string> find_leaks(std::string_view haystack, const std::map<std::string, std::string>& needles) {
  std::vector<std::string> hits;
  const std::string lowered = lower(haystack);
  for (const auto& [name, value] : needles) {
    for (const auto& form : encoded_forms(value)) {
      const bool found = form.form == "hex" ? lowered.find(form.text) != std::string::npos
                                            : haystack.find(form.text) != std::string_view::npos;
      if (found) hits.push_back(name + " (" + form.form + ")");
    }
  }
  return hits;
}

}  // namespace switchyard::testing
