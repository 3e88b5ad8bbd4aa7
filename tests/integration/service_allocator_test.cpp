// The service binaries run on the allocator the build chose (cmake/Allocator.cmake): each logs
// the shared object its malloc resolves to before it reads any setting, so an image built or
// linked without mimalloc shows at start, and this test fails when the link loses it; and the
// one mimalloc setting the services change (common/allocator.h).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <string>

#include "common/allocator.h"
#include "support/child_process.h"
#include "support/service_binary.h"

namespace switchyard::testing {
namespace {

// A field of the first line of a service's JSON log, as written (a string without its quotes),
// or "" when absent.
std::string logged_field(const std::string& log, const std::string& name) {
  const std::string field = "\"" + name + "\":";
  const auto at = log.find(field);
  if (at == std::string::npos) return "";
  const auto start = at + field.size();
  if (log.compare(start, 1, "\"") == 0) return log.substr(start + 1, log.find('"', start + 1) - start - 1);
  return log.substr(start, log.find_first_of(",}", start) - start);
}

// The "starting" line of `service` run with `env`; it stops at its configuration (no bootstrap
// list, exit 2) right after.
std::string starting_log(const std::string& service, std::map<std::string, std::string> env) {
  const auto dir = std::filesystem::temp_directory_path() / ("switchyard-alloc-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string log = (dir / (service + ".log")).string();
  env["SWITCHYARD_KAFKA_BOOTSTRAP"] = "";
  ChildProcess process({service_binary(service)}, env, log);
  EXPECT_EQ(process.wait(), 2) << read_file(log);
  std::string text = read_file(log);
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  return text;
}

TEST(ServiceAllocatorTest, EveryServiceLogsTheMallocItRunsOn) {
  for (const std::string service : {"ingest", "normalize", "dispatch"}) {
    const std::string log = starting_log(service, {});
    const std::string allocator = logged_field(log, "allocator");
    if (std::string(SWITCHYARD_SERVICE_ALLOCATOR) == "mimalloc") {
      EXPECT_EQ(allocator.rfind("libmimalloc.so", 0), 0u) << service << " runs on \"" << allocator << "\"";
    } else {
      EXPECT_FALSE(allocator.empty() || allocator == "unknown") << service << ": " << log;
      EXPECT_EQ(allocator.find("mimalloc"), std::string::npos) << service << " runs on \"" << allocator << "\"";
    }
  }
}

// mimalloc keeps freed pages for a second before the kernel gets them back, so a batch reuses the
// last batch's memory instead of faulting it in again; mimalloc's own variable still decides.
TEST(ServiceAllocatorTest, MimallocKeepsFreedPagesUnlessTheOperatorSaysOtherwise) {
  for (const std::string service : {"ingest", "normalize", "dispatch"}) {
    const std::string tuned = logged_field(starting_log(service, {}), "allocator_release_delay_ms");
    const std::string chosen = logged_field(starting_log(service, {{"MIMALLOC_RESET_DELAY", "250"}}), "allocator_release_delay_ms");
    if (std::string(SWITCHYARD_SERVICE_ALLOCATOR) == "mimalloc") {
      EXPECT_EQ(tuned, std::to_string(kAllocatorReleaseDelayMs)) << service;
      EXPECT_EQ(chosen, "250") << service;
    } else {
      EXPECT_EQ(tuned, "-1") << service << ": not on mimalloc, nothing to tune";
      EXPECT_EQ(chosen, "-1") << service;
    }
  }
}

}  // namespace
}  // namespace switchyard::testing
