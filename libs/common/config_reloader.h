// ConfigReloader: reads a configuration again every `interval` on its own thread and applies it
// when it changed, so adding a tenant or rotating a secret needs no restart. It polls rather
// than watching with inotify: a Kubernetes ConfigMap or Secret volume is updated by swapping a
// `..data` symlink, which polling sees the same way as an edited file, on every filesystem.
//
// A configuration that does not validate is not applied: the old one stays in force. It is
// reported once per distinct error (an error log line), and by the metrics
// switchyard_config_valid{config} = 0 and switchyard_config_reloads_total{config,result="invalid"}
// (alert SwitchyardConfigInvalid). A failed read is retried once a second later before it
// counts, since a read may fall between the removal of one file and the swap of the symlink.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "common/metrics.h"
#include "common/result.h"

namespace switchyard {

class ConfigReloader {
 public:
  // Reads the configuration and applies it if it differs from the one in force: true when
  // applied, false when unchanged, an error when it does not validate (nothing applied).
  using Attempt = std::function<Result<bool>()>;

  // `name` is the metric label ("tenants"); `interval` 0 disables start().
  ConfigReloader(std::string name, std::chrono::milliseconds interval, Attempt attempt, Metrics& metrics,
                 Heartbeats* heartbeats = nullptr);
  ~ConfigReloader();
  ConfigReloader(const ConfigReloader&) = delete;
  ConfigReloader& operator=(const ConfigReloader&) = delete;

  void start();
  void stop();
  // One attempt now, on the caller's thread, with the same reporting (tests, an admin reload).
  Result<bool> reload_now();

 private:
  void run();
  Result<bool> attempt_once();

  std::string name_;
  std::chrono::milliseconds interval_;
  Attempt attempt_;
  Heartbeats* heartbeats_;
  prometheus::Gauge& valid_;
  prometheus::Gauge& applied_at_;
  prometheus::Counter& applied_;
  prometheus::Counter& invalid_;

  std::mutex attempt_mutex_;  // one attempt at a time (the thread and reload_now)
  std::string last_error_;    // reported once until it changes

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace switchyard
