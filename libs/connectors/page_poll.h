// Where a poll of a page-numbered list starts (HaloPSA's page_no, Syncro's page, the v2 API's
// PageNumber): the page to read first, taken from the cursor the previous call returned, the
// delta's start as a time (for PSAs that filter some lists themselves) and the call's page
// budget. The cursor of such a poll is simply the number of the next page.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "common/result.h"
#include "connectors/connector.h"

namespace switchyard::connectors {

struct PagePollStart {
  int page = 1;  // 1-based
  std::optional<std::chrono::system_clock::time_point> since;  // unset for a backfill
  int max_pages = 1;                                            // >= 1
};

// Errors "invalid_cursor" (not a page number in [1, 1,000,000]) and "invalid_argument" (since
// is not RFC 3339), each naming `psa`.
Result<PagePollStart> start_page_poll(std::string_view psa, const PollRequest& request);

}  // namespace switchyard::connectors
