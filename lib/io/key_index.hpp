// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The unique-key check's index for validate_stream (lib/io/ingest.cpp): each key seen in clean
/// rows with the first row that held it. Private to lib/io.

#include "earlyhelp/core/error.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace earlyhelp::io::detail {

// The values of one unique field seen in clean rows, with the first row of each. Keys live in
// byte blocks and entries in fixed-size blocks, neither ever moved (a growing vector copied and
// page-faulted its tens of MB at each doubling); the probe table holds 8-byte slots (32 bits of
// hash as a tag, entry index + 1), so a lookup touches one slot and, only on a tag match, one
// entry. std::unordered_map<std::string, ...> costs a node allocation per key and a cache miss
// per probe, which made it most of the time of a million-row ingest.
class KeyIndex {
 public:
  static std::size_t hash(std::string_view key) noexcept { return std::hash<std::string_view>{}(key); }
  /// Starts loading the slot of a key with hash `h`: a lookup in a table bigger than the cache
  /// is a cache miss, and asking for it before the row's other checks hides most of it.
  void prefetch(std::size_t h) const noexcept {
#if defined(__GNUC__)
    if (!slots_.empty()) __builtin_prefetch(&slots_[h & mask_]);
#else
    (void)h;
#endif
  }
  /// The row that holds `key` (whose hash is `h`), or 0.
  std::size_t find(std::string_view key, std::size_t h) const noexcept {
    if (slots_.empty()) return 0;
    const auto tag = static_cast<std::uint32_t>(h >> 32);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot s = slots_[i];
      if (s.entry == 0) return 0;
      if (s.tag != tag) continue;
      const Entry& e = entry(s.entry - 1);
      if (e.len == key.size() && std::memcmp(texts_[e.block].data() + e.offset, key.data(), key.size()) == 0) return e.row;
    }
  }
  /// Records `key` (hash `h`) at `row` (> 0); the caller has checked that it is new.
  void insert(std::string_view key, std::size_t h, std::size_t row) {
    if (2 * (size_ + 1) > slots_.size()) grow();
    if (texts_.empty() || texts_.back().capacity() - texts_.back().size() < key.size()) {
      texts_.emplace_back();
      texts_.back().reserve(std::max(kTextBlock, key.size()));
    }
    if (size_ % kEntryBlock == 0) {
      entries_.emplace_back();
      entries_.back().reserve(kEntryBlock);
    }
    std::string& t = texts_.back();
    entries_.back().push_back(Entry{h, row, static_cast<std::uint32_t>(texts_.size() - 1),
                                    static_cast<std::uint32_t>(t.size()), static_cast<std::uint32_t>(key.size())});
    t.append(key);  // within the reserved capacity: earlier keys stay where they are
    ++size_;
    place(h, static_cast<std::uint32_t>(size_));
  }
  std::size_t size() const noexcept { return size_; }
  /// Sizes the probe table for about `n` keys at once: growing it step by step re-places every
  /// key at each doubling, a cache miss each.
  void reserve(std::size_t n) {
    std::size_t want = 4096;
    while (want < 2 * n) want *= 2;
    if (want <= slots_.size()) return;
    slots_.assign(want, Slot{});
    mask_ = want - 1;
    for (std::size_t k = 0; k < size_; ++k) place(entry(k).hash, static_cast<std::uint32_t>(k + 1));
  }

 private:
  static constexpr std::size_t kEntryBlock = std::size_t{1} << 16;
  static constexpr std::size_t kTextBlock = std::size_t{1} << 20;
  struct Slot {
    std::uint32_t tag = 0;
    std::uint32_t entry = 0;  // index + 1; 0 = empty
  };
  struct Entry {
    std::size_t hash;
    std::size_t row;
    std::uint32_t block;  // the key's bytes: texts_[block], from offset, len bytes
    std::uint32_t offset;
    std::uint32_t len;    // keys are fields, at most max_field_bytes (1 GiB)
  };
  const Entry& entry(std::size_t k) const noexcept { return entries_[k / kEntryBlock][k % kEntryBlock]; }
  void place(std::size_t h, std::uint32_t entry) noexcept {
    std::size_t i = h & mask_;
    while (slots_[i].entry != 0) i = (i + 1) & mask_;
    slots_[i] = Slot{static_cast<std::uint32_t>(h >> 32), entry};
  }
  void grow() {
    EH_CHECK(size_ < 0xFFFFFFFEu, "validate_stream: more than 4 billion distinct keys");
    slots_.assign(slots_.empty() ? 4096 : slots_.size() * 2, Slot{});
    mask_ = slots_.size() - 1;
    for (std::size_t k = 0; k < size_; ++k) place(entry(k).hash, static_cast<std::uint32_t>(k + 1));
  }
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
  std::vector<std::vector<Entry>> entries_;  // blocks of kEntryBlock, each reserved once
  std::vector<std::string> texts_;           // blocks of at least kTextBlock bytes, each reserved once
};

}  // namespace earlyhelp::io::detail
