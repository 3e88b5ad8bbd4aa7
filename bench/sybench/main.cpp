// sybench: the C++ side of `make bench` (bench/run.sh drives it; docs/performance.md explains
// every figure). Each subcommand prints its figures on stdout as `name value unit` lines and
// its progress on stderr.
//
//   sybench selfcheck    --tenants FILE
//   sybench wrk-script   --psa connectwise|autotask --out FILE.lua [--count 2000]
//   sybench e2e-webhook  --webhook-port PORT --bootstrap B --topic CANONICAL --figure NAME
//                        (PORT: ingest's webhook listener, SWITCHYARD_WEBHOOK_LISTEN)
//                        [--psa connectwise] [--rate 1000] [--duration 10] [--connections 64]
//                        [--id-base N] [--fetch-wait-ms 5]
//   sybench normalize-feed --bootstrap B --raw-topic T --canonical-topic T --tenants FILE --figure NAME
//                        [--ready-urls U,U --pids P,P | --services-file FILE] [--proxy-port-file FILE]
//                        [--redis-host H --redis-port P] [--duration 15] [--dup-rate 0.2]
//                        [--window 6000] [--pool 400000] [--psa mix] [--id-base N]
//   sybench dispatch     --bootstrap B --topic T --metrics-url U --sandbox-url U --figure NAME
//                        [--count 10000] [--rate 0] [--pids P] [--sandbox-pid P]
//                        [--ref-prefix X] [--refs M] [--dump FILE]
//   sybench limiter      [--redis-host H --redis-port P] [--seconds 2] [--figure NAME]
//   sybench poll-fleet   --sandbox-url U --bootstrap B --figure NAME [--replicas 1] [--tenants 1000]
//                        [--entities ticket,company] [--workers 32] [--redis-host H --redis-port P]
//                        (details in poll_fleet.cpp)
//   sybench sandbox-load --port SANDBOX_PORT --figure NAME [--rate 1500] [--duration 5]
//                        [--connections 400] [--tenants 200] [--tenant-prefix load]
//   sybench dispatch-fleet --bootstrap B --topic T --figure NAME [--mode run|produce|held]
//                        [--sandbox-url U] [--tenants 200] [--tenant-prefix fleet] [--count 10000]
//                        [--rate 0 --duration 10] [--timeout 60] [--metrics-url U] [--pids P]
//                        [--stop-pid P] [--group G] [--dlq-topic T] [--retry-topic T]
//                        [--throttled TENANT --throttle 0|1] [--exhaust 0|1] [--ref-prefix X]
//                        (details in dispatch_fleet.cpp)
#include <cstdio>
#include <exception>
#include <string>

#include "commands.h"
#include "common/log.h"

int main(int argc, char** argv) {
  using namespace switchyard::bench;
  if (argc < 2) {
    std::fprintf(stderr, "usage: sybench selfcheck|wrk-script|e2e-webhook|normalize-feed|dispatch|limiter|sandbox-load|dispatch-fleet|poll-fleet [--opt value]...\n");
    return 2;
  }
  switchyard::log::init("sybench", switchyard::log::Level::Warn);
  const std::string command = argv[1];
  try {
    const Options options(argc, argv, 2);
    if (command == "selfcheck") return selfcheck(options);
    if (command == "wrk-script") return wrk_script(options);
    if (command == "e2e-webhook") return e2e_webhook(options);
    if (command == "normalize-feed") return normalize_feed(options);
    if (command == "dispatch") return dispatch_commands(options);
    if (command == "limiter") return limiter(options);
    if (command == "poll-fleet") return poll_fleet(options);
    if (command == "sandbox-load") return sandbox_load(options);
    if (command == "dispatch-fleet") return dispatch_fleet(options);
    std::fprintf(stderr, "sybench: unknown command %s\n", command.c_str());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sybench %s: %s\n", command.c_str(), e.what());
    return 1;
  }
}
