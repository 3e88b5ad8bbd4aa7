#pragma once
// Feeds a request header to Beast's parser with one limit for the whole header, however the
// bytes arrive. Beast (1.81) applies header_limit to the bytes of one put() only, and put()
// keeps the fields it parsed, so a header that arrives in large reads could grow without end.
// HttpServer's sessions and the http_request fuzz target both read headers through this.
#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/parser.hpp>

#include <cstddef>

namespace switchyard::http {

class HeaderReader {
 public:
  explicit HeaderReader(size_t limit) : limit_(limit) {}

  // Puts the buffered bytes into the parser and returns how many it took (the caller consumes
  // them). `ec` says what next: success once the header is complete; need_more when more must
  // be read; header_limit once the header taken plus what is still buffered reaches the limit;
  // otherwise the parser's own error.
  size_t put(boost::beast::http::request_parser<boost::beast::http::string_body>& parser,
             boost::asio::const_buffer buffered, boost::beast::error_code& ec);

  size_t taken() const { return taken_; }  // header bytes the parser has taken so far

 private:
  size_t limit_;
  size_t taken_ = 0;
};

}  // namespace switchyard::http
