// A tenant in test mode ("mode": "test", docs/test-mode.md) reads its PSA as usual, but the
// write a command would make is not sent: the first request that is not a read (as the
// tenant's connector tells them apart, Connector::is_read) is kept,
// rendered with every secret removed, and answered with the error "test_mode" so the
// connector stops there. The caller (dispatch) then records the command as "would_send" with
// the rendered request: what the PSA would have received.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "connectors/psa_http.h"

namespace switchyard::connectors {

inline constexpr std::string_view kTestModeCode = "test_mode";

// A write as the PSA would have received it, minus secrets: the method, the URL without
// credentials in its query, the headers that carry none (Content-Type, Accept, the PSA's API
// version), and the body.
struct RenderedRequest {
  std::string method{};
  std::string url{};
  http::Headers headers{};
  std::string body{};
};

class TestModePsaHttp : public PsaHttp {
 public:
  using ReadCheck = std::function<bool(const http::ClientRequest&)>;
  TestModePsaHttp(PsaHttp& inner, ReadCheck is_read) : inner_(inner), is_read_(std::move(is_read)) {}
  Result<http::ClientResponse> send(const http::ClientRequest& request) override;
  // The write that was kept; nullopt when the command made none (it was refused before any).
  const std::optional<RenderedRequest>& would_send() const { return would_send_; }

 private:
  PsaHttp& inner_;
  ReadCheck is_read_;
  std::optional<RenderedRequest> would_send_;
};

// The request with its secrets removed (exposed for its tests).
RenderedRequest render_without_secrets(const http::ClientRequest& request);

}  // namespace switchyard::connectors
