// Encryption at rest for the secrets Switchyard keeps outside its own memory (the access and
// refresh tokens the token provider shares through Redis): AES-256-GCM (OpenSSL), with the
// key's id in every sealed value, so keys rotate without a flag day.
//
// The keys come from a mounted secret file (SWITCHYARD_SECRET_KEYS_FILE), one per line:
//
//   <key id> <32 bytes, base64>
//
// The first key seals every new value; every key of the file opens the values sealed with it,
// so rotation is: put a new key on the first line and keep the old one below it until what was
// written with it has expired (docs/security.md). Blank lines and lines starting with '#' are
// skipped. Key ids: 1-32 of [A-Za-z0-9._-].
//
// A sealed value is "sy1:<key id>:<base64 of nonce (12) | ciphertext | tag (16)>". The caller's
// `context` (for example the Redis key and field) is authenticated too, so a value copied to
// another key or another tenant does not open. Key material never appears in errors or logs.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace switchyard {

class SecretKeyring {
 public:
  // Errors "invalid_secret_keys" naming the line (never the key).
  static Result<SecretKeyring> parse(std::string_view text);
  static Result<SecretKeyring> load_file(const std::string& path);
  // One random key, held in this process only: what a service uses when no file is configured
  // (its sealed values then open nowhere else, nor after a restart). One per process.
  static std::shared_ptr<const SecretKeyring> process_ephemeral();

  const std::string& current_id() const { return keys_.front().id; }
  std::vector<std::string> key_ids() const;

  std::string seal(std::string_view plaintext, std::string_view context) const;
  // Errors: "unsealed" (not a sealed value), "unknown_key" (sealed with a key not in this
  // ring: rotated out, or another process's ephemeral key), "tampered" (fails authentication:
  // corrupted, or sealed for another context).
  Result<std::string> open(std::string_view sealed, std::string_view context) const;

  static bool looks_sealed(std::string_view value);

  // A keyed hash that only the holders of the keyring can reproduce (the e-mail of an erased
  // person in its audit record): HMAC-SHA256 of `data` under a key derived from the current key
  // for `purpose` (HMAC-SHA256(key, "switchyard/" + purpose)), as hex. Recorded with
  // current_id(), so a later check knows which key to derive again.
  std::string keyed_hash(std::string_view purpose, std::string_view data) const;

 private:
  struct Key {
    std::string id;
    std::array<unsigned char, 32> bytes{};
  };
  std::vector<Key> keys_;  // never empty; front() seals
};

}  // namespace switchyard
