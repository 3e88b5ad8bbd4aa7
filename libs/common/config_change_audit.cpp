#include "common/config_change_audit.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/crypto.h"
#include "common/json_writer.h"
#include "common/log.h"
#include "common/tenants.h"

namespace switchyard {
namespace {

std::optional<std::string> read_whole(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void id_list(JsonWriter& w, std::string_view name, const std::vector<std::string>& ids) {
  w.key(name).begin_array();
  for (const auto& id : ids) w.value(id);
  w.end_array();
}

}  // namespace

std::string tenants_source_sha256(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_directory(path, ec)) {
    auto text = read_whole(path);
    return text ? crypto::sha256_hex(*text) : std::string();
  }
  auto files = tenant_files(path);
  if (!files) return {};
  // Each file's name and length before its content, so no two directories hash alike.
  std::string all;
  for (const auto& file : *files) {
    auto text = read_whole(file);
    if (!text) return {};
    all.append(file.filename().string()).push_back('\0');
    all.append(std::to_string(text->size())).push_back('\0');
    all.append(*text);
  }
  return crypto::sha256_hex(all);
}

std::string config_change_details(const std::string& previous_sha256, const std::string& sha256,
                                  const TenantChanges& changes) {
  JsonWriter w;
  w.begin_object().field("file", "tenants").field("sha256", sha256).field("previous_sha256", previous_sha256);
  id_list(w, "added", changes.added);
  id_list(w, "removed", changes.removed);
  id_list(w, "changed", changes.changed);
  id_list(w, "paused", changes.paused);
  id_list(w, "resumed", changes.resumed);
  id_list(w, "test_mode_on", changes.test_mode_on);
  id_list(w, "test_mode_off", changes.test_mode_off);
  w.end_object();
  return w.take();
}

ConfigChangeAudit::ConfigChangeAudit(AuditTrail& audit, RedisSettings redis, std::string path,
                                     std::chrono::seconds window, std::string key_prefix)
    : audit_(audit),
      redis_settings_(std::move(redis)),
      path_(std::move(path)),
      window_(window),
      key_prefix_(std::move(key_prefix)),
      sha256_(tenants_source_sha256(path_)) {}

bool ConfigChangeAudit::claim(const std::string& change_hash) {
  if (!redis_) redis_ = std::make_unique<RedisClient>(redis_settings_);
  auto reply = redis_->command({"SET", key_prefix_ + change_hash, "1", "NX", "EX", std::to_string(window_.count())});
  if (!reply) {
    log::warn("config change recorded without the claim: redis unreachable", {{"error", reply.error().message}});
    return true;
  }
  return !reply->is_nil();
}

void ConfigChangeAudit::record(const TenantChanges& changes) {
  const std::string previous = sha256_;
  sha256_ = tenants_source_sha256(path_);
  AuditRecord record;
  record.actor = "config-file";
  record.action = "config_reload";
  record.outcome = "ok";
  record.details_json = config_change_details(previous, sha256_, changes);
  // The same change seen by every replica hashes alike: the files before and after, and what changed.
  if (!claim(crypto::sha256_hex(record.details_json))) return;
  audit_.record(std::move(record));
}

}  // namespace switchyard
