// Calling the PSA sandbox as a connector does: a PsaHttp straight over HTTP (the engines add
// limits, metrics and heartbeats around it) that records the requests it sent, and the
// ConnectWise tenant whose credentials the sandbox accepts.
#pragma once

#include <vector>

#include "common/http_client.h"
#include "common/tenants.h"
#include "connectors/psa_http.h"
#include "psa-sandbox/sandbox.h"

namespace switchyard::testing {

class RecordingHttp : public connectors::PsaHttp {
 public:
  Result<http::ClientResponse> send(const http::ClientRequest& request) override {
    requests.push_back(request);
    return client_.send(request);
  }
  std::vector<http::ClientRequest> requests;

 private:
  http::HttpClient client_;
};

inline Tenant connectwise_sandbox_tenant(const sandbox::Sandbox& sandbox, std::string id = "acme") {
  const sandbox::ConnectWiseCredentials cw;
  Tenant t;
  t.id = std::move(id);
  t.psa = "connectwise";
  t.base_url = sandbox.connectwise_base_url();
  t.allow_insecure_http = true;
  t.credentials = {{"company_id", cw.company_id}, {"public_key", cw.public_key},
                   {"private_key", cw.private_key}, {"client_id", cw.client_id}};
  return t;
}

inline Tenant autotask_sandbox_tenant(const sandbox::Sandbox& sandbox, std::string id = "globex") {
  const sandbox::AutotaskCredentials at;
  Tenant t;
  t.id = std::move(id);
  t.psa = "autotask";
  t.base_url = sandbox.autotask_base_url();
  t.allow_insecure_http = true;
  t.credentials = {{"username", at.username}, {"secret", at.secret}, {"integration_code", at.integration_code}};
  t.webhook_signing_secrets = {at.webhook_secret};
  t.options = {{"zone_lookup_url", sandbox.autotask_base_url()}};  // the sandbox's, not Autotask's
  return t;
}

}  // namespace switchyard::testing
