#include "common/secret_box.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <stdexcept>

#include "common/crypto.h"
#include "common/secret_ref.h"

namespace switchyard {
namespace {

constexpr std::string_view kPrefix = "sy1:";
constexpr size_t kNonceBytes = 12;
constexpr size_t kTagBytes = 16;
constexpr size_t kMaxSealedBytes = 64 * 1024;  // tokens are a few KiB at most

bool valid_key_id(std::string_view id) {
  if (id.empty() || id.size() > 32) return false;
  for (const char c : id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

struct CipherContext {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  ~CipherContext() { EVP_CIPHER_CTX_free(ctx); }
};

const unsigned char* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }
unsigned char* bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

Error keys_error(size_t line, std::string_view what) {
  return make_error("invalid_secret_keys", "secret keys, line " + std::to_string(line) + ": " + std::string(what));
}

}  // namespace

Result<SecretKeyring> SecretKeyring::parse(std::string_view text) {
  SecretKeyring ring;
  size_t line_no = 0;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    ++line_no;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty() || line.front() == '#') continue;
    const size_t space = line.find_first_of(" \t");
    if (space == std::string_view::npos) return keys_error(line_no, "expected `<key id> <base64 key>`");
    const std::string_view id = line.substr(0, space);
    std::string_view encoded = line.substr(space + 1);
    while (!encoded.empty() && (encoded.front() == ' ' || encoded.front() == '\t')) encoded.remove_prefix(1);
    if (!valid_key_id(id)) return keys_error(line_no, "a key id is 1-32 of A-Z a-z 0-9 . _ -");
    for (const auto& k : ring.keys_) {
      if (k.id == id) return keys_error(line_no, "key id `" + std::string(id) + "` appears twice");
    }
    const auto raw = crypto::base64_decode(encoded);
    if (!raw || raw->size() != 32) return keys_error(line_no, "the key must be 32 bytes, base64 (openssl rand -base64 32)");
    Key key;
    key.id = std::string(id);
    std::copy(raw->begin(), raw->end(), key.bytes.begin());
    ring.keys_.push_back(std::move(key));
  }
  if (ring.keys_.empty()) return make_error("invalid_secret_keys", "secret keys: the file holds no key");
  return ring;
}

Result<SecretKeyring> SecretKeyring::load_file(const std::string& path) {
  // A mounted Secret like any other: the same size bound and errors that never show content.
  auto text = read_secret_file(path);
  if (!text) return make_error("invalid_secret_keys", "secret keys: " + text.error().message);
  return parse(*text);
}

std::shared_ptr<const SecretKeyring> SecretKeyring::process_ephemeral() {
  static const std::shared_ptr<const SecretKeyring> ring = [] {
    auto made = std::make_shared<SecretKeyring>();
    Key key;
    key.id = "ephemeral-" + crypto::random_hex(4);
    if (RAND_bytes(key.bytes.data(), static_cast<int>(key.bytes.size())) != 1) {
      throw std::runtime_error("RAND_bytes failed");
    }
    made->keys_.push_back(std::move(key));
    return std::shared_ptr<const SecretKeyring>(std::move(made));
  }();
  return ring;
}

std::vector<std::string> SecretKeyring::key_ids() const {
  std::vector<std::string> ids;
  for (const auto& k : keys_) ids.push_back(k.id);
  return ids;
}

std::string SecretKeyring::keyed_hash(std::string_view purpose, std::string_view data) const {
  const Key& key = keys_.front();
  // A key of its own per purpose: the sealing key itself never signs anything else.
  std::string derived = crypto::hmac_sha256(
      std::string_view(reinterpret_cast<const char*>(key.bytes.data()), key.bytes.size()),
      "switchyard/" + std::string(purpose));
  std::string mac = crypto::hex_encode(crypto::hmac_sha256(derived, data));
  OPENSSL_cleanse(derived.data(), derived.size());
  return mac;
}

bool SecretKeyring::looks_sealed(std::string_view value) { return value.substr(0, kPrefix.size()) == kPrefix; }

std::string SecretKeyring::seal(std::string_view plaintext, std::string_view context) const {
  const Key& key = keys_.front();
  std::string box(kNonceBytes + plaintext.size() + kTagBytes, '\0');
  unsigned char* nonce = bytes(box);
  if (RAND_bytes(nonce, kNonceBytes) != 1) throw std::runtime_error("RAND_bytes failed");
  CipherContext c;
  int n = 0;
  bool ok = c.ctx != nullptr &&
            EVP_EncryptInit_ex(c.ctx, EVP_aes_256_gcm(), nullptr, key.bytes.data(), nonce) == 1 &&
            EVP_EncryptUpdate(c.ctx, nullptr, &n, bytes(context), static_cast<int>(context.size())) == 1 &&
            EVP_EncryptUpdate(c.ctx, nonce + kNonceBytes, &n, bytes(plaintext), static_cast<int>(plaintext.size())) == 1 &&
            EVP_EncryptFinal_ex(c.ctx, nonce + kNonceBytes + n, &n) == 1 &&
            EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_GET_TAG, kTagBytes, nonce + kNonceBytes + plaintext.size()) == 1;
  if (!ok) throw std::runtime_error("AES-256-GCM encryption failed");
  std::string sealed(kPrefix);
  sealed.append(key.id).append(":").append(crypto::base64_encode(box));
  OPENSSL_cleanse(box.data(), box.size());
  return sealed;
}

Result<std::string> SecretKeyring::open(std::string_view sealed, std::string_view context) const {
  if (!looks_sealed(sealed)) return make_error("unsealed", "not a sealed value");
  if (sealed.size() > kMaxSealedBytes) return make_error("tampered", "sealed value too long");
  std::string_view rest = sealed.substr(kPrefix.size());
  const size_t colon = rest.find(':');
  if (colon == std::string_view::npos) return make_error("tampered", "sealed value without a key id");
  const std::string_view id = rest.substr(0, colon);
  const Key* key = nullptr;
  for (const auto& k : keys_) {
    if (k.id == id) key = &k;
  }
  if (key == nullptr) return make_error("unknown_key", "sealed with a key this service does not hold");
  auto box = crypto::base64_decode(rest.substr(colon + 1));
  if (!box || box->size() < kNonceBytes + kTagBytes) return make_error("tampered", "sealed value is malformed");
  const size_t length = box->size() - kNonceBytes - kTagBytes;
  std::string plain(length, '\0');
  unsigned char* nonce = bytes(*box);
  CipherContext c;
  int n = 0;
  const bool ok =
      c.ctx != nullptr && EVP_DecryptInit_ex(c.ctx, EVP_aes_256_gcm(), nullptr, key->bytes.data(), nonce) == 1 &&
      EVP_DecryptUpdate(c.ctx, nullptr, &n, bytes(context), static_cast<int>(context.size())) == 1 &&
      EVP_DecryptUpdate(c.ctx, bytes(plain), &n, nonce + kNonceBytes, static_cast<int>(length)) == 1 &&
      EVP_CIPHER_CTX_ctrl(c.ctx, EVP_CTRL_GCM_SET_TAG, kTagBytes, nonce + kNonceBytes + length) == 1 &&
      EVP_DecryptFinal_ex(c.ctx, bytes(plain) + n, &n) == 1;
  if (!ok) {
    OPENSSL_cleanse(plain.data(), plain.size());
    return make_error("tampered", "sealed value failed authentication");
  }
  return plain;
}

}  // namespace switchyard
