// Polling ticket notes. ConnectWise lists notes only below their ticket
// (service/tickets/{id}/notes), so a delta of notes walks the tickets changed since `since` on
// the tickets' keyset (poll_keyset.h) and reads each one's notes changed since then:
//   GET /service/tickets?conditions=lastUpdated >= [since]&orderBy=...&fields=id,_info
//   GET /service/tickets/{id}/notes?conditions=lastUpdated >= [since]&orderBy=id asc&page=N
// Adding or editing a note stamps its ticket's lastUpdated, which is what brings the ticket into
// the delta (docs/psa/connectwise.md). Every request counts against max_pages, so the cursor
// holds the walk: "<lastUpdated>|<id>" of the last ticket listed, then the tickets of that page
// whose notes are still to read (the first with the notes page it is at), then "end" once the
// page listed was the last: "2026-11-25T10:00:00Z|812;805@2,811;end". A plain keyset cursor is
// its first part alone. The version of a note is its own lastUpdated.
#include <deque>

#include "common/json_read.h"
#include "common/time_format.h"
#include "connectors/connectwise/connectwise_connector.h"
#include "connectors/connectwise/poll_keyset.h"

namespace switchyard::connectors::connectwise {
namespace {

constexpr int kTicketsPerPage = 50;  // the pending list rides in the cursor: keep it short
constexpr std::string_view kNotes = "service/tickets/notes";

struct PendingTicket {
  std::string id;
  int page = 1;  // the notes page to read next
};

struct NotesWalk {
  std::optional<KeysetPosition> after;  // the last ticket listed
  std::deque<PendingTicket> pending;    // listed, notes not all read yet
  bool last_page = false;               // nothing listed after `after`

