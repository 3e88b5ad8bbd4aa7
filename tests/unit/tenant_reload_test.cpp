// Tenants reload without a restart: LiveTenants swaps whole snapshots (a reader keeps the one it
// took), and TenantReloader applies a changed directory or secret file, keeps the old tenants
// when the new ones do not validate, and reports both in its metrics.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "common/crypto.h"
#include "common/live_tenants.h"
#include "common/service_config.h"
#include "common/tenant_ids.h"
#include "common/tenant_reloader.h"
#include "connectors/registry.h"
#include "support/env_map.h"

namespace switchyard {
namespace {

double sample(Metrics& metrics, const std::string& series) {
  const std::string text = metrics.serialize();
  const auto at = text.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + series.size() + 2));
}

class TenantReloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("switchyard-reload-" + crypto::random_hex(6));
    std::filesystem::create_directories(dir_ / "tenants");
    write_secret("first-secret-value");
    write_tenant("acme", "");
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // An Autotask tenant whose API secret is a file reference.
  void write_tenant(const std::string& id, const std::string& extra) {
    std::ofstream(dir_ / "tenants" / (id + ".json"), std::ios::trunc)
        << R"({"id": ")" << id << R"(", "psa": "autotask", "base_url": "https://webservices2.autotask.net/ATServicesRest",
               "credentials": {"username": "api@example.com", "secret": {"file": ")"
        << (dir_ / "secret").string() << R"("}, "integration_code": "TRACKING-1"},
               "webhook_signing_secrets": ["webhook-secret-0123456789"],
               "options": {"default_company_id": "0", "default_queue_id": "8"})"
        << extra << "}";
  }
  void write_secret(const std::string& value) {
    // As Kubernetes updates a file: a new file renamed over the old one.
    std::ofstream(dir_ / "secret.new") << value << "\n";
    std::filesystem::rename(dir_ / "secret.new", dir_ / "secret");
  }

  TenantDirectory load() {
    return load_tenants_file(path(), connectors::spec_lookup(connectors::builtin_registry()), Env());
  }
  std::string path() const { return (dir_ / "tenants").string(); }

  std::filesystem::path dir_;
};

TEST_F(TenantReloadTest, AReaderKeepsTheTenantItTookAcrossAReplace) {
  LiveTenants live(load());
  const TenantRef before = live.find("acme");
  ASSERT_NE(before, nullptr);
  int notified = 0;
  live.on_change([&](const TenantSnapshot& now) {
    ++notified;
    EXPECT_EQ(now->find("acme"), nullptr);
  });
  live.replace(TenantDirectory{});
  EXPECT_EQ(notified, 1);
  EXPECT_EQ(live.find("acme"), nullptr);
  EXPECT_EQ(live.size(), 0u);
  // The old set lives on for as long as this reader holds its tenant.
  EXPECT_EQ(before->credentials.at("secret"), "first-secret-value");
}

TEST_F(TenantReloadTest, AddedPausedAndRemovedTenantsAndARotatedSecretAreApplied) {
  LiveTenants live(load());
  Metrics metrics;
  TenantReloader reloader(live, path(), connectors::spec_lookup(connectors::builtin_registry()), Env(),
                          std::chrono::milliseconds(0), metrics);
  auto unchanged = reloader.reload_now();
  ASSERT_TRUE(unchanged.ok()) << unchanged.error().message;
  EXPECT_FALSE(*unchanged) << "nothing changed: nothing to apply";

  write_tenant("globex", "");
  write_tenant("acme", R"(, "paused": true)");
  auto applied = reloader.reload_now();
  ASSERT_TRUE(applied.ok()) << applied.error().message;
  EXPECT_TRUE(*applied);
  ASSERT_NE(live.find("globex"), nullptr);
  EXPECT_TRUE(live.find("acme")->paused);
  EXPECT_EQ(sample(metrics, R"(switchyard_tenants{state="active"})"), 1);
  EXPECT_EQ(sample(metrics, R"(switchyard_tenants{state="paused"})"), 1);
  EXPECT_EQ(sample(metrics, R"(switchyard_config_reloads_total{config="tenants",result="applied"})"), 1);

  // Only the secret file changes: the tenants hold the new value.
  const TenantRef old_acme = live.find("acme");
  write_secret("rotated-secret-value");
  ASSERT_TRUE(*reloader.reload_now());
  EXPECT_EQ(live.find("acme")->credentials.at("secret"), "rotated-secret-value");
  EXPECT_EQ(old_acme->credentials.at("secret"), "first-secret-value");

  std::filesystem::remove(dir_ / "tenants" / "globex.json");
  ASSERT_TRUE(*reloader.reload_now());
  EXPECT_EQ(live.find("globex"), nullptr);
  EXPECT_EQ(live.size(), 1u);
}

