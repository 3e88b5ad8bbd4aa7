#include "connectors/page_poll.h"

#include <algorithm>
#include <charconv>
#include <string>

#include "common/time_format.h"

namespace switchyard::connectors {
namespace {

constexpr int kMaxPage = 1'000'000;  // beyond any real delta: a cursor past it is corrupt

std::optional<int> parse_page_cursor(std::string_view cursor) {
  int page = 0;
  const auto [end, ec] = std::from_chars(cursor.data(), cursor.data() + cursor.size(), page);
  if (ec != std::errc{} || end != cursor.data() + cursor.size() || page < 1 || page > kMaxPage) return std::nullopt;
  return page;
}

}  // namespace

Result<PagePollStart> start_page_poll(std::string_view psa, const PollRequest& request) {
  PagePollStart start;
  start.max_pages = std::max(1, request.max_pages);
  if (!request.cursor.empty()) {
    const auto page = parse_page_cursor(request.cursor);
    if (!page) {
      std::string message(psa);
      message.append(": poll cursor \"").append(request.cursor).append("\" is not a page number");
      return make_error("invalid_cursor", std::move(message));
    }
    start.page = *page;
  }
  if (!request.since.empty()) {
    auto since = parse_rfc3339(request.since);
    if (!since) {
      std::string message(psa);
      message.append(": since \"").append(request.since).append("\" is not RFC 3339");
      return make_error("invalid_argument", std::move(message));
    }
    start.since = *since;
  }
  return start;
}

}  // namespace switchyard::connectors