  std::string cursor() const {
    if (!after) return {};
    std::string out = after->cursor();
    if (pending.empty() && !last_page) return out;
    out.push_back(';');
    for (size_t i = 0; i < pending.size(); ++i) {
      if (i > 0) out.push_back(',');
      out.append(pending[i].id);
      if (pending[i].page > 1) out.append("@").append(std::to_string(pending[i].page));
    }
    if (last_page) out.append(";end");
    return out;
  }
};

bool is_id(std::string_view text) {
  return !text.empty() && text.size() <= 18 && text.find_first_not_of("0123456789") == std::string_view::npos;
}

std::optional<NotesWalk> parse_walk(std::string_view cursor) {
  NotesWalk walk;
  if (cursor.empty()) return walk;
  const size_t semi = cursor.find(';');
  walk.after = parse_keyset_cursor(cursor.substr(0, semi));
  if (!walk.after) return std::nullopt;
  if (semi == std::string_view::npos) return walk;
  std::string_view rest = cursor.substr(semi + 1);
  if (rest.ends_with(";end") || rest == "end") {
    walk.last_page = true;
    rest.remove_suffix(rest == "end" ? 3 : 4);
  }
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    PendingTicket ticket;
    const size_t at = item.find('@');
    ticket.id = std::string(item.substr(0, at));
    if (!is_id(ticket.id) || walk.pending.size() >= kTicketsPerPage) return std::nullopt;
    if (at != std::string_view::npos) {
      const std::string_view page = item.substr(at + 1);
      if (!is_id(page) || page.size() > 6) return std::nullopt;
      ticket.page = std::stoi(std::string(page));
      if (ticket.page < 1) return std::nullopt;
    }
    walk.pending.push_back(std::move(ticket));
  }
  return walk;
}

Result<simdjson::dom::array> read_array(simdjson::dom::parser& parser, const http::ClientResponse& response,
                                        std::string_view what) {
  if (response.status != 200) {
    return make_error("psa_error", "connectwise answered " + std::to_string(response.status) + " to a poll of " +
                                       std::string(what));
  }
  simdjson::dom::element root;
  simdjson::dom::array items;
  if (parser.parse(response.body).get(root) != simdjson::SUCCESS || root.get(items) != simdjson::SUCCESS) {
    return make_error("invalid_payload", "connectwise poll of " + std::string(what) + ": not a JSON array");
  }
  return items;
}

std::optional<KeysetPosition> position_of(simdjson::dom::object record) {
  auto id = json::required_id(record, "id", "");
  auto info = json::optional_object(record, "_info", "");
  if (!id || !info || !*info) return std::nullopt;
  auto updated = json::required_string(**info, "lastUpdated", "_info");
  if (!updated) return std::nullopt;
  auto version = normalize_rfc3339(*updated);
  if (!version) return std::nullopt;
  return KeysetPosition{*version, *id};
}

// Lists the next page of changed tickets into walk.pending.
Status list_tickets(const Tenant& tenant, PsaHttp& http, const PollRequest& request, int page_size,
                    simdjson::dom::parser& parser, NotesWalk& walk, PollResult& result) {
  http::ClientRequest call;
  call.url = keyset_page_url(tenant, "service/tickets", request, walk.after, page_size, "id,_info");
  call.headers = auth_headers(tenant);
  auto response = http.send(call);
  ++result.pages;
  if (!response) return response.error();
  auto tickets = read_array(parser, *response, "service/tickets");
  if (!tickets) return tickets.error();
  size_t count = 0;
  bool advanced = false;
  for (simdjson::dom::element item : *tickets) {
    ++count;
    simdjson::dom::object ticket;
    if (item.get(ticket) != simdjson::SUCCESS) continue;
    auto position = position_of(ticket);
    if (!position) continue;
    walk.pending.push_back(PendingTicket{position->id});
    if (position->updated > result.high_watermark) result.high_watermark = position->updated;
    walk.after = std::move(position);
    advanced = true;
  }
  walk.last_page = count < static_cast<size_t>(page_size);
  if (!advanced && !walk.last_page) {
    return make_error("invalid_payload", "connectwise poll of service/tickets: a full page without id and _info.lastUpdated");
  }
  return ok_status();
}

// Reads one page of the first pending ticket's notes; drops the ticket once its last page is read.
Status read_notes_page(const Tenant& tenant, PsaHttp& http, const PollRequest& request, int page_size,
                       simdjson::dom::parser& parser, NotesWalk& walk, PollResult& result) {
  PendingTicket& ticket = walk.pending.front();
  std::string url = tenant.base_url;
  url.append("/service/tickets/").append(ticket.id).append("/notes?orderBy=").append(http::url_encode("id asc"));
  url.append("&page=").append(std::to_string(ticket.page)).append("&pageSize=").append(std::to_string(page_size));
  if (!request.since.empty()) {
    url.append("&conditions=").append(http::url_encode("lastUpdated >= [" + request.since + "]"));
  }
  http::ClientRequest call;
  call.url = std::move(url);
  call.headers = auth_headers(tenant);
  auto response = http.send(call);
  ++result.pages;
  if (!response) return response.error();
  if (response->status == 404) {  // the ticket was deleted since it was listed: no notes left
    walk.pending.pop_front();
    return ok_status();
  }
  auto notes = read_array(parser, *response, kNotes);
  if (!notes) return notes.error();
  size_t count = 0;
  for (simdjson::dom::element item : *notes) {
    ++count;
    simdjson::dom::object note;
    if (item.get(note) != simdjson::SUCCESS) continue;
    auto position = position_of(note);
    if (!position) continue;
    result.changes.push_back(
        Change{"ticket_note", position->id, "updated", position->updated, std::string(simdjson::minify(item))});
  }
  if (count < static_cast<size_t>(page_size)) {
    walk.pending.pop_front();
  } else {
    ++ticket.page;
  }
  return ok_status();
}

}  // namespace

Result<PollResult> poll_ticket_notes(const Tenant& tenant, PsaHttp& http, const PollRequest& request) {
  auto walk = parse_walk(request.cursor);
  if (!walk) return make_error("invalid_cursor", "connectwise: ticket note cursor \"" + request.cursor + "\" is malformed");
  const int notes_page = page_size_of(request, {.preferred = 200, .max = 1000});
  const int tickets_page = std::min(notes_page, kTicketsPerPage);
  const int max_pages = std::max(1, request.max_pages);

  PollResult result;
  result.complete = false;
  simdjson::dom::parser parser;
  while (result.pages < max_pages) {
    if (walk->pending.empty()) {
      if (walk->last_page) {
        result.complete = true;
        break;
      }
      if (auto st = list_tickets(tenant, http, request, tickets_page, parser, *walk, result); !st) return st.error();
    } else if (auto st = read_notes_page(tenant, http, request, notes_page, parser, *walk, result); !st) {
      return st.error();
    }
  }
  if (walk->pending.empty() && walk->last_page) result.complete = true;
  result.cursor = walk->cursor();
  return result;
}

}  // namespace switchyard::connectors::connectwise
