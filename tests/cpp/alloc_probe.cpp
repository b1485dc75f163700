// SPDX-License-Identifier: Apache-2.0
// Replacement of the global operator new/delete for the allocation probe (see alloc_probe.hpp).
// Kept in its own translation unit so the compiler never inlines the pair into test code.

#include "alloc_probe.hpp"

#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<bool> g_armed{false};
std::atomic<std::size_t> g_largest{0};
std::atomic<long long> g_live{0};
std::atomic<long long> g_peak{0};
std::atomic<std::size_t> g_limit{0};
}  // namespace

namespace eh_test {
void alloc_probe_arm(bool on) noexcept { g_armed.store(on); }
void alloc_probe_reset() noexcept {
  g_largest.store(0);
  g_live.store(0);
  g_peak.store(0);
}
std::size_t alloc_probe_largest() noexcept { return g_largest.load(); }
std::size_t alloc_probe_peak() noexcept { return static_cast<std::size_t>(std::max(0LL, g_peak.load())); }
void alloc_probe_limit(std::size_t bytes) noexcept { g_limit.store(bytes); }
}  // namespace eh_test

namespace {
void* probe_malloc(std::size_t n) noexcept {
  if (!g_armed.load(std::memory_order_relaxed)) return std::malloc(n == 0 ? 1 : n);
  std::size_t cur = g_largest.load(std::memory_order_relaxed);
  while (n > cur && !g_largest.compare_exchange_weak(cur, n)) {
  }
  const std::size_t limit = g_limit.load(std::memory_order_relaxed);
  if (limit != 0 && g_live.load() + static_cast<long long>(n) > static_cast<long long>(limit)) return nullptr;
  void* p = std::malloc(n == 0 ? 1 : n);
  if (p != nullptr) {
    const long long live = g_live.fetch_add(static_cast<long long>(malloc_usable_size(p))) +
                           static_cast<long long>(malloc_usable_size(p));
    long long peak = g_peak.load(std::memory_order_relaxed);
    while (live > peak && !g_peak.compare_exchange_weak(peak, live)) {
    }
  }
  return p;
}

void probe_free(void* p) noexcept {
  if (p != nullptr && g_armed.load(std::memory_order_relaxed))
    g_live.fetch_sub(static_cast<long long>(malloc_usable_size(p)));
  std::free(p);
}
}  // namespace

void* operator new(std::size_t n) {
  if (void* p = probe_malloc(n)) return p;
  throw std::bad_alloc();
}
// The nothrow form must be replaced too (std::stable_sort's temporary buffer uses it): under
// AddressSanitizer it would otherwise come from ASan's allocator and be freed by ours.
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return probe_malloc(n); }
void operator delete(void* p) noexcept { probe_free(p); }
void operator delete(void* p, std::size_t) noexcept { probe_free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { probe_free(p); }

// Under AddressSanitizer an allocation beyond its limit aborts by default; hostile-input tests
// (a bundle whose archive declares a 24 TB string) expect std::bad_alloc, as a normal build
// gives. Read by ASan at start-up; an unused function otherwise.
extern "C" const char* __asan_default_options() { return "allocator_may_return_null=1"; }
