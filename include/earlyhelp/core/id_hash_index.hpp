// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// An index from keys the caller already stores (in its own columns) to their numbers: an
/// open-addressing table of 4-byte numbers, no copy of the keys and no node per entry. A map from
/// 3.6 million record ids to their rows costs about 30 MB this way instead of about 350 MB in
/// std::unordered_map<std::string, std::uint32_t>. The caller hashes a key and says whether a
/// stored number's key equals it.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace earlyhelp {

/// Numbers (below UINT32_MAX) indexed by the hash of a key the caller keeps. Not thread-safe.
/// Example: `std::uint32_t row = index.find(h, [&](std::uint32_t r) { return ids[r] == id; });`
class IdHashIndex {
 public:
  static constexpr std::uint32_t npos = UINT32_MAX;

  /// The number whose key `equal(number)` accepts, looked up by the key's hash; npos when none.
  template <class Equal>
  std::uint32_t find(std::uint64_t hash, Equal&& equal) const {
    if (slots_.empty()) return npos;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = static_cast<std::size_t>(spread(hash)) & mask;; i = (i + 1) & mask) {
      const std::uint32_t id = slots_[i];
      if (id == npos) return npos;
      if (equal(id)) return id;
    }
  }

  /// Adds `id` under `hash` (the caller has checked it is not there). `hash_of(number)` gives a
  /// stored number's hash again when the table grows. Amortised O(1).
  template <class HashOf>
  void insert(std::uint64_t hash, std::uint32_t id, HashOf&& hash_of) {
    if (2 * (size_ + 1) > slots_.size()) grow(hash_of);
    place(hash, id);
    ++size_;
  }

  std::size_t size() const noexcept { return size_; }

 private:
  static std::uint64_t spread(std::uint64_t h) noexcept {
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDULL;
    h ^= h >> 33;
    return h;
  }
  void place(std::uint64_t hash, std::uint32_t id) {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = static_cast<std::size_t>(spread(hash)) & mask;
    while (slots_[i] != npos) i = (i + 1) & mask;
    slots_[i] = id;
  }
  template <class HashOf>
  void grow(HashOf&& hash_of) {
    std::vector<std::uint32_t> old(slots_.empty() ? 16 : 2 * slots_.size(), npos);
    old.swap(slots_);
    for (const std::uint32_t id : old)
      if (id != npos) place(hash_of(id), id);
  }

  std::vector<std::uint32_t> slots_;
  std::size_t size_ = 0;
};

}  // namespace earlyhelp
