// ConnectWise callbacks (docs/psa/connectwise.md): the JSON message CW POSTs to a registered URL when a
// record changes, signed with x-content-signature. Building reads the store (call it under
// the tenant's lock); the sandbox sends it (webhook_sender.h).
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "psa-sandbox/sandbox.h"
#include "psa-sandbox/store.h"

namespace switchyard::sandbox {

struct CallbackMessage {
  std::string body;
  std::string signature;  // x-content-signature value
};

// entity: "ticket" | "company" | "contact" | "agreement" | "configuration"; action:
// "added" | "updated" | "deleted". `base` is the sandbox's "http://host:port" (FromUrl and
// Metadata.key_url). Errors: "invalid_argument", "not_found" (no such record; a deleted
// callback does not need the record and sends an empty Entity).
Result<CallbackMessage> build_connectwise_callback(Store& store, const ConnectWiseCredentials& credentials,
                                                   std::string_view base, std::string_view entity,
                                                   std::string_view id, std::string_view action);

}  // namespace switchyard::sandbox
