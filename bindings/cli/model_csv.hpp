// SPDX-License-Identifier: Apache-2.0
#pragma once

// Minimal numeric CSV for `earlyhelp score`: a header row, comma-separated numbers, empty /
// "NA" / "NaN" cells as missing. Kept beside the model verbs so they work without the full CSV
// ingest of earlyhelp::io.

#include "earlyhelp/core/types.hpp"

#include <string>
#include <vector>

namespace earlyhelp::cli {

struct NumericTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> text;  // columns kept as text (id columns)
  RowMatrixXd values;                          // the model's feature columns, in model order
};

/// Reads `path`, selecting `columns` (by header name) as numbers and `keep` as text.
/// @throws IOError when unreadable; FormatError naming the row and column of a bad cell or a
///         missing column.
NumericTable read_numeric_csv(const std::string& path, const std::vector<std::string>& columns,
                              const std::vector<std::string>& keep);

}  // namespace earlyhelp::cli
