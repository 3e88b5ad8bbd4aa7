// PsaHttp that beats a worker's heartbeat before and after each PSA request, so a worker whose
// turn makes several requests (a lookup then a create, a poll of several pages) is watched per
// request: the longest it goes without a beat is one request (bounded by the HTTP client's
// timeout), however many the turn makes. Wrap it inside RateLimitedPsaHttp, so the beat comes
// after the limiter's inline wait, right before the request.
#pragma once

#include "common/heartbeats.h"
#include "connectors/psa_http.h"

namespace switchyard::connectors {

class HeartbeatPsaHttp : public PsaHttp {
 public:
  HeartbeatPsaHttp(PsaHttp& inner, Heartbeat* beat) : inner_(inner), beat_(beat) {}
  Result<http::ClientResponse> send(const http::ClientRequest& request) override {
    if (beat_ != nullptr) beat_->beat();
    auto response = inner_.send(request);
    if (beat_ != nullptr) beat_->beat();
    return response;
  }

 private:
  PsaHttp& inner_;
  Heartbeat* beat_;
};

}  // namespace switchyard::connectors
