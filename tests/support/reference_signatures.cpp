#include "support/reference_signatures.h"

#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <cstdint>

namespace switchyard::testing {

std::string b64(const std::string& in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += kAlphabet[(n >> shift) & 63];
  }
  if (in.size() - i == 1) {
    const uint32_t n = uint8_t(in[i]) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += "==";
  } else if (in.size() - i == 2) {
    const uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

// x-content-signature: base64(HMAC-SHA256(key = SHA256(signing_key), raw body)).
std::string cw_signature(const std::string& signing_key, const std::string& body) {
  unsigned char key[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(signing_key.data()), signing_key.size(), key);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key, sizeof key, reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &len);
  return b64(std::string(reinterpret_cast<char*>(mac), len));
}

// X-Hook-Signature: "sha1=" + base64(HMAC-SHA1(SecretKey, raw body)).
std::string at_signature(const std::string& secret, const std::string& body) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &len);
  return "sha1=" + b64(std::string(reinterpret_cast<char*>(mac), len));
}

}  // namespace switchyard::testing