TEST_F(TenantReloadTest, AnInvalidConfigurationKeepsTheOldOneAndIsReported) {
  LiveTenants live(load());
  Metrics metrics;
  TenantReloader reloader(live, path(), connectors::spec_lookup(connectors::builtin_registry()), Env(),
                          std::chrono::milliseconds(0), metrics);
  EXPECT_EQ(sample(metrics, R"(switchyard_config_valid{config="tenants"})"), 1);

  write_tenant("globex", R"(, "rate_limit": {"requests_per_second": -1})");
  auto invalid = reloader.reload_now();
  ASSERT_FALSE(invalid.ok());
  EXPECT_NE(invalid.error().message.find("globex.json.rate_limit.requests_per_second"), std::string::npos)
      << invalid.error().message;
  EXPECT_EQ(live.find("globex"), nullptr) << "nothing of an invalid configuration may be applied";
  ASSERT_NE(live.find("acme"), nullptr) << "the old tenants stay in force";
  EXPECT_EQ(sample(metrics, R"(switchyard_config_valid{config="tenants"})"), 0);
  EXPECT_EQ(sample(metrics, R"(switchyard_config_reloads_total{config="tenants",result="invalid"})"), 1);
  ASSERT_FALSE(reloader.reload_now().ok());
  EXPECT_EQ(sample(metrics, R"(switchyard_config_reloads_total{config="tenants",result="invalid"})"), 1)
      << "the same error is reported once";

  // A secret file that disappears is as invalid as a bad field.
  write_tenant("globex", "");
  std::filesystem::remove(dir_ / "secret");
  ASSERT_FALSE(reloader.reload_now().ok());
  EXPECT_EQ(live.find("acme")->credentials.at("secret"), "first-secret-value");

  write_secret("first-secret-value");
  auto fixed = reloader.reload_now();
  ASSERT_TRUE(fixed.ok()) << fixed.error().message;
  EXPECT_TRUE(*fixed);
  EXPECT_NE(live.find("globex"), nullptr);
  EXPECT_EQ(sample(metrics, R"(switchyard_config_valid{config="tenants"})"), 1);
}

// How Kubernetes updates a mounted ConfigMap: the new keys are written into a fresh hidden folder
// and the `..data` symlink is swapped to it in one rename; the keys are symlinks through `..data`.
TEST_F(TenantReloadTest, AConfigMapStyleSymlinkSwapIsApplied) {
  const auto mount = dir_ / "configmap";
  auto publish = [&](const std::string& version, const std::vector<std::string>& ids) {
    const auto folder = mount / ("..2026_11_30_" + version);
    std::filesystem::create_directories(folder);
    for (const auto& id : ids) std::filesystem::copy_file(dir_ / "tenants" / (id + ".json"), folder / (id + ".json"));
    std::filesystem::create_directory_symlink(folder.filename(), mount / "..data_tmp");
    std::filesystem::rename(mount / "..data_tmp", mount / "..data");  // atomic swap
    for (const auto& id : ids) {
      if (!std::filesystem::is_symlink(mount / (id + ".json"))) {
        std::filesystem::create_symlink(std::filesystem::path("..data") / (id + ".json"), mount / (id + ".json"));
      }
    }
  };
  write_tenant("globex", "");
  publish("v1", {"acme"});
  LiveTenants live(load_tenants_file(mount.string(), connectors::spec_lookup(connectors::builtin_registry()), Env()));
  Metrics metrics;
  TenantReloader reloader(live, mount.string(), connectors::spec_lookup(connectors::builtin_registry()), Env(),
                          std::chrono::milliseconds(0), metrics);
  ASSERT_EQ(live.size(), 1u);
  publish("v2", {"acme", "globex"});
  auto applied = reloader.reload_now();
  ASSERT_TRUE(applied.ok()) << applied.error().message;
  EXPECT_TRUE(*applied);
  EXPECT_NE(live.find("globex"), nullptr);
}

