// Hashing, HMAC and encoding for webhook signatures and idempotency keys (OpenSSL).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace switchyard::crypto {

std::string sha256(std::string_view data);  // raw 32 bytes
std::string sha256_hex(std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);  // raw 32 bytes
std::string hmac_sha1(std::string_view key, std::string_view data);    // raw 20 bytes
std::string base64_encode(std::string_view data);
// Standard alphabet with padding, at most 1 MiB of text; nullopt for anything else.
std::optional<std::string> base64_decode(std::string_view text);
std::string hex_encode(std::string_view data);
// Compares in time independent of where the inputs differ (signature checks).
bool constant_time_equal(std::string_view a, std::string_view b);
// Cryptographically random bytes (OpenSSL's RAND_bytes).
std::string random_bytes(size_t bytes);
// Cryptographically random bytes as lowercase hex (2 * bytes characters).
std::string random_hex(size_t bytes);

}  // namespace switchyard::crypto
