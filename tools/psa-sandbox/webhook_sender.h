// Sends a PSA's webhook (built by its PsaApi) to a receiver. Network I/O: never call it
// under a tenant's lock, the receiver may call the sandbox back.
#pragma once

#include <string>

#include "common/result.h"
#include "psa-sandbox/psa_api.h"

namespace switchyard::sandbox {

// POSTs the message as JSON with its headers; the receiver's HTTP status or the client's error.
Result<int> send_webhook(const std::string& url, const WebhookMessage& message);

}  // namespace switchyard::sandbox
