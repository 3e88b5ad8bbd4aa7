// The keyset both ConnectWise pollers walk (poller.cpp): records sorted by (lastUpdated, id),
// each page starting after the last record read. The cursor "<lastUpdated>|<id>" names it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "connectors/connector.h"

namespace switchyard::connectors::connectwise {

// ConnectWise takes a field path ("_info/lastUpdated") in orderBy; conditions name the field
// bare ("lastUpdated"), as the poll always did.
inline constexpr std::string_view kPollOrderBy = "_info/lastUpdated asc, id asc";

struct KeysetPosition {
  std::string updated;  // RFC 3339 UTC seconds
  std::string id;
  std::string cursor() const { return updated + "|" + id; }
};

// Cursor text "<lastUpdated>|<id>" → position; nullopt when malformed.
std::optional<KeysetPosition> parse_keyset_cursor(std::string_view cursor);

// The conditions of the page after `after`, or of the delta's first page.
std::string keyset_conditions(const PollRequest& request, const std::optional<KeysetPosition>& after);

// The URL of one keyset page of `collection`; `fields` limits the columns when not empty.
std::string keyset_page_url(const Tenant& tenant, std::string_view collection, const PollRequest& request,
                            const std::optional<KeysetPosition>& after, int page_size, std::string_view fields = {});

}  // namespace switchyard::connectors::connectwise
