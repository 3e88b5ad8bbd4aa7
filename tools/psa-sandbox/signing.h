// Hashing and encoding for the sandbox's auth checks and callback signatures (OpenSSL).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/crypto.h"

namespace switchyard::sandbox {

using crypto::base64_decode;
using crypto::base64_encode;
// ConnectWise callback signature: base64(HMAC-SHA256(key = SHA256(signing_key), body)).
std::string connectwise_signature(std::string_view signing_key, std::string_view body);
// A random version-4 GUID, lower case.
std::string random_guid();
// Constant-time comparison, for secrets.
bool secure_equals(std::string_view a, std::string_view b);

}  // namespace switchyard::sandbox
