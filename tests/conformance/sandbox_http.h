// PsaHttp straight to the sandbox over real HTTP (the engines add rate limits, metrics and
// heartbeats around the same calls), remembering what was sent so a test can check that no
// credential a request carried comes back in a message.
#pragma once

#include <vector>

#include "common/http_client.h"
#include "connectors/psa_http.h"

namespace switchyard::conformance {

class SandboxHttp : public connectors::PsaHttp {
 public:
  Result<http::ClientResponse> send(const http::ClientRequest& request) override {
    sent.push_back(request);
    http::ClientRequest timed = request;
    timed.timeout = std::chrono::milliseconds(5000);  // the sandbox is local: a hang is a failure
    return client_.send(timed);
  }
  std::vector<http::ClientRequest> sent;

 private:
  http::HttpClient client_;
};

}  // namespace switchyard::conformance
