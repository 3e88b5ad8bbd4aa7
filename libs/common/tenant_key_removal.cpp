#include "common/tenant_key_removal.h"

#include "common/tenant_ids.h"
#include "common/tenant_keys.h"

namespace switchyard {
namespace {

Result<int64_t> integer_of(Result<RedisReply> reply) {
  if (!reply) return reply.error();
  if (reply->type != RedisReply::Type::Integer) return make_error("redis_unexpected_reply", "expected an integer");
  return reply->integer;
}

// `command` (UNLINK key, ZREM key) with `items` appended in batches; the sum of the replies.
Result<int64_t> remove_in_batches(RedisClient& redis, const std::vector<std::string>& command,
                                  const std::vector<std::string>& items, size_t batch) {
  int64_t removed = 0;
  for (size_t i = 0; i < items.size(); i += batch) {
    std::vector<std::string> argv = command;
    for (size_t j = i; j < items.size() && j < i + batch; ++j) argv.push_back(items[j]);
    auto n = integer_of(redis.checked_command(argv));
    if (!n) return n.error();
    removed += *n;
  }
  return removed;
}

// One SCAN (or ZSCAN `key`) pass over everything matching `match`; each round's finds are
// removed before the next round, so memory stays at one round's worth.
Result<int64_t> scan_and_remove(RedisClient& redis, const std::string& key, const std::string& match,
                                const TenantKeyRemovalOptions& options) {
  const bool members = !key.empty();
  std::string cursor = "0";
  int64_t removed = 0;
  do {
    std::vector<std::string> argv = members ? std::vector<std::string>{"ZSCAN", key, cursor}
                                            : std::vector<std::string>{"SCAN", cursor};
    argv.insert(argv.end(), {"MATCH", match, "COUNT", std::to_string(options.scan_count)});
    auto reply = redis.checked_command(argv);
    if (!reply) return reply.error();
    if (reply->type != RedisReply::Type::Array || reply->elements.size() != 2 ||
        reply->elements[1].type != RedisReply::Type::Array) {
      return make_error("redis_unexpected_reply", "unexpected reply to " + argv[0]);
    }
    cursor = reply->elements[0].str;
    std::vector<std::string> found;
    const auto& items = reply->elements[1].elements;
    // ZSCAN answers member, score, member, score...
    for (size_t i = 0; i < items.size(); i += members ? 2 : 1) found.push_back(items[i].str);
    // A key SCAN returns twice is unlinked once: the second UNLINK counts 0.
    auto n = members ? remove_in_batches(redis, {"ZREM", key}, found, options.batch)
                     : remove_in_batches(redis, {"UNLINK"}, found, options.batch);
    if (!n) return n.error();
    removed += *n;
  } while (cursor != "0");
  return removed;
}

}  // namespace

int64_t TenantKeyRemoval::total() const {
  int64_t sum = 0;
  for (const auto& f : families) sum += f.removed;
  return sum;
}

Result<TenantKeyRemoval> remove_tenant_keys(RedisClient& redis, std::string_view tenant,
                                            const TenantKeyRemovalOptions& options) {
  if (!valid_tenant_id(tenant)) return make_error("invalid_tenant", "not a tenant id (1-64 of a-z, 0-9, '-', '_')");
  TenantKeyRemoval out;
  for (const tenant_keys::KeyFamily& family : tenant_keys::families()) {
    if (!family.per_tenant) continue;
    RemovedKeys counted{std::string(family.name), 0};
    if (std::any_of(options.keep.begin(), options.keep.end(), [&](const std::string& k) { return k == family.name; })) {
      out.families.push_back(std::move(counted));
      continue;
    }
    for (const tenant_keys::KeyTemplate& t : family.templates) {
      bool exact = false;
      Result<int64_t> n = int64_t{0};
      if (t.member.empty()) {
        const std::string key = tenant_keys::pattern(t.key, tenant, &exact);
        n = exact ? integer_of(redis.checked_command({"UNLINK", key})) : scan_and_remove(redis, "", key, options);
      } else {
        const std::string member = tenant_keys::pattern(t.member, tenant, &exact);
        const std::string key(t.key);
        n = exact ? integer_of(redis.checked_command({"ZREM", key, member})) : scan_and_remove(redis, key, member, options);
      }
      if (!n) return n.error();
      counted.removed += *n;
    }
    out.families.push_back(std::move(counted));
  }
  return out;
}

}  // namespace switchyard
