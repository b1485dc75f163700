// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The unique-key check's index for validate_stream (lib/io/ingest.cpp): each key seen in clean
/// rows with the first row that held it. Private to lib/io.

#include "earlyhelp/core/error.hpp"

#include "io/huge_page_array.hpp"

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
// byte blocks and entries in blocks, neither ever moved (a growing vector copied and page-faulted
// its tens of MB at each doubling), each block twice the size of the one before up to 2 MiB (a
// small extract stays small); the probe table holds 8-byte slots (32 bits of hash as a tag, the
// entry's block + 1 and place in it), so a lookup touches one slot and, only on a tag match, one
// entry. std::unordered_map<std::string, ...> costs a node allocation per key and a cache miss
// per probe, which made it most of the time of a million-row ingest. The table and the blocks
// are HugePageArrays (2 MiB pages where Linux allows): a million keys through 4 KiB pages took
// some 20,000 page faults and a TLB miss per probe, the largest part of the key check's time.
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
      const Entry& e = entry(s.entry);
      if (e.len == key.size() && std::memcmp(texts_[e.block].data() + e.offset, key.data(), key.size()) == 0) return e.row;
    }
  }
  /// Records `key` (hash `h`) at `row` (> 0); the caller has checked that it is new.
  void insert(std::string_view key, std::size_t h, std::size_t row) {
    if (2 * (size_ + 1) > slots_.size()) grow();
    if (texts_.empty() || texts_.back().size() - text_used_ < key.size()) {
      texts_.emplace_back(std::max(key.size(), kTextBlock >> (kDoublings - std::min(kDoublings, texts_.size()))));
      text_used_ = 0;
    }
    if (entries_.empty() || entry_used_ == entries_.back().size()) {
      EH_CHECK(entries_.size() < 0xFFFF, "validate_stream: more than 4 billion distinct keys");
      entries_.emplace_back(kEntryBlock >> (kDoublings - std::min(kDoublings, entries_.size())));
      entry_used_ = 0;
    }
    HugePageArray<char>& t = texts_.back();
    entries_.back()[entry_used_] = Entry{h, row, static_cast<std::uint32_t>(texts_.size() - 1),
                                         static_cast<std::uint32_t>(text_used_), static_cast<std::uint32_t>(key.size())};
    if (!key.empty()) std::memcpy(t.data() + text_used_, key.data(), key.size());
    text_used_ += key.size();
    const auto id = static_cast<std::uint32_t>(entries_.size() << 16 | entry_used_);
    ++entry_used_;
    ++size_;
    place(h, id);
  }
  std::size_t size() const noexcept { return size_; }
  /// Sizes the probe table for about `n` keys at once: growing it step by step re-places every
  /// key at each doubling, a cache miss each.
  void reserve(std::size_t n) {
    std::size_t want = 4096;
    while (want < 2 * n) want *= 2;
    if (want > slots_.size()) rebuild(want);
  }

 private:
  static constexpr std::size_t kEntryBlock = std::size_t{1} << 16;  // the largest block: 2 MiB of entries
  static constexpr std::size_t kTextBlock = std::size_t{2} << 20;     // the largest block of key bytes
  static constexpr std::size_t kDoublings = 6;                         // blocks before the largest
  struct Slot {
    std::uint32_t tag = 0;
    std::uint32_t entry = 0;  // (block + 1) << 16 | place in the block; 0 = empty
  };
  struct Entry {
    std::size_t hash;
    std::size_t row;
    std::uint32_t block;  // the key's bytes: texts_[block], from offset, len bytes
    std::uint32_t offset;
    std::uint32_t len;    // keys are fields, at most max_field_bytes (1 GiB)
  };
  const Entry& entry(std::uint32_t id) const noexcept { return entries_[(id >> 16) - 1][id & 0xFFFFu]; }
  void place(std::size_t h, std::uint32_t entry) noexcept {
    std::size_t i = h & mask_;
    while (slots_[i].entry != 0) i = (i + 1) & mask_;
    slots_[i] = Slot{static_cast<std::uint32_t>(h >> 32), entry};
  }
  void grow() { rebuild(slots_.empty() ? 4096 : slots_.size() * 2); }
  // A probe table of `n` slots (a power of two) holding every key so far.
  void rebuild(std::size_t n) {
    slots_ = HugePageArray<Slot>(n);  // all slots empty (zero)
    mask_ = n - 1;
    for (std::size_t b = 0; b < entries_.size(); ++b) {
      const std::size_t used = b + 1 == entries_.size() ? entry_used_ : entries_[b].size();
      for (std::size_t k = 0; k < used; ++k) place(entries_[b][k].hash, static_cast<std::uint32_t>((b + 1) << 16 | k));
    }
  }
  HugePageArray<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
  std::vector<HugePageArray<Entry>> entries_;  // blocks of 1,024 to kEntryBlock entries
  std::size_t entry_used_ = 0;                 // entries used in entries_.back()
  std::vector<HugePageArray<char>> texts_;     // blocks of 32 KiB to kTextBlock bytes (or one key)
  std::size_t text_used_ = 0;                  // bytes used in texts_.back()
};

}  // namespace earlyhelp::io::detail
