// SPDX-License-Identifier: Apache-2.0
#pragma once

// Numeric feature tables for `earlyhelp score`, read with io::CsvReader (streaming, RFC 4180).
// Missing (NaN): an empty cell, "NaN" / "nan", and the missing-value markers the caller gives
// (conventional_missing_values(): those of the built-in schema, e.g. "NA", "NULL", "N/A"),
// compared after trimming spaces, as `validate` does. A row that cannot be scored (wrong number
// of fields, a non-numeric value, a CSV issue) is either an error naming the file, row, line and
// column, or — when the caller collects rejects — set aside with a reason.

#include "earlyhelp/core/types.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace earlyhelp::cli {

/// A row that could not be scored.
struct RejectedRow {
  std::size_t row = 0;              ///< 1-based data row (the header is not counted)
  std::size_t line = 0;             ///< 1-based physical line
  std::string column;               ///< the column at fault (empty for a whole-row fault)
  std::string reason;               ///< what was expected; never the cell's value
  std::vector<std::string> kept;    ///< the --keep columns of the row (empty if unavailable)
};

struct NumericTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> text;  // columns kept as text (id columns)
  RowMatrixXd values;                          // the model's feature columns, in model order
  std::vector<RejectedRow> rejects;            // only filled when rejects are collected
  std::size_t rows_read = 0;                   // data rows read (scored + rejected)
};

/// Reads `path`, selecting `columns` (by header name) as numbers and `keep` as text.
/// @param collect_rejects when false, the first bad row throws; when true, bad rows are
///        returned in NumericTable::rejects and left out of `values`.
/// @throws IOError when unreadable; FormatError naming the file and the missing column, or (without
///         collect_rejects) the file, row, line and column of a bad cell.
NumericTable read_numeric_csv(const std::string& path, const std::vector<std::string>& columns,
                              const std::vector<std::string>& keep, bool collect_rejects = false,
                              const std::vector<std::string>& missing_values = {}, char delimiter = ',');

/// The missing-value markers of the built-in schema's streams (every distinct one, in order).
std::vector<std::string> conventional_missing_values();

}  // namespace earlyhelp::cli
