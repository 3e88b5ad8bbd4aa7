// HaloApi: the HaloPSA REST imitation below /halopsa/api, bearer tokens from /halopsa/auth/token:
//   GET  /api/{Resource}?pageinate=true&page_size=N&page_no=M&lastupdatefromdate=T (the last is
//        ignored for ClientContract, whose list has no such parameter)
//        → {"page_no","page_size","record_count","<list member>":[...]}, ordered by id
//        search_supplier_reference on Tickets (contains, ignoring case), ticket_id on Actions and
//        client_id on Asset
//   GET  /api/{Resource}/{id} (RecurringInvoice with includedetails=true carries its lines);
//        GET /api/Agent/me, the agent the application acts as (id, name, is_admin)
//   POST /api/{Resource} (and /api/RecurringInvoice/Lines) with a JSON array: each item with an
//        existing id updates it, any other creates a record, after the checks of halo_rules.h;
//        answers 200 with the record written (the first, for several).
// Callers serialise access.
#pragma once

#include "common/http_types.h"
#include "psa-sandbox/store.h"

namespace switchyard::sandbox::halopsa {

// Halo's error answer (an object with a message: Halo documents no fixed shape).
http::Response halo_error(int status, std::string_view message);

http::Response handle_api(const http::Request& request, Store& store);

}  // namespace switchyard::sandbox::halopsa
