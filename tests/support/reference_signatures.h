// Reference implementations of the PSAs' webhook signatures for tests, written directly on
// OpenSSL with a local base64, so tests do not lean on the crypto helpers under test.
#pragma once

#include <string>

namespace switchyard::testing {

std::string b64(const std::string& in);
// ConnectWise x-content-signature: base64(HMAC-SHA256(key = SHA256(signing_key), raw body)).
std::string cw_signature(const std::string& signing_key, const std::string& body);
// Autotask X-Hook-Signature: "sha1=" + base64(HMAC-SHA1(SecretKey, raw body)).
std::string at_signature(const std::string& secret, const std::string& body);

}  // namespace switchyard::testing
