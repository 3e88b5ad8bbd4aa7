// Looking for values that must not be somewhere (a secret in a Redis dump, a person's name in a
// log line), in the forms they could take there: as written, base64 (at any alignment inside a
// longer base64 text, standard and URL alphabets), hex (either case), and percent-encoded.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard::testing {

// One form of a value to look for: what it is ("base64, offset 1") and the text.
struct EncodedForm {
  std::string form;
  std::string text;
};

// The value as written, and its encodings. A base64 form is the part of the encoding that
// depends on the value alone, so it is found inside any base64 text that holds the value at
// that alignment; forms shorter than 8 characters are left out (they would match by chance).
std::vector<EncodedForm> encoded_forms(std::string_view value);

// Where one of `needles` (name -> value, each in every encoded form) occurs in `haystack`:
// "<name> (<form>)" for each hit, empty when none does. Case-sensitive except hex.
std::vector<std::string> find_leaks(std::string_view haystack, const std::map<std::string, std::string>& needles);

}  // namespace switchyard::testing
