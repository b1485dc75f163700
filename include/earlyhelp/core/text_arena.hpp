// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Byte storage whose views stay valid: many short strings (identifiers, cell values) appended to
/// 1 MiB blocks that never move, instead of one heap allocation each.

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

namespace earlyhelp {

/// Appends strings to blocks that never move; the views it returns stay valid for its lifetime.
/// Not thread-safe. Example: `std::string_view v = arena.add(cell);`
class TextArena {
 public:
  /// A copy of `v` that lives as long as the arena (an empty view for an empty string).
  /// Complexity: O(v.size()), amortised.
  std::string_view add(std::string_view v) {
    if (v.empty()) return {};
    if (blocks_.empty() || used_ + v.size() > cap_) {
      cap_ = std::max<std::size_t>(v.size(), std::size_t{1} << 20);
      blocks_.push_back(std::make_unique<char[]>(cap_));
      used_ = 0;
    }
    char* dst = blocks_.back().get() + used_;
    std::memcpy(dst, v.data(), v.size());
    used_ += v.size();
    return {dst, v.size()};
  }

 private:
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::size_t used_ = 0;
  std::size_t cap_ = 0;
};

}  // namespace earlyhelp
