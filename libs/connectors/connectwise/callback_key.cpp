// The signing key of a ConnectWise callback: each callback names where its key is served
// (Metadata.key_url). The URL is trusted only on the tenant's own ConnectWise host (same scheme,
// host and port as base_url), so a forged callback cannot make Switchyard call a host of the
// attacker's choosing with the tenant's credentials. The key is fetched with the tenant's API
// credentials and answered as {"signing_key": "..."} (docs/psa/connectwise.md).
#include <simdjson.h>

#include <algorithm>
#include <cctype>

#include "common/http_client.h"
#include "common/json_read.h"
#include "connectors/connectwise/connectwise_connector.h"

namespace switchyard::connectors::connectwise {
namespace {

constexpr size_t kMaxKeyUrl = 2048;
constexpr size_t kMaxKey = 1024;

bool same_text_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

Error untrusted() {
  return make_error("untrusted_key_url", "Metadata.key_url is not on the tenant's ConnectWise host");
}

// The URL when it is on the tenant's ConnectWise host.
Result<std::string> trusted_key_url(const Tenant& tenant, std::string_view key_url) {
  if (key_url.size() > kMaxKeyUrl) return untrusted();
  auto url = http::parse_url(key_url);
  auto base = http::parse_url(tenant.base_url);
  if (!url || !base || url->scheme != base->scheme || url->port != base->port ||
      !same_text_ignoring_case(url->host, base->host) || url->target.find('@') != std::string::npos) {
    return untrusted();
  }
  return std::string(key_url);
}

}  // namespace

Result<std::optional<std::string>> ConnectWiseConnector::webhook_key_url(const Tenant& tenant,
                                                                         std::string_view body) const {
  // On demand: only Metadata.key_url is read, and the escaped Entity beside it is skipped, not
  // unescaped into a tape. decode_webhook parses (and validates) the whole callback once its
  // signature holds: one full parse per callback, not two (issue #18).
  thread_local simdjson::ondemand::parser parser;
  thread_local std::string padded;
  simdjson::ondemand::document doc;
  simdjson::ondemand::object root, metadata;
  std::string_view key_url;
  if (parser.iterate(json::padded_view(padded, body)).get(doc) != simdjson::SUCCESS ||
      doc.get_object().get(root) != simdjson::SUCCESS ||
      root.find_field_unordered("Metadata").get_object().get(metadata) != simdjson::SUCCESS ||
      metadata.find_field_unordered("key_url").get_string().get(key_url) != simdjson::SUCCESS || key_url.empty()) {
    return std::optional<std::string>{};  // names none: the configured secrets decide
  }
  auto trusted = trusted_key_url(tenant, key_url);
  if (!trusted) return trusted.error();
  return std::optional<std::string>{std::move(*trusted)};
}

Result<std::string> ConnectWiseConnector::fetch_webhook_key(const Tenant& tenant, PsaHttp& http,
                                                            const std::string& url) const {
  // Checked again here: whoever calls, the tenant's credentials only go to its own host.
  if (auto trusted = trusted_key_url(tenant, url); !trusted) return trusted.error();
  auto response = http.send({.method = "GET", .url = url, .headers = auth_headers(tenant)});
  if (!response) return response.error();
  if (response->status != 200) {
    return make_error("key_unavailable", "ConnectWise answered " + std::to_string(response->status) +
                                             " to the callback signing key request");
  }
  simdjson::dom::parser parser;
  std::string_view key;
  if (parser.parse(response->body).get_object()["signing_key"].get(key) != simdjson::SUCCESS || key.empty() ||
      key.size() > kMaxKey) {
    return make_error("key_unavailable", "ConnectWise's callback signing key answer has no signing_key");
  }
  return std::string(key);
}

}  // namespace switchyard::connectors::connectwise
