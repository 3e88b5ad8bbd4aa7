#include "common/consume_loop.h"

#include <thread>

#include "common/log.h"

namespace switchyard {

bool sleep_unless_stopped(std::chrono::milliseconds d, const std::atomic<bool>& stop) {
  const auto until = std::chrono::steady_clock::now() + d;
  for (auto now = std::chrono::steady_clock::now(); now < until; now = std::chrono::steady_clock::now()) {
    if (stop.load()) return false;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - now) + std::chrono::milliseconds(1);
    std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(std::chrono::milliseconds(50), left));
  }
  return !stop.load();
}

ConsumeLoop::ConsumeLoop(KafkaConsumer& consumer, Metrics& metrics, Options options, std::function<void()> on_idle)
    : consumer_(consumer),
      metrics_(metrics),
      options_(std::move(options)),
      on_idle_(std::move(on_idle)),
      lag_(metrics, [this] { return consumer_.lag(); }) {}

size_t ConsumeLoop::run_once(const Handler& handle) {
  const std::vector<KafkaMessage> messages = consumer_.poll_batch(options_.batch_size, options_.poll_timeout);
  lag_.tick();
  if (messages.empty()) {
    if (on_idle_) on_idle_();
    return 0;
  }
  BatchProgress progress(consumer_, messages);
  try {
    handle(messages, progress);
  } catch (...) {
    progress.settle();  // the unfinished messages come again; none is skipped
    throw;
  }
  progress.settle();
  return progress.finished();
}

void ConsumeLoop::run(const std::atomic<bool>& stop, const Handler& handle, Heartbeat* beat) {
  while (!stop.load()) {
    if (beat != nullptr) beat->beat();
    std::string error;
    try {
      run_once(handle);
      continue;
    } catch (const std::exception& e) {
      error = e.what();
    } catch (...) {
      error = "unknown exception";
    }
    metrics_.count_batch_failure();
    log::error(options_.name + " batch failed; its unfinished messages will be retried", {{"error", error}});
    sleep_unless_stopped(options_.failure_backoff, stop);
  }
}

}  // namespace switchyard
