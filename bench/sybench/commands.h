// The sybench subcommands (see main.cpp for their options).
#pragma once

#include "report.h"

namespace switchyard::bench {

int wrk_script(const Options& o);       // pre-signed webhooks as a wrk Lua script
int e2e_webhook(const Options& o);      // paced webhooks → ingest; canonical events read back
int normalize_feed(const Options& o);   // envelopes → raw topic while normalize runs; count out
int dispatch_commands(const Options& o);// commands → topic; dispatch → sandbox; rate and latency
int limiter(const Options& o);          // the GCRA limiter's cost per call
int selfcheck(const Options& o);        // the payloads pass the connectors' own checks
int poll_fleet(const Options& o);       // ingest pollers, many sandbox tenants: one full poll cycle
int sandbox_load(const Options& o);     // delayed requests the sandbox carries at once
int dispatch_fleet(const Options& o);   // one dispatch, many sandbox tenants: rate, isolation, backlog

}  // namespace switchyard::bench
