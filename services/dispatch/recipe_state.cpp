#include "dispatch/recipe_state.h"

#include <charconv>
#include <sstream>

namespace switchyard::dispatch {
namespace {

constexpr std::string_view kOpenCloses = "sy:recipe:usage-open";

constexpr std::string_view kAlertScript = R"lua(
local done = redis.call('GET', KEYS[2])
if done then return done end
local s = redis.call('HMGET', KEYS[1], 'state', 'ticket', 'cycle', 'repeats')
local state = s[1] or ''
local ticket = tonumber(s[2] or '0')
local cycle = tonumber(s[3] or '0')
local repeats = tonumber(s[4] or '0')
local action = 'none'
if ARGV[1] == 'raised' then
  if state == 'open' then
    repeats = repeats + 1
    action = 'repeat'
  elseif state == 'resolved' and ARGV[2] == '1' then
    cycle = cycle + 1
    repeats = 0
    action = 'reopen'
    state = 'open'
  else
    cycle = cycle + 1
    ticket = ticket + 1
    repeats = 0
    action = 'open'
    state = 'open'
  end
elseif state == 'open' then
  action = 'resolve'
  state = 'resolved'
end
if action ~= 'none' then
  redis.call('HSET', KEYS[1], 'state', state, 'ticket', ticket, 'cycle', cycle, 'repeats', repeats)
  redis.call('EXPIRE', KEYS[1], ARGV[3])
end
local decision = action .. ' ' .. ticket .. ' ' .. cycle .. ' ' .. repeats
redis.call('SET', KEYS[2], decision, 'EX', ARGV[3])
return decision
)lua";

constexpr std::string_view kUsageScript = R"lua(
local done = redis.call('GET', KEYS[3])
if done then return done end
local origin = ARGV[5]
local target, due
for i = 5, #ARGV, 2 do
  if redis.call('SISMEMBER', KEYS[2], ARGV[i]) == 0 then
    target = ARGV[i]
    due = ARGV[i + 1]
    break
  end
end
if not target then return redis.error_reply('usage_too_late') end
local from = ''
if target ~= origin then from = origin end
local total = redis.call('HINCRBYFLOAT', KEYS[1], target .. '|' .. from .. '|' .. ARGV[2], ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[4], 'NX', due, ARGV[4] .. target)
local decision = target .. ' ' .. (from == '' and '0' or '1') .. ' ' .. total
redis.call('SET', KEYS[3], decision, 'EX', ARGV[1])
return decision
)lua";

constexpr std::string_view kCloseScript = R"lua(
local lines = redis.call('HGET', KEYS[3], ARGV[1])
if lines then
  redis.call('ZREM', KEYS[4], ARGV[3])
  return lines
