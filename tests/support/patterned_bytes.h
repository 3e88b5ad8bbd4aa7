// Test bodies whose bytes differ from their neighbours: a chunk lost, repeated or moved across a
// buffer's end shows when the copy is compared with the original.
#pragma once

#include <string>

namespace switchyard::testing {

inline std::string patterned_bytes(size_t size) {
  std::string s(size, '\0');
  for (size_t i = 0; i < size; ++i) s[i] = static_cast<char>('a' + (i * 7 + size) % 26);
  return s;
}

}  // namespace switchyard::testing
