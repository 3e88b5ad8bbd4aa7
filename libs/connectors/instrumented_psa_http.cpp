#include "connectors/instrumented_psa_http.h"

#include <chrono>

namespace switchyard::connectors {

InstrumentedPsaHttp::InstrumentedPsaHttp(http::HttpClient& client, Metrics& metrics, std::string psa)
    : client_(client), metrics_(metrics), psa_(std::move(psa)) {}

Result<http::ClientResponse> InstrumentedPsaHttp::send(const http::ClientRequest& request) {
  const auto start = std::chrono::steady_clock::now();
  auto response = client_.send(request);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  metrics_.observe_psa_call(psa_, request.method, response ? std::to_string(response->status) : "error", seconds);
  return response;
}

}  // namespace switchyard::connectors
