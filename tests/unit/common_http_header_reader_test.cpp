// HeaderReader: one limit for a request's whole header, however its bytes are split into reads.
#include "common/http_header_reader.h"

#include <gtest/gtest.h>

#include <string>

namespace switchyard::http {
namespace {

namespace bhttp = boost::beast::http;
using Parser = bhttp::request_parser<bhttp::string_body>;

// Feeds `request` in reads of `read_size` bytes, as a session does; returns the error that ended
// the header (success once it is complete) and leaves unread what followed it in `rest`.
boost::beast::error_code read_header(Parser& parser, HeaderReader& reader, const std::string& request,
                                     size_t read_size, std::string& rest) {
  std::string buffer;
  size_t offered = 0;
  for (;;) {
    boost::beast::error_code ec;
    buffer.erase(0, reader.put(parser, boost::asio::buffer(buffer.data(), buffer.size()), ec));
    if (ec != bhttp::error::need_more) {
      rest = buffer + request.substr(offered);
      return ec;
    }
    if (offered == request.size()) return bhttp::error::partial_message;
    const size_t n = std::min(read_size, request.size() - offered);
    buffer.append(request, offered, n);
    offered += n;
  }
}

// A header of `fields` fields "X-Fnnnn: v", each 12 bytes with its CRLF.
std::string header_with(int fields) {
  std::string h = "POST /hook HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < fields; ++i) h += "X-F" + std::to_string(1000 + i) + ": v\r\n";
  return h;
}

TEST(HttpHeaderReaderTest, ACompleteHeaderIsTakenAndTheBodyLeftForTheBodyRead) {
  const std::string request = header_with(3) + "Content-Length: 4\r\n\r\nbody";
  for (size_t read_size : {1UL, 7UL, 64UL, 4096UL}) {
    Parser parser;
    HeaderReader reader(16 * 1024);
    std::string rest;
    EXPECT_FALSE(read_header(parser, reader, request, read_size, rest)) << read_size;
    EXPECT_TRUE(parser.is_header_done());
    EXPECT_EQ(parser.get()["X-F1002"], "v");
    EXPECT_EQ(reader.taken(), request.size() - 4) << read_size;
    EXPECT_EQ(rest, "body") << read_size;
  }
}

TEST(HttpHeaderReaderTest, TheLimitHoldsForTheWholeHeaderWhateverTheReads) {
  // 2,000 fields: about 24 KB, over a 16 KB limit, while every read is far under it.
  const std::string request = header_with(2000) + "\r\n";
  for (size_t read_size : {1UL, 12UL, 512UL, 8192UL, 12 * 683UL}) {
    Parser parser;
    HeaderReader reader(16 * 1024);
    std::string rest;
    EXPECT_EQ(read_header(parser, reader, request, read_size, rest), bhttp::error::header_limit) << read_size;
    EXPECT_FALSE(parser.is_header_done());
    EXPECT_LE(reader.taken(), 16u * 1024) << read_size;
  }
}

TEST(HttpHeaderReaderTest, AHeaderJustUnderTheLimitPasses) {
  std::string request = header_with(10) + "\r\n";
  Parser parser;
  HeaderReader reader(request.size() + 1);
  std::string rest;
  EXPECT_FALSE(read_header(parser, reader, request, 5, rest));
  Parser over;
  HeaderReader tight(request.size() - 1);
  EXPECT_EQ(read_header(over, tight, request, 5, rest), bhttp::error::header_limit);
}

TEST(HttpHeaderReaderTest, MalformedInputIsTheParsersError) {
  Parser parser;
  HeaderReader reader(16 * 1024);
  std::string rest;
  const auto ec = read_header(parser, reader, "POST /hook HTTP/9\r\n\r\n", 64, rest);
  EXPECT_TRUE(ec);
  EXPECT_NE(ec, bhttp::error::header_limit);
  EXPECT_NE(ec, bhttp::error::need_more);
}

TEST(HttpHeaderReaderTest, NothingBufferedAsksForMore) {
  Parser parser;
  HeaderReader reader(16 * 1024);
  boost::beast::error_code ec;
  EXPECT_EQ(reader.put(parser, boost::asio::const_buffer(), ec), 0u);
  EXPECT_EQ(ec, bhttp::error::need_more);
  EXPECT_EQ(reader.taken(), 0u);
}

}  // namespace
}  // namespace switchyard::http
