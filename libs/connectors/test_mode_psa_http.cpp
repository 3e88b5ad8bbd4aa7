#include "connectors/test_mode_psa_http.h"

#include <algorithm>
#include <array>

#include "common/text.h"

namespace switchyard::connectors {
namespace {

// Headers known to carry no secret. Everything else (Authorization, Autotask's UserName,
// Secret and ApiIntegrationCode, ConnectWise's clientId, cookies, ...) is left out.
bool safe_header(std::string_view name) {
  static constexpr std::array<std::string_view, 5> kSafe = {"content-type", "accept", "api-version", "if-match",
                                                            "prefer"};
  return std::ranges::find(kSafe, ascii_lowercase(name)) != kSafe.end();
}

// A query parameter whose name says it holds a credential.
bool secret_parameter(std::string_view name) {
  const std::string n = ascii_lowercase(name);
  for (std::string_view word : {"key", "token", "secret", "password", "signature", "sig", "auth", "code"}) {
    if (n.find(word) != std::string::npos) return true;
  }
  return false;
}

std::string url_without_secrets(const std::string& url) {
  const size_t question = url.find('?');
  if (question == std::string::npos) return url;
  std::string out = url.substr(0, question);
  char separator = '?';
  std::string_view query(url);
  query.remove_prefix(question + 1);
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const std::string_view name = pair.substr(0, pair.find('='));
    out.push_back(separator);
    separator = '&';
    if (secret_parameter(percent_decode(name))) {
      out.append(name).append("=REDACTED");
    } else {
      out.append(pair);
    }
  }
  return out;
}

}  // namespace

RenderedRequest render_without_secrets(const http::ClientRequest& request) {
  RenderedRequest r;
  r.method = request.method;
  r.url = url_without_secrets(request.url);
  for (const auto& [name, value] : request.headers) {
    if (safe_header(name)) r.headers.emplace_back(name, value);
  }
  r.body = request.body;
  return r;
}

Result<http::ClientResponse> TestModePsaHttp::send(const http::ClientRequest& request) {
  if (is_read_(request)) return inner_.send(request);
  if (!would_send_) would_send_ = render_without_secrets(request);
  return make_error(std::string(kTestModeCode), "test mode: " + request.method + " recorded, not sent");
}

}  // namespace switchyard::connectors
