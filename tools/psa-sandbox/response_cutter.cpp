#include "psa-sandbox/response_cutter.h"

#include <algorithm>
#include <charconv>
#include <optional>

#include "psa-sandbox/faults.h"
#include "psa-sandbox/json_value.h"

namespace switchyard::sandbox {
namespace {

// Our server's headers are bounded (16 KiB in, small out); beyond this we stop interpreting.
constexpr size_t kMaxHeaderBytes = 64 * 1024;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

struct Head {
  int status = 0;
  std::optional<uint64_t> content_length;
  bool chunked = false;
  std::string fault;  // value of kFaultHeader
};

Head parse_head(std::string_view head) {
  Head h;
  size_t line_end = head.find("\r\n");
  const std::string_view status_line = head.substr(0, line_end);
  if (const size_t sp = status_line.find(' '); sp != std::string_view::npos && status_line.size() >= sp + 4) {
    std::from_chars(status_line.data() + sp + 1, status_line.data() + sp + 4, h.status);
  }
  while (line_end != std::string_view::npos && line_end + 2 < head.size()) {
    const size_t start = line_end + 2;
    line_end = head.find("\r\n", start);
    const std::string_view line =
        head.substr(start, line_end == std::string_view::npos ? std::string_view::npos : line_end - start);
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view name = trim(line.substr(0, colon));
    const std::string_view value = trim(line.substr(colon + 1));
    if (iequals(name, "content-length")) {
      uint64_t n = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec == std::errc() && end == value.data() + value.size()) h.content_length = n;
    } else if (iequals(name, "transfer-encoding")) {
      h.chunked = true;
    } else if (iequals(name, kFaultHeader)) {
      h.fault = std::string(value);
    }
  }
  return h;
}

bool bodiless(int status) { return (status >= 100 && status < 200) || status == 204 || status == 304; }

}  // namespace

bool ResponseCutter::on_header(size_t header_end, std::string& out) {
  const Head head = parse_head(std::string_view(buffer_).substr(0, header_end));
  const uint64_t body = bodiless(head.status) ? 0 : head.content_length.value_or(0);
  if (head.fault.starts_with("drop")) {
    state_ = State::cut;
    if (head.fault.find("cut=before") != std::string::npos)
      cut_at_ = 0;
    else if (head.fault.find("cut=headers") != std::string::npos || body == 0)
      cut_at_ = header_end / 2;
    else
      cut_at_ = header_end + static_cast<size_t>(body / 2);
    return false;
  }
  out.append(buffer_, 0, header_end);
  buffer_.erase(0, header_end);
  if (bodiless(head.status)) return true;
  if (head.chunked || !head.content_length) {
    state_ = State::passthrough;  // not framing we produce: stop interpreting
    out.append(buffer_);
    buffer_.clear();
    return false;
  }
  body_left_ = *head.content_length;
  state_ = State::body;
  return true;
}

bool ResponseCutter::feed(std::string_view bytes, std::string& out) {
  if (state_ == State::passthrough) {
    out.append(bytes);
    return false;
  }
  buffer_.append(bytes);
  for (;;) {
    if (state_ == State::body) {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(body_left_, buffer_.size()));
      out.append(buffer_, 0, n);
      buffer_.erase(0, n);
      body_left_ -= n;
      if (body_left_ > 0) return false;
      state_ = State::header;
    }
    if (state_ == State::header) {
      const size_t end = buffer_.find("\r\n\r\n");
      if (end == std::string::npos) {
        if (buffer_.size() > kMaxHeaderBytes) {
          state_ = State::passthrough;
          out.append(buffer_);
          buffer_.clear();
        }
        return false;
      }
      if (!on_header(end + 4, out)) {
        if (state_ == State::passthrough) return false;
      } else {
        continue;
      }
    }
    if (state_ == State::cut) {
      if (buffer_.size() < cut_at_) return false;
      out.append(buffer_, 0, cut_at_);
      buffer_.clear();
      return true;
    }
    if (state_ == State::passthrough) return false;
  }
}

}  // namespace switchyard::sandbox
