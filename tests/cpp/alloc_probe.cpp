// SPDX-License-Identifier: Apache-2.0
// Replacement of the global operator new/delete for the allocation probe (see alloc_probe.hpp).
// Kept in its own translation unit so the compiler never inlines the pair into test code.

#include "alloc_probe.hpp"

#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<bool> g_armed{false};
std::atomic<std::size_t> g_largest{0};
}  // namespace

namespace eh_test {
void alloc_probe_arm(bool on) noexcept { g_armed.store(on); }
void alloc_probe_reset() noexcept { g_largest.store(0); }
std::size_t alloc_probe_largest() noexcept { return g_largest.load(); }
}  // namespace eh_test

namespace {
void* probe_malloc(std::size_t n) noexcept {
  if (g_armed.load(std::memory_order_relaxed)) {
    std::size_t cur = g_largest.load(std::memory_order_relaxed);
    while (n > cur && !g_largest.compare_exchange_weak(cur, n)) {
    }
  }
  return std::malloc(n == 0 ? 1 : n);
}
}  // namespace

void* operator new(std::size_t n) {
  if (void* p = probe_malloc(n)) return p;
  throw std::bad_alloc();
}
// The nothrow form must be replaced too (std::stable_sort's temporary buffer uses it): under
// AddressSanitizer it would otherwise come from ASan's allocator and be freed by ours.
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return probe_malloc(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }

// Under AddressSanitizer an allocation beyond its limit aborts by default; hostile-input tests
// (a bundle whose archive declares a 24 TB string) expect std::bad_alloc, as a normal build
// gives. Read by ASan at start-up; an unused function otherwise.
extern "C" const char* __asan_default_options() { return "allocator_may_return_null=1"; }
