// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The one way earlyhelp runs loops in parallel: std::thread workers pulling fixed chunks from an
/// atomic counter (as hnswlib's ParallelFor and RapidFuzz do). The first exception thrown by any
/// worker is rethrown on the caller. Chunking is fixed, so results written per index are identical
/// for every thread count.

#include "earlyhelp/core/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace earlyhelp {

/// Number of worker threads to use for a request: `n_threads <= 0` means all hardware threads,
/// and a request for more than the hardware has (std::thread::hardware_concurrency) is clamped
/// to it: more threads than cores only add switching, and thousands of them exhaust the process.
/// Example: on 8 cores `resolve_threads(0) == 8`, `resolve_threads(3) == 3`, `resolve_threads(1000) == 8`.
inline int resolve_threads(int n_threads) noexcept {
  const unsigned hw = std::thread::hardware_concurrency();
  const int all = hw == 0 ? 1 : static_cast<int>(std::min<unsigned>(hw, 1u << 16));
  return n_threads > 0 ? std::min(n_threads, all) : all;
}

/// Calls `fn(begin, end)` over consecutive chunks of [0, n) of size `chunk` on up to `n_threads`
/// threads. Runs inline when one thread suffices.
/// @param n         number of items
/// @param n_threads threads to use; <= 0 means all cores
/// @param chunk     items per chunk (>= 1)
/// @param fn        callable `void(std::size_t begin, std::size_t end)`
/// @throws whatever the first failing chunk threw; remaining chunks are skipped. earlyhelp::Error
///         when the operating system refuses a worker thread (std::system_error from
///         std::thread): the threads already started finish first, nothing is left running.
template <class Fn>
void parallel_for_chunks(std::size_t n, int n_threads, std::size_t chunk, Fn&& fn) {
  if (n == 0) return;
  chunk = std::max<std::size_t>(chunk, 1);
  const std::size_t n_chunks = (n + chunk - 1) / chunk;
  const std::size_t workers =
      std::min<std::size_t>(static_cast<std::size_t>(resolve_threads(n_threads)), n_chunks);
  if (workers <= 1) {
    for (std::size_t b = 0; b < n; b += chunk) fn(b, std::min(n, b + chunk));
    return;
  }
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr first_error;
  std::mutex error_mutex;
  auto work = [&] {
    for (;;) {
      const std::size_t c = next.fetch_add(1, std::memory_order_relaxed);
      if (c >= n_chunks || failed.load(std::memory_order_relaxed)) return;
      const std::size_t b = c * chunk;
      try {
        fn(b, std::min(n, b + chunk));
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!first_error) first_error = std::current_exception();
        failed.store(true, std::memory_order_relaxed);
      }
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(workers - 1);
  std::string refused;
  for (std::size_t t = 1; t < workers; ++t) {
    try {
      pool.emplace_back(work);
    } catch (const std::system_error& e) {
      // A joinable std::thread must never be destroyed: stop the started workers, join them,
      // then report.
      refused = fmt::format("parallel_for: the system refused worker thread {} of {} ({})", t + 1, workers, e.what());
      failed.store(true, std::memory_order_relaxed);
      break;
    }
  }
  if (refused.empty()) work();
  for (auto& th : pool) th.join();
  if (!refused.empty()) throw Error(refused);
  if (first_error) std::rethrow_exception(first_error);
}

/// Calls `fn(i)` for every i in [0, n) on up to `n_threads` threads (<= 0: all cores).
/// @throws the first exception any call threw.
template <class Fn>
void parallel_for(std::size_t n, int n_threads, Fn&& fn) {
  const std::size_t threads = static_cast<std::size_t>(resolve_threads(n_threads));
  // About 8 chunks per thread balances load without contention on the counter.
  const std::size_t chunk = std::max<std::size_t>(1, n / (threads * 8));
  parallel_for_chunks(n, n_threads, chunk, [&](std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) fn(i);
  });
}

}  // namespace earlyhelp
