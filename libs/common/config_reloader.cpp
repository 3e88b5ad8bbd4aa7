#include "common/config_reloader.h"

#include "common/log.h"

namespace switchyard {
namespace {

double wall_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

ConfigReloader::ConfigReloader(std::string name, std::chrono::milliseconds interval, Attempt attempt,
                               Metrics& metrics, Heartbeats* heartbeats)
    : name_(std::move(name)),
      interval_(interval),
      attempt_(std::move(attempt)),
      heartbeats_(heartbeats),
      valid_(prometheus::BuildGauge()
                 .Name("switchyard_config_valid")
                 .Help("1 when the last read of the configuration validated, 0 when it did not (the old one stays in force)")
                 .Register(metrics.registry())
                 .Add({{"config", name_}})),
      applied_at_(prometheus::BuildGauge()
                      .Name("switchyard_config_last_applied_timestamp_seconds")
                      .Help("When the configuration in force was read (start, or the last reload that changed it)")
                      .Register(metrics.registry())
                      .Add({{"config", name_}})),
      applied_(prometheus::BuildCounter()
                   .Name("switchyard_config_reloads_total")
                   .Help("Reloads of a changed configuration, by result (applied, or invalid and not applied)")
                   .Register(metrics.registry())
                   .Add({{"config", name_}, {"result", "applied"}})),
      invalid_(prometheus::BuildCounter()
                   .Name("switchyard_config_reloads_total")
                   .Help("Reloads of a changed configuration, by result (applied, or invalid and not applied)")
                   .Register(metrics.registry())
                   .Add({{"config", name_}, {"result", "invalid"}})) {
  valid_.Set(1);  // the service started with a valid one
  applied_at_.Set(wall_seconds());
}

ConfigReloader::~ConfigReloader() { stop(); }

void ConfigReloader::start() {
  if (interval_.count() <= 0 || thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { run(); });
}

void ConfigReloader::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ConfigReloader::run() {
  Heartbeat beat;
  if (heartbeats_ != nullptr) beat = heartbeats_->add("config-reload", "config-reload-" + name_);
  const auto slice = beat ? std::min(interval_, beat.interval()) : interval_;
  auto next = std::chrono::steady_clock::now() + interval_;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      while (!stopping_ && std::chrono::steady_clock::now() < next) {
        wake_.wait_for(lock, std::min<std::chrono::steady_clock::duration>(slice, next - std::chrono::steady_clock::now()));
        beat.beat();
      }
      if (stopping_) return;
    }
    (void)reload_now();
    beat.beat();
    next = std::chrono::steady_clock::now() + interval_;
  }
}

Result<bool> ConfigReloader::attempt_once() {
  try {
    return attempt_();
  } catch (const std::exception& e) {
    return make_error("reload_failed", e.what());
  }
}

Result<bool> ConfigReloader::reload_now() {
  std::lock_guard serial(attempt_mutex_);
  auto result = attempt_once();
  if (!result) {
    // Perhaps read in the middle of an update: look again before calling it invalid.
    std::unique_lock lock(mutex_);
    if (wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; })) return result;  // shutting down
    lock.unlock();
    result = attempt_once();
  }
  if (!result) {
    valid_.Set(0);
    if (result.error().message != last_error_) {
      last_error_ = result.error().message;
      invalid_.Increment();
      // The message names the file and field, never a secret's value (common/tenants.h).
      log::error("configuration not reloaded: it does not validate; the previous one stays in force",
                 {{"config", name_}, {"error", last_error_}});
    }
    return result;
  }
  if (!last_error_.empty()) {
    last_error_.clear();
    log::info("configuration valid again", {{"config", name_}});
  }
  valid_.Set(1);
  if (*result) {
    applied_.Increment();
    applied_at_.Set(wall_seconds());
  }
  return result;
}

}  // namespace switchyard
