// Polls a condition instead of sleeping a fixed time: tests wait only as long as needed and
// fail (rather than flake) when the condition never holds.
#pragma once

#include <chrono>
#include <thread>

namespace switchyard::testing {

using namespace std::chrono_literals;

// True as soon as cond() is true; false if it is still false when `timeout` has passed
// (cond() is checked one last time at the deadline).
template <class F>
bool eventually(F&& cond, std::chrono::milliseconds timeout, std::chrono::milliseconds step = 20ms) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (cond()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(step);
  }
}

}  // namespace switchyard::testing
