// SyncroApi: the Syncro REST imitation below /syncro/api/v1 (the spec's shapes):
//   GET /{resource}?page=N[&since_updated_at=T] → {"<list member>":[...],
//       "meta":{"total_pages","total_entries","per_page","page"}}, ordered by id; Syncro sets
//       the page size. since_updated_at is taken by tickets only (records changed at or after T).
//   GET /{resource}/{id} → {"<one member>":{...}}
//   GET /tickets?query=Q → tickets whose subject holds Q or whose tag_list has Q
//   POST /tickets, PUT /tickets/{id} → {"ticket":{...}} (a status "Resolved" stamps resolved_at)
//   POST /tickets/{id}/comment → {"comment":{...}}; POST /schedules/{id}/add_line_item →
//        {"schedule_line_item":{...}}; GET of the parent lists them ("comments", "lines")
//   GET /me → the token's user
// Errors are {"error": "..."}. Callers serialise access.
#pragma once

#include "common/http_types.h"
#include "psa-sandbox/store.h"

namespace switchyard::sandbox::syncro {

// Syncro's error answer: {"error": "<message>"}.
http::Response syncro_error(int status, std::string_view message);

http::Response handle_api(const http::Request& request, Store& store);

}  // namespace switchyard::sandbox::syncro