TEST_F(TenantReloadTest, TheReloaderThreadPicksUpAChangeOnItsOwn) {
  LiveTenants live(load());
  Metrics metrics;
  TenantReloader reloader(live, path(), connectors::spec_lookup(connectors::builtin_registry()), Env(),
                          std::chrono::milliseconds(50), metrics);
  reloader.start();
  write_tenant("globex", "");
  for (int i = 0; i < 200 && live.find("globex") == nullptr; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  reloader.stop();
  EXPECT_NE(live.find("globex"), nullptr);
}

}  // namespace
}  // namespace switchyard

namespace switchyard {
namespace {

// normalize reads only the ids (metric labels): from a file, or the names of a directory's
// <id>.json files; copies of TenantLabels share one set, so a reload reaches the normalizer's.
TEST(TenantIdsTest, IdsFromAFileOrADirectoryAndLabelsFollowAReplace) {
  const auto dir = std::filesystem::temp_directory_path() / ("switchyard-ids-" + crypto::random_hex(6));
  std::filesystem::create_directories(dir / "tenants");
  std::ofstream(dir / "tenants.json") << R"({"tenants": [{"id": "acme"}, {"id": "globex"}]})";
  std::ofstream(dir / "tenants" / "acme.json") << "{}";
  std::ofstream(dir / "tenants" / ".hidden.json") << "{}";
  std::ofstream(dir / "tenants" / "notes.txt") << "";

  auto from_file = read_tenant_ids((dir / "tenants.json").string());
  ASSERT_TRUE(from_file.ok()) << from_file.error().message;
  EXPECT_EQ(*from_file, (TenantIds{"acme", "globex"}));
  auto from_dir = read_tenant_ids((dir / "tenants").string());
  ASSERT_TRUE(from_dir.ok()) << from_dir.error().message;
  EXPECT_EQ(*from_dir, (TenantIds{"acme"}));
  EXPECT_FALSE(read_tenant_ids((dir / "absent.json").string()).ok());

  TenantLabels labels(*from_dir);
  const TenantLabels copy = labels;  // as NormalizeOptions hands it to the normalizer
  EXPECT_EQ(copy("globex"), "");
  EXPECT_TRUE(labels.replace(*from_file));
  EXPECT_FALSE(labels.replace(*from_file)) << "the same ids are no change";
  EXPECT_EQ(copy("globex"), "globex");
  EXPECT_EQ(copy("intruder"), "");
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

}  // namespace
}  // namespace switchyard

namespace switchyard {
namespace {

using testing::env_of;

TEST(TenantSourceSettingsTest, AFileOrADirectoryNotBothAndTheReloadInterval) {
  const std::map<std::string, std::string> base{{"SWITCHYARD_KAFKA_BOOTSTRAP", "127.0.0.1:9092"}};
  auto with = [&](std::map<std::string, std::string> extra) {
    extra.insert(base.begin(), base.end());
    return env_of(std::move(extra));
  };
  const ServiceConfig dir = load_service_config(with({{"SWITCHYARD_TENANTS_DIR", "/etc/switchyard/tenants"}}), "test");
  EXPECT_EQ(dir.tenants_file, "/etc/switchyard/tenants");
  EXPECT_EQ(dir.tenants_reload_interval, std::chrono::seconds(10)) << "reloading is on by default";
  const ServiceConfig off = load_service_config(
      with({{"SWITCHYARD_TENANTS_FILE", "/t.json"}, {"SWITCHYARD_TENANTS_RELOAD_SECONDS", "0"}}), "test");
  EXPECT_EQ(off.tenants_file, "/t.json");
  EXPECT_EQ(off.tenants_reload_interval.count(), 0);
  try {
    (void)load_service_config(with({{"SWITCHYARD_TENANTS_FILE", "/t.json"}, {"SWITCHYARD_TENANTS_DIR", "/t"}}), "test");
    FAIL() << "both set must be refused";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("SWITCHYARD_TENANTS_DIR"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace switchyard
