#include "psa-sandbox/signing.h"

#include <openssl/rand.h>

#include <stdexcept>

namespace switchyard::sandbox {

std::string connectwise_signature(std::string_view signing_key, std::string_view body) {
  return crypto::base64_encode(crypto::hmac_sha256(crypto::sha256(signing_key), body));
}

std::string random_guid() {
  unsigned char b[16];
  if (RAND_bytes(b, sizeof b) != 1) throw std::runtime_error("RAND_bytes failed");
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 0xF]);
  }
  return out;
}

bool secure_equals(std::string_view a, std::string_view b) { return crypto::constant_time_equal(a, b); }

}  // namespace switchyard::sandbox
