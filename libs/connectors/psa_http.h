// PsaHttp: how a connector calls its PSA. The caller's implementation adds what is common to
// all PSAs (the shared per-tenant rate limit, metrics by PSA and status, timeouts), so the
// connector only builds requests and reads answers.
#pragma once

#include "common/http_client.h"
#include "common/result.h"

namespace switchyard::connectors {

class PsaHttp {
 public:
  virtual ~PsaHttp() = default;
  virtual Result<http::ClientResponse> send(const http::ClientRequest& request) = 0;
};

// Classifies a PSA answer the same way for every connector: 2xx ok, 408/429/5xx retryable
// (with Retry-After in seconds when given), other 4xx rejected.
bool is_retryable_status(int status);
std::chrono::milliseconds retry_after_of(const http::ClientResponse& response);

}  // namespace switchyard::connectors
