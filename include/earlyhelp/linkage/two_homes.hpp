// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Two homes at once: one system recording somebody at two different places for more than three
/// months at once is recording two people (namesakes in one district, each with their own council
/// tax account; two pupils of the same name and birthday on school rolls in different towns), so
/// such identities never join, however alike they look. A place is an identity's home, or for
/// systems that record only a postcode, the postcode (see homes.hpp); when only one side has an
/// address, postcodes are compared.
///
/// Example:
/// ```cpp
/// const earlyhelp::linkage::TwoHomes two_homes(table, earlyhelp::linkage::home_keys(table));
/// if (two_homes(a, b)) { /* a and b are two people */ }
/// ```

#include "earlyhelp/linkage/records.hpp"

#include <cstdint>
#include <vector>

namespace earlyhelp::linkage {

/// Each identity's dated stays per source, indexed to answer whether two identities were recorded
/// by one source at two places at once.
class TwoHomes {
 public:
  /// Days two stays must overlap to count.
  static constexpr std::int32_t kOverlapDays = 90;

  TwoHomes() = default;
  /// Indexes the dated records of `r`; `homes` is home_keys(r). Complexity O(records log records).
  TwoHomes(const PreparedRecords& r, const std::vector<std::uint64_t>& homes);

  /// Whether one source recorded identities `a` and `b` at two different places for more than
  /// kOverlapDays at once. Thread-safe. Complexity O(stays of a x stays of b).
  bool operator()(std::uint32_t a, std::uint32_t b) const noexcept;

 private:
  struct Span {
    std::uint64_t key;  // identity << 32 | source
    std::int32_t first, last;
  };
  std::vector<std::uint64_t> place_, postcode_place_;
  std::vector<Span> spans_;            ///< stays longer than kOverlapDays, by identity
  std::vector<std::uint32_t> span_at_; ///< identity x's stays: spans_[span_at_[x], span_at_[x + 1])
};

}  // namespace earlyhelp::linkage
