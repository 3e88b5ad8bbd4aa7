// dispatch's settings (docs/configuration.md has the environment variables behind them).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace switchyard {
class Heartbeats;
}

namespace switchyard::dispatch {

// The park reason of a paused tenant's commands.
inline constexpr std::string_view kTenantPaused = "tenant_paused";

struct DispatchOptions {
  std::string group_id = "switchyard-dispatch";
  int max_attempts = 5;  // failed PSA attempts of one command; throttled waits do not count
  std::chrono::milliseconds initial_backoff{500};
  std::chrono::milliseconds max_backoff{30000};
  size_t batch_size = 500;
  std::chrono::milliseconds poll_timeout{100};
  std::chrono::seconds command_record_ttl{30 * 86400};  // how long an executed command id is remembered
  std::chrono::seconds write_memo_ttl{30 * 86400};      // how long external ref → PSA id is remembered
  // How long a record written by a command is marked as Switchyard's own (sy:echo:*), so its
  // change coming back by webhook or poll is recognised as an echo.
  std::chrono::seconds echo_ttl{300};

  // Concurrency: in-flight commands per process (one worker thread each).
  size_t concurrency = 256;
  // Commands held in memory (running + waiting) before the partitions are paused.
  size_t window = 10000;
  // A parked tenant holding more than this many commands, or parked longer than
  // divert_after, moves its waiting commands to the retry topic.
  size_t tenant_capacity = 1000;
  std::chrono::milliseconds divert_after{5 * 60 * 1000};
  // A command parked longer than this is dead-lettered ("parked_too_long"), unless its tenant
  // is paused: a pause holds commands for as long as it lasts.
  std::chrono::seconds max_park{86400};
  // How often a paused tenant's first command looks whether the tenant was resumed.
  std::chrono::milliseconds paused_recheck{5000};
  // How often a tenant suspended for refused credentials looks whether they changed.
  std::chrono::milliseconds suspended_recheck{30000};
  // A tenant's limiter wait up to this long happens on the worker; longer ones park it.
  std::chrono::milliseconds max_inline_wait{1000};
  // Recipes (docs/recipes.md): how long their state lives after its last change (alert state,
  // open usage sums, closed periods' lines, applied recipe commands).
  std::chrono::seconds recipe_state_ttl{400 * 86400};
  // How often the consumer thread looks for billing periods due to close (0 = never).
  std::chrono::milliseconds usage_close_interval{60000};
  // When set, the consumer thread ("consumer") and every worker ("worker-<i>") beat a
  // heartbeat while run() runs (/healthz); must outlive the Dispatcher.
  Heartbeats* heartbeats = nullptr;
};

}  // namespace switchyard::dispatch
