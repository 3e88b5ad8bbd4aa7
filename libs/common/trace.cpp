#include "common/trace.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "common/crypto.h"

namespace switchyard {

namespace {

// SplitMix64 (Steele, Lea and Flood, 2014): a full-period generator whose outputs pass BigCrush.
std::uint64_t next(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace

std::string new_trace_id() {
  // A trace id must be unique and random-looking, not secret: it is logged, answered in the
  // 202 and sent on as a Kafka header. So each thread seeds a generator from the OS's CSPRNG
  // once and draws from it, instead of a RAND_bytes call (and OpenSSL's DRBG locks) per webhook
  // (issue #18). Two threads' sequences meet only if their 64-bit seeds nearly do.
  thread_local std::uint64_t state = [] {
    std::uint64_t seed = 0;
    const std::string raw = crypto::random_bytes(sizeof seed);
    std::memcpy(&seed, raw.data(), sizeof seed);
    return seed;
  }();
  std::string id;
  do {
    const std::uint64_t words[2] = {next(state), next(state)};
    id = crypto::hex_encode(std::string_view(reinterpret_cast<const char*>(words), sizeof words));
  } while (!is_trace_id(id));  // all zeros is invalid (W3C): drawn again
  return id;
}

bool is_trace_id(std::string_view id) {
  return id.size() == 32 && std::ranges::all_of(id, [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }) &&
         id.find_first_not_of('0') != std::string_view::npos;
}

std::string trace_id_from_traceparent(std::string_view header) {
  // version "-" trace-id "-" parent-id "-" flags: 2 + 1 + 32 + 1 + 16 + 1 + 2 characters.
  if (header.size() < 55 || header[2] != '-' || header[35] != '-' || header[52] != '-') return {};
  if (header.substr(0, 2) == "ff") return {};  // version ff is forbidden
  const std::string_view id = header.substr(3, 32);
  return is_trace_id(id) ? std::string(id) : std::string();
}

}  // namespace switchyard
