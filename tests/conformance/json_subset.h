// "Does this JSON contain that JSON?": how fixtures state the fields a canonical event or a
// PSA record must have without pinning every other field (timestamps, ids the PSA assigns).
#pragma once

#include <string>
#include <vector>

namespace switchyard::conformance {

// Where `actual` differs from `expected`: every member of an expected object must be in the
// actual one with a matching value; arrays match element by element and in length; numbers
// compare as numbers (1 == 1.0). Each difference names its path ("record.board.id: ...").
// Empty when `expected` is contained in `actual`.
std::vector<std::string> subset_mismatches(const std::string& expected, const std::string& actual);

std::string joined(const std::vector<std::string>& lines);

}  // namespace switchyard::conformance
