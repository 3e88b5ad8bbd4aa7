// The service binaries run on the allocator the build chose (cmake/Allocator.cmake): each logs
// the shared object its malloc resolves to before it reads any setting, so an image built or
// linked without mimalloc shows at start, and this test fails when the link loses it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "support/child_process.h"
#include "support/service_binary.h"

namespace switchyard::testing {
namespace {

// The "allocator" field of the "starting" line in a service's JSON log, or "" when absent.
std::string logged_allocator(const std::string& log) {
  const std::string field = "\"allocator\":\"";
  const auto at = log.find(field);
  if (at == std::string::npos) return "";
  const auto start = at + field.size();
  return log.substr(start, log.find('"', start) - start);
}

TEST(ServiceAllocatorTest, EveryServiceLogsTheMallocItRunsOn) {
  const auto dir = std::filesystem::temp_directory_path() / ("switchyard-alloc-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  for (const std::string service : {"ingest", "normalize", "dispatch"}) {
    const std::string log = (dir / (service + ".log")).string();
    // No bootstrap list: the service stops at its configuration (exit 2), after the line.
    ChildProcess process({service_binary(service)}, {{"SWITCHYARD_KAFKA_BOOTSTRAP", ""}}, log);
    EXPECT_EQ(process.wait(), 2) << read_file(log);
    const std::string allocator = logged_allocator(read_file(log));
    if (std::string(SWITCHYARD_SERVICE_ALLOCATOR) == "mimalloc") {
      EXPECT_EQ(allocator.rfind("libmimalloc.so", 0), 0u) << service << " runs on \"" << allocator << "\"";
    } else {
      EXPECT_FALSE(allocator.empty() || allocator == "unknown") << service << ": " << read_file(log);
      EXPECT_EQ(allocator.find("mimalloc"), std::string::npos) << service << " runs on \"" << allocator << "\"";
    }
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

}  // namespace
}  // namespace switchyard::testing
