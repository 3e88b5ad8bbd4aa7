#include "connectors/psa_http.h"

#include <algorithm>
#include <charconv>

namespace switchyard::connectors {

bool is_retryable_status(int status) { return status == 408 || status == 429 || status >= 500; }

std::chrono::milliseconds retry_after_of(const http::ClientResponse& response) {
  const std::string_view value = response.header("Retry-After");
  int seconds = 0;
  const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec != std::errc() || ptr != value.data() + value.size() || seconds < 0) return std::chrono::milliseconds(0);
  // A PSA asking for more than 10 minutes is capped; dispatch's own backoff takes over.
  return std::chrono::milliseconds(std::min(seconds, 600) * 1000LL);
}

}  // namespace switchyard::connectors
