// ConnectWiseApi: the ConnectWise Manage REST 3.0 imitation below
// /connectwise/v4_6_release/apis/3.0 — Basic auth + clientId, list with conditions /
// orderBy / page / pageSize / fields and Link headers, get, count, create (201), PUT,
// JSON-Patch PATCH, DELETE (204), and the callback signing key. Callers serialise access.
#pragma once

#include <string_view>

#include "common/http_types.h"
#include "psa-sandbox/auth/auth_scheme.h"
#include "psa-sandbox/sandbox.h"
#include "psa-sandbox/store.h"

namespace switchyard::sandbox {

inline constexpr std::string_view kConnectWisePrefix = "/connectwise/v4_6_release/apis/3.0";
// The version GET /system/info reports (the cloud version of the public API definition).
inline constexpr std::string_view kConnectWiseVersion = "v2025.8.101942";

class ConnectWiseApi {
 public:
  ConnectWiseApi(const ConnectWiseCredentials& credentials, const AuthScheme& auth, Store& store)
      : credentials_(credentials), auth_(auth), store_(store) {}

  // `base` is "http://host:port" as the client reached the sandbox (for Link headers).
  http::Response handle(const http::Request& request, std::string_view base);

 private:
  const ConnectWiseCredentials& credentials_;
  const AuthScheme& auth_;
  Store& store_;
};

}  // namespace switchyard::sandbox
