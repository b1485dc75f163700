// SPDX-License-Identifier: Apache-2.0
#pragma once

// The one pass over a CSV that `pseudonymise` and `encode` share: header planned once, every
// other cell copied, ragged or oversized rows to a rejects file (row, line, reason; no values) or
// an error naming file and row, both outputs complete or absent.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace earlyhelp::governance::detail {

/// Rows the pass read, wrote and rejected.
struct CsvPass {
  std::size_t rows_read = 0, rows_written = 0, rows_rejected = 0;
};

/// Called once with the header, the file's name and a format hint (for errors).
using PlanHeader = std::function<void(const std::vector<std::string>& header, const std::string& source,
                                      std::string_view hint)>;
/// Called for each cell of a good row: writes the new value into `out` and returns true, or
/// returns false to copy the cell as it is.
using RewriteCell = std::function<bool(std::size_t column, std::string_view value, std::string& out)>;

/// Counts one pseudonymised cell: `emptied` when the value had nothing to hash (written empty),
/// `changed` when it was hashed (a missing value, copied as it is, counts in neither).
inline void count_hashed(std::string_view before, const std::string& after, std::size_t& changed,
                         std::size_t& emptied) noexcept {
  if (after.empty() && !before.empty()) {
    ++emptied;
  } else if (after != before) {
    ++changed;
  }
}

/// `verb` names the step in errors ("pseudonymise: ...").
CsvPass rewrite_csv(std::string_view verb, const std::string& input, const std::string& output,
                    const std::string& rejects, char delimiter, const PlanHeader& plan, const RewriteCell& cell);

}  // namespace earlyhelp::governance::detail
