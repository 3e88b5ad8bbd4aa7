#include "dispatch/dispatcher.h"

#include <cmath>
#include <map>
#include <set>

#include "common/consume_loop.h"
#include "common/log.h"
#include "dispatch/retry_route.h"

namespace switchyard::dispatch {
namespace {

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Dispatcher::Dispatcher(const ServiceConfig& config, DispatchOptions options, const LiveTenants& tenants,
                       const connectors::ConnectorRegistry& registry, Metrics& metrics)
    : config_(config),
      options_(std::move(options)),
      tenants_(tenants),
      metrics_(metrics),
      dispatch_metrics_(metrics),
      activity_metrics_(metrics),
      producer_([&] {
        auto producer = KafkaProducer::create(config.kafka);
        if (!producer) throw ConfigError("kafka producer: " + producer.error().message);
        return std::move(*producer);
      }()),
      consumer_([&] {
        auto consumer = KafkaConsumer::create(config.kafka, options_.group_id,
                                              {config.topics.commands, config.topics.commands_retry});
        if (!consumer) throw ConfigError("kafka consumer: " + consumer.error().message);
        return std::move(*consumer);
      }()),
      context_{config_, options_, tenants_, registry, metrics_, dispatch_metrics_, *producer_, activity_metrics_},
      window_(CommandWindow::Limits{options_.tenant_capacity}),
      redis_(config.redis) {
  redis_health_.ping_if_due(redis_);
  expirer_ = std::make_unique<CommandRunner>(context_, &consumer_beat_);
  usage_closer_ = std::make_unique<UsageCloser>(redis_, *producer_, metrics_, tenants_, config_.topics.commands,
                                                options_.recipe_state_ttl);
  consumer_->set_rebalance_listeners([this](const auto& partitions) { on_assign(partitions); },
                                     [this](const auto& partitions) { on_revoke(partitions); });
}

Dispatcher::~Dispatcher() { close(); }

void Dispatcher::close() {
  if (consumer_) consumer_->close();
}

bool Dispatcher::ready(std::string& reason) {
  if (!redis_health_.ok()) reason = "redis unreachable";
  else if (!consumer_->has_assignment()) reason = "no partitions assigned yet";
  return reason.empty();
}

size_t Dispatcher::tenant_concurrency(const Tenant* tenant) const {
  // About one in-flight command per request a second the tenant may make: enough to use its
  // whole budget at PSA latencies up to a second, never enough to crowd out other tenants.
  if (tenant == nullptr) return options_.concurrency;
  const double per_second = std::ceil(tenant->rate_limit.requests_per_second);
  return std::clamp<size_t>(static_cast<size_t>(per_second), 2, std::max<size_t>(2, options_.concurrency / 4));
}

void Dispatcher::work(const std::atomic<bool>& stop, size_t index) {
  Heartbeat beat;
  if (options_.heartbeats != nullptr) beat = options_.heartbeats->add("worker", "worker-" + std::to_string(index));
  CommandRunner runner(context_, &beat);
  // take() beats while waiting; the runner beats before each PSA request and Kafka wait.
  while (WindowEntry* e = window_.take(stop, &beat)) {
    RunOutcome outcome;
    try {
      outcome = runner.run(*e, stop);
    } catch (const std::exception& ex) {
      // A connector bug must not take the process down or lose the command: it comes again.
      log::error("command failed with an exception; retrying", {{"tenant", e->tenant}, {"error", ex.what()}});
      metrics_.count_batch_failure();
      outcome = RunOutcome{RunOutcome::Kind::Parked, SteadyClock::now() + std::chrono::seconds(1), "internal_error"};
    }
    switch (outcome.kind) {
      case RunOutcome::Kind::Finished: window_.finish(e); break;
      case RunOutcome::Kind::Parked: window_.park(e, outcome.park_until, outcome.park_reason); break;
      case RunOutcome::Kind::Stopped: window_.release(e); break;
    }
  }
}

void Dispatcher::delay_retry(WindowEntry* entry, int64_t not_before_ms) {
  const TopicPartitionId tp{entry->message.topic, entry->message.partition};
  auto& queue = delayed_[tp];
  if (queue.empty()) consumer_->pause({tp});
  queue.push_back({entry, not_before_ms});
}

void Dispatcher::release_due_retries() {
  const int64_t now = now_ms();
  for (auto it = delayed_.begin(); it != delayed_.end();) {
    auto& queue = it->second;
    while (!queue.empty()) {
      WindowEntry* e = queue.front().entry;
      if (queue.front().not_before_ms > now) break;
      if (!e->tenant.empty() && window_.waiting(e->tenant) >= options_.tenant_capacity) break;  // room first
      window_.enqueue(e, tenant_concurrency(tenants_.find(e->tenant).get()));
      queue.pop_front();
    }
    if (queue.empty()) {
      if (!paused_) consumer_->resume({it->first});
      it = delayed_.erase(it);
    } else {
      ++it;
    }
  }
}

void Dispatcher::admit(std::vector<KafkaMessage> batch) {
  std::vector<WindowEntry> entries;
  entries.reserve(batch.size());
  std::set<std::string> direct_tenants;
  for (auto& m : batch) {
    WindowEntry e;
    e.message = std::move(m);
    e.command = command_from_json(e.message.value);
    if (!e.command && e.command.error().code == "unknown_command_type") {
      // Not a command this build knows: a recipe (common/recipe.h), or a type nobody knows.
      auto recipe = recipe_from_json(e.message.value);
      if (recipe) e.recipe = std::move(*recipe);
      else e.command = recipe.error();
    }
    const std::string& named = e.recipe ? e.recipe->tenant : e.command ? e.command->tenant : std::string();
    if (!named.empty()) {
      if (const TenantRef t = tenants_.find(named)) e.tenant = t->id;
    }
    if (e.message.topic != config_.topics.commands_retry) {
      e.origin = origin_of(e.message);
      if (!e.tenant.empty()) direct_tenants.insert(e.tenant);
    }
    entries.push_back(std::move(e));
  }
  auto on_route = tenants_on_retry_route(redis_, direct_tenants);
  if (!on_route) {
    // Without knowing whether a tenant's commands wait on the retry route, running its new ones
    // could overtake them: the batch comes again once Redis answers.
    metrics_.count_redis_error("retry_route_check");
    log::warn("retry route unknown (redis); batch rewound", {{"error", on_route.error().message}});
    std::set<TopicPartitionId> rewound;
    for (const auto& e : entries) {
      if (rewound.insert({e.message.topic, e.message.partition}).second) (void)consumer_->seek_to(e.message);
    }
    sleep_unless_stopped(std::chrono::milliseconds(500), std::atomic<bool>{false});
    return;
  }
  std::vector<WindowEntry*> follow;
  for (auto& e : entries) {
    const TenantRef tenant = tenants_.find(e.tenant);
    if (e.message.topic == config_.topics.commands_retry) {
      // Through the partition's queue, even when due: it keeps them in order.
      const int64_t not_before = read_retry_headers(e);
      delay_retry(window_.hold(std::move(e)), not_before);
    } else if (on_route->count(e.tenant)) {
      follow.push_back(window_.hold(std::move(e)));
    } else {
      window_.admit(std::move(e), tenant_concurrency(tenant.get()));
    }
  }
  if (!follow.empty()) move(std::move(follow), now_ms());
}

void Dispatcher::move(std::vector<WindowEntry*> entries, int64_t not_before_ms) {
  const auto set_ttl = options_.max_park + std::chrono::seconds(86400);
  const auto moved =
      move_to_retry(redis_, *producer_, metrics_, config_.topics.commands_retry, entries, not_before_ms, set_ttl);
  std::vector<WindowEntry*> failed;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (!moved[i]) {
      failed.push_back(entries[i]);
      continue;
    }
    dispatch_metrics_.count_moved_to_retry(entries[i]->tenant);
    window_.finish(entries[i]);
  }
  // Kafka or Redis refused: they wait in memory instead (the window bound still pauses intake).
  if (!failed.empty()) window_.restore(failed);
}

void Dispatcher::sweep() {
  const auto now = SteadyClock::now();
  const int64_t expire_before = now_ms() - std::chrono::duration_cast<std::chrono::milliseconds>(options_.max_park).count();
  CommandWindow::Sweep s = window_.sweep(now, options_.divert_after, window_.held() >= options_.window, expire_before);
  std::vector<WindowEntry*> kept;
  for (WindowEntry* e : s.expire) {
    consumer_beat_.beat();  // each expiry waits for Kafka
    if (expirer_->expire(*e)) window_.finish(e);
    else kept.push_back(e);
  }
  if (!kept.empty()) window_.restore(kept);
  // Moved commands are due when their tenant's park ends.
  std::map<std::string, std::vector<WindowEntry*>> by_tenant;
  for (WindowEntry* e : s.divert) by_tenant[e->tenant].push_back(e);
  for (auto& [tenant, entries] : by_tenant) {
    consumer_beat_.beat();  // each move waits for Kafka
    const auto until = window_.parked_until(tenant);
    const int64_t wait_ms =
        until ? std::max<int64_t>(0, std::chrono::duration_cast<std::chrono::milliseconds>(*until - now).count()) : 0;
    log::info("parked tenant's commands moved to the retry topic",
              {{"tenant", tenant}, {"commands", static_cast<int64_t>(entries.size())}, {"due_in_ms", wait_ms}});
    move(std::move(entries), now_ms() + wait_ms);
  }
}

void Dispatcher::apply_backpressure() {
  const size_t held = window_.held();
  if (!paused_ && held >= options_.window) {
    consumer_->pause(consumer_->assignment());
    paused_ = true;
    log::info("window full: partitions paused", {{"held", static_cast<int64_t>(held)}});
  } else if (paused_ && held <= options_.window * 3 / 4) {
    std::vector<TopicPartitionId> resume;
    for (const auto& tp : consumer_->assignment()) {
      if (!delayed_.count(tp)) resume.push_back(tp);
    }
    consumer_->resume(resume);
    paused_ = false;
    log::info("window has room: partitions resumed", {{"held", static_cast<int64_t>(held)}});
  }
  dispatch_metrics_.set_paused(paused_);
}

void Dispatcher::store_offsets(const std::vector<std::pair<TopicPartitionId, int64_t>>& offsets) {
  for (const auto& [tp, offset] : offsets) consumer_->store_offset(tp.first, tp.second, offset);
}

void Dispatcher::on_revoke(const std::vector<TopicPartitionId>& partitions) {
  // Nothing of these partitions runs any more once this returns, and what finished is stored
  // before the revoke commits: the next owner neither redoes finished work nor runs a command
  // while it still runs here.
  for (const auto& tp : partitions) delayed_.erase(tp);  // held in the window, which drops them
  store_offsets(window_.revoke(partitions, std::chrono::seconds(10), &consumer_beat_));
}

void Dispatcher::on_assign(const std::vector<TopicPartitionId>& partitions) {
  if (paused_) consumer_->pause(partitions);
}

void Dispatcher::run(const std::atomic<bool>& stop) {
  if (options_.heartbeats != nullptr) consumer_beat_ = options_.heartbeats->add("consumer");
  for (size_t i = 0; i < options_.concurrency; ++i) workers_.emplace_back([this, &stop, i] { work(stop, i); });
  while (!stop.load()) {
    consumer_beat_.beat();  // an idle cycle is one poll_timeout
    try {
      std::vector<KafkaMessage> batch = consumer_->poll_batch(options_.batch_size, options_.poll_timeout);
      lag_.tick();
      if (batch.empty()) redis_health_.ping_if_due(redis_);
      else admit(std::move(batch));
      release_due_retries();
      store_offsets(window_.advanced_offsets());
      const auto now = SteadyClock::now();
      if (now >= next_sweep_) {
        sweep();
        next_sweep_ = now + std::chrono::seconds(1);
      }
      apply_backpressure();
      if (options_.usage_close_interval.count() > 0 && now >= next_usage_close_) {
        consumer_beat_.beat();  // each close waits for Kafka
        usage_closer_->close_due();
        next_usage_close_ = now + options_.usage_close_interval;
      }
      if (now >= next_stats_) {
        dispatch_metrics_.update_window(window_.stats(now), window_.held(), window_.in_flight(), *tenants_.snapshot());
        next_stats_ = now + std::chrono::seconds(1);
      }
    } catch (const std::exception& e) {
      metrics_.count_batch_failure();
      log::error("dispatch consumer loop failed; continuing", {{"error", e.what()}});
      sleep_unless_stopped(std::chrono::seconds(1), stop);
    }
  }
  consumer_beat_ = Heartbeat{};  // ended on purpose: no longer watched
  window_.wake_all();
  for (auto& w : workers_) w.join();
  workers_.clear();
  store_offsets(window_.advanced_offsets());
  close();
}

}  // namespace switchyard::dispatch
