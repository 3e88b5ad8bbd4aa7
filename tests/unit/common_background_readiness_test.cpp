// BackgroundReadiness: /readyz reads a cached answer that a background thread keeps current,
// so a check that blocks (Kafka metadata during an outage) never makes a reader wait.
#include "common/background_readiness.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>

#include "support/eventually.h"

namespace switchyard {
namespace {

using testing::eventually;
using namespace std::chrono_literals;

TEST(BackgroundReadinessTest, AnswersFromTheLastCheckWhileTheNextOneBlocks) {
  std::mutex mutex;
  std::condition_variable released_cv;
  bool released = false;
  std::atomic<int> calls{0};
  BackgroundReadiness readiness(
      [&]() -> std::string {
        if (calls.fetch_add(1) == 0) return "";  // the first check, run by start()
        std::unique_lock lock(mutex);            // later ones block until the test lets go
        released_cv.wait(lock, [&] { return released; });
        return "kafka unreachable";
      },
      10ms);
  EXPECT_EQ(readiness.current(), "starting");
  readiness.start();
  EXPECT_EQ(readiness.current(), "");  // start() ran the first check before returning

  ASSERT_TRUE(eventually([&] { return calls.load() >= 2; }, 5000ms));  // the second check is blocked now
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(readiness.current(), "");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 100ms);

  {
    std::lock_guard lock(mutex);
    released = true;
  }
  released_cv.notify_all();
  EXPECT_TRUE(eventually([&] { return readiness.current() == "kafka unreachable"; }, 5000ms));
  readiness.stop();  // joins the thread: returns only once no check runs any more
}

}  // namespace
}  // namespace switchyard
