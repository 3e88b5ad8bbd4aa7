// PsaHttp over a real HttpClient, recording every call's latency and status by PSA.
#pragma once

#include <string>

#include "common/http_client.h"
#include "common/metrics.h"
#include "connectors/psa_http.h"

namespace switchyard::connectors {

class InstrumentedPsaHttp : public PsaHttp {
 public:
  InstrumentedPsaHttp(http::HttpClient& client, Metrics& metrics, std::string psa);
  Result<http::ClientResponse> send(const http::ClientRequest& request) override;

 private:
  http::HttpClient& client_;
  Metrics& metrics_;
  std::string psa_;
};

}  // namespace switchyard::connectors
