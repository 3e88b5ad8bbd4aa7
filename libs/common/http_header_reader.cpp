#include "common/http_header_reader.h"

#include <cstdint>

namespace switchyard::http {

namespace bhttp = boost::beast::http;

size_t HeaderReader::put(bhttp::request_parser<bhttp::string_body>& parser, boost::asio::const_buffer buffered,
                         boost::beast::error_code& ec) {
  ec = bhttp::error::need_more;
  size_t used = 0;
  if (buffered.size() > 0 && taken_ < limit_) {
    parser.header_limit(static_cast<std::uint32_t>(limit_ - taken_));  // what is left of the whole
    ec = {};
    used = parser.put(buffered, ec);
    taken_ += used;
  }
  if (parser.is_header_done()) {
    ec = {};
    return used;
  }
  if (ec && ec != bhttp::error::need_more) return used;
  if (taken_ + (buffered.size() - used) >= limit_) ec = bhttp::error::header_limit;
  else ec = bhttp::error::need_more;
  return used;
}

}  // namespace switchyard::http
