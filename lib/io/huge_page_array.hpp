// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// A fixed-size, zero-filled array in memory that Linux may back with 2 MiB pages, for the large
/// tables of lib/io (the unique-key index). Private to lib/io.
///
/// A table of tens of MB filled through 4 KiB pages takes a page fault per 4 KiB: on a virtual
/// machine each fault costs microseconds (measured: 96 MB touched in 0.8 s through 4 KiB pages,
/// 15-30 ms through 2 MiB pages), and random probes into it miss the TLB on nearly every lookup.
/// Arrays of 2 MiB or more are mapped on a 2 MiB boundary and marked MADV_HUGEPAGE (transparent
/// huge pages in the "madvise" mode most distributions ship); where that is unavailable they are
/// still correct, only backed by small pages. Smaller arrays come from calloc.

#include "earlyhelp/core/error.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace earlyhelp::io::detail {

template <class T>
class HugePageArray {
  static_assert(std::is_trivially_copyable_v<T>, "HugePageArray holds plain values, zero-initialised");

 public:
  HugePageArray() = default;
  /// `n` values, all bytes zero. @throws std::bad_alloc when the memory cannot be had.
  explicit HugePageArray(std::size_t n) : size_(n) {
    if (n == 0) return;
    if (n > static_cast<std::size_t>(-1) / sizeof(T) - kHuge) throw std::bad_alloc();
    bytes_ = n * sizeof(T);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (bytes_ >= kHuge) {
      // Map a huge page more than needed, keep the part that starts on a huge-page boundary.
      bytes_ = (bytes_ + kHuge - 1) / kHuge * kHuge;
      void* m = ::mmap(nullptr, bytes_ + kHuge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (m == MAP_FAILED) throw std::bad_alloc();
      const auto at = reinterpret_cast<std::uintptr_t>(m);
      const std::uintptr_t aligned = (at + kHuge - 1) / kHuge * kHuge;
      if (aligned > at) ::munmap(m, aligned - at);
      if (const std::size_t tail = kHuge - (aligned - at); tail > 0) ::munmap(reinterpret_cast<void*>(aligned + bytes_), tail);
      ::madvise(reinterpret_cast<void*>(aligned), bytes_, MADV_HUGEPAGE);  // advice only: no error to handle
      data_ = reinterpret_cast<T*>(aligned);
      mapped_ = true;
      return;
    }
#endif
    data_ = static_cast<T*>(std::calloc(n, sizeof(T)));
    if (data_ == nullptr) throw std::bad_alloc();
  }
  HugePageArray(const HugePageArray& o) : HugePageArray(o.size_) {
    if (size_ > 0) std::memcpy(static_cast<void*>(data_), o.data_, size_ * sizeof(T));
  }
  HugePageArray(HugePageArray&& o) noexcept { swap(o); }
  HugePageArray& operator=(HugePageArray o) noexcept {
    swap(o);
    return *this;
  }
  ~HugePageArray() { release(); }

  void swap(HugePageArray& o) noexcept {
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
    std::swap(bytes_, o.bytes_);
    std::swap(mapped_, o.mapped_);
  }
  T* data() noexcept { return data_; }
  const T* data() const noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  T& operator[](std::size_t i) noexcept { return data_[i]; }
  const T& operator[](std::size_t i) const noexcept { return data_[i]; }

 private:
  static constexpr std::size_t kHuge = std::size_t{2} << 20;
  void release() noexcept {
    if (data_ == nullptr) return;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (mapped_) {
      ::munmap(static_cast<void*>(data_), bytes_);
      data_ = nullptr;
      return;
    }
#endif
    std::free(data_);
    data_ = nullptr;
  }
  T* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t bytes_ = 0;
  bool mapped_ = false;
};

}  // namespace earlyhelp::io::detail
