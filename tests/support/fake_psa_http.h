// A scripted PsaHttp for connector unit tests: records every request, answers from a queue.
#pragma once

#include <deque>
#include <vector>

#include "connectors/psa_http.h"

namespace switchyard::testing {

class FakePsaHttp : public connectors::PsaHttp {
 public:
  Result<http::ClientResponse> send(const http::ClientRequest& request) override {
    requests.push_back(request);
    if (responses.empty()) return make_error("unreachable", "no scripted response");
    auto r = std::move(responses.front());
    responses.pop_front();
    return r;
  }
  void reply(int status, std::string body, http::Headers headers = {{"Content-Type", "application/json"}}) {
    responses.push_back(http::ClientResponse{status, std::move(headers), std::move(body)});
  }
  std::vector<http::ClientRequest> requests;
  std::deque<Result<http::ClientResponse>> responses;
};

}  // namespace switchyard::testing