end
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[2])
local all = redis.call('HGETALL', KEYS[1])
local out = {}
local prefix = ARGV[1] .. '|'
for i = 1, #all, 2 do
  if string.sub(all[i], 1, #prefix) == prefix then
    table.insert(out, string.sub(all[i], #prefix + 1) .. '|' .. all[i + 1])
    redis.call('HDEL', KEYS[1], all[i])
  end
end
table.sort(out)
local encoded = table.concat(out, '\n')
redis.call('HSET', KEYS[3], ARGV[1], encoded)
redis.call('EXPIRE', KEYS[3], ARGV[2])
redis.call('ZREM', KEYS[4], ARGV[3])
return encoded
)lua";

std::vector<std::string> split(std::string_view text, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = text.find(sep, start);
    out.emplace_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

Result<std::string> text_of(const Result<RedisReply>& reply) {
  if (!reply) return reply.error();
  if (reply->type != RedisReply::Type::String && reply->type != RedisReply::Type::Status) {
    return make_error("redis_unexpected", "recipe state: unexpected reply");
  }
  return reply->str;
}

Result<AlertDecision> parse_alert(const Result<RedisReply>& reply) {
  auto text = text_of(reply);
  if (!text) return text.error();
  const auto parts = split(*text, ' ');
  if (parts.size() != 4) return make_error("redis_unexpected", "recipe state: unexpected alert decision");
  AlertDecision d;
  const std::string& a = parts[0];
  d.action = a == "open"      ? AlertDecision::Action::Open
             : a == "repeat"  ? AlertDecision::Action::Repeat
             : a == "reopen"  ? AlertDecision::Action::Reopen
             : a == "resolve" ? AlertDecision::Action::Resolve
                              : AlertDecision::Action::None;
  d.ticket = std::stoi(parts[1]);
  d.cycle = std::stoi(parts[2]);
  d.repeats = std::stoi(parts[3]);
  return d;
}

std::string member(const std::string& tenant, const std::string& agreement, const std::string& period) {
  return tenant + " " + agreement + " " + period;
}

}  // namespace

std::string RecipeState::prefix(const Tenant& tenant) const {
  return tenant.test_mode ? "sy:recipe:test:" : "sy:recipe:";
}

Result<AlertDecision> RecipeState::alert_raised(const Tenant& tenant, const std::string& command_id,
                                                const std::string& alert_key, bool reopen_after_resolve) {
  const std::string p = prefix(tenant);
  return parse_alert(redis_.eval_script(alert_sha_, kAlertScript,
                                        {"2", p + "alert:" + tenant.id + ":" + alert_key,
                                         p + "done:" + tenant.id + ":" + command_id, "raised",
                                         reopen_after_resolve ? "1" : "0", std::to_string(ttl_.count())}));
}

Result<AlertDecision> RecipeState::alert_resolved(const Tenant& tenant, const std::string& command_id,
                                                  const std::string& alert_key) {
  const std::string p = prefix(tenant);
  return parse_alert(redis_.eval_script(alert_sha_, kAlertScript,
                                        {"2", p + "alert:" + tenant.id + ":" + alert_key,
                                         p + "done:" + tenant.id + ":" + command_id, "resolved", "0",
                                         std::to_string(ttl_.count())}));
}

Result<UsageDecision> RecipeState::usage_recorded(const Tenant& tenant, const std::string& command_id,
                                                  const std::string& agreement, const std::string& product,
                                                  double quantity,
                                                  const std::vector<std::pair<std::string, int64_t>>& candidates) {
  const std::string p = prefix(tenant);
  std::ostringstream qty;
  qty.precision(17);
  qty << quantity;
  std::vector<std::string> args = {"4",
                                   p + "usage:" + tenant.id + ":" + agreement,
                                   p + "usage-closed:" + tenant.id + ":" + agreement,
                                   p + "done:" + tenant.id + ":" + command_id,
                                   std::string(kOpenCloses),
                                   std::to_string(ttl_.count()),
                                   product,
                                   qty.str(),
                                   tenant.id + " " + agreement + " "};
  for (const auto& [period, due] : candidates) {
    args.push_back(period);
    args.push_back(std::to_string(due));
  }
  auto text = text_of(redis_.eval_script(usage_sha_, kUsageScript, args));
  if (!text) return text.error();
  const auto parts = split(*text, ' ');
  if (parts.size() != 3) return make_error("redis_unexpected", "recipe state: unexpected usage decision");
  return UsageDecision{parts[0], parts[1] == "1", std::stod(parts[2])};
}

Result<std::vector<UsageLine>> RecipeState::close_period(const Tenant& tenant, const std::string& agreement,
                                                         const std::string& period) {
  const std::string p = prefix(tenant);
  auto text = text_of(redis_.eval_script(close_sha_, kCloseScript,
                                         {"4", p + "usage:" + tenant.id + ":" + agreement,
                                          p + "usage-closed:" + tenant.id + ":" + agreement,
                                          p + "usage-lines:" + tenant.id + ":" + agreement, std::string(kOpenCloses),
                                          period, std::to_string(ttl_.count()), member(tenant.id, agreement, period)}));
  if (!text) return text.error();
  std::vector<UsageLine> lines;
  if (text->empty()) return lines;
  for (const std::string& line : split(*text, '\n')) {
    const auto parts = split(line, '|');
    if (parts.size() != 3) return make_error("redis_unexpected", "recipe state: unexpected usage line");
    lines.push_back({parts[0], parts[1], std::stod(parts[2])});
  }
  return lines;
}

Result<std::vector<RecipeState::DueClose>> RecipeState::due_closes(std::chrono::system_clock::time_point now,
                                                                   size_t limit) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  auto reply = redis_.checked_command(
      {"ZRANGEBYSCORE", std::string(kOpenCloses), "-inf", std::to_string(seconds), "LIMIT", "0", std::to_string(limit)});
  if (!reply) return reply.error();
  std::vector<DueClose> out;
  for (const RedisReply& e : reply->elements) {
    const auto parts = split(e.str, ' ');
    if (parts.size() == 3) out.push_back({parts[0], parts[1], parts[2]});
  }
  return out;
}

Status RecipeState::postpone_close(const DueClose& close, std::chrono::seconds delay) {
  const auto at = std::chrono::duration_cast<std::chrono::seconds>(
                      (std::chrono::system_clock::now() + delay).time_since_epoch()).count();
  auto reply = redis_.checked_command({"ZADD", std::string(kOpenCloses), "XX", std::to_string(at),
                                       member(close.tenant, close.agreement, close.period)});
  if (!reply) return reply.error();
  return ok_status();
}

}  // namespace switchyard::dispatch
