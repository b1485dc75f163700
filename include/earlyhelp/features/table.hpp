// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Feature tables: rows are (person or family, as-of date), columns are features (float32, NaN
/// missing). A whole table in memory (column-major, one contiguous column per feature, ready for
/// numpy and XGBoost), or written block by block to CSV without holding it.
///
/// CSV layout: `person_id` (or `family_id`), `as_of` (yyyy-mm-dd), then one column per feature;
/// values in the shortest form that reads back as the same float32, missing values empty.

#include "earlyhelp/core/date.hpp"
#include "earlyhelp/core/types.hpp"
#include "earlyhelp/features/definitions.hpp"
#include "earlyhelp/features/events.hpp"
#include "earlyhelp/io/output_file.hpp"

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <future>
#include <optional>
#include <string>
#include <vector>

namespace earlyhelp::features {

/// Column-major float matrix: one contiguous column per feature.
using ColMatrixXf = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::ColMajor>;

/// A feature table in memory.
struct FeatureTable {
  Level level = Level::person;
  std::vector<std::string> columns;  ///< feature names
  std::vector<std::string> ids;      ///< per row: person_id or family_id
  std::vector<Date> as_of;           ///< per row
  ColMatrixXf values;                ///< rows x columns

  /// "person_id" or "family_id".
  const char* id_column() const noexcept { return level == Level::person ? "person_id" : "family_id"; }
};

/// Consecutive rows of a table as they are computed: all for one as-of date.
struct FeatureBlock {
  Date as_of;
  Level level = Level::person;         ///< the table's level (compute_blocks over several levels)
  std::vector<std::int32_t> entities;  ///< person numbers (person level) or household numbers
  RowMatrixXf values;                  ///< entities.size() x columns
};

/// Writes a feature table to CSV block by block. write() formats a block and hands it to a
/// background thread, so the file is written while the caller computes the next block (one block
/// in flight). The file is an io::OutputFile: "-" is standard output, a device or FIFO is written
/// in place, and a regular file is written to a temporary file renamed by close(), so a failed run
/// never leaves a file that looks complete.
class FeatureCsvWriter {
 public:
  /// @param n_threads threads formatting numbers (<= 0: all cores); the bytes do not depend on it.
  /// @throws IOError when the file cannot be created.
  FeatureCsvWriter(const std::string& path, Level level, const std::vector<std::string>& columns, int n_threads = 0);
  FeatureCsvWriter(const FeatureCsvWriter&) = delete;
  FeatureCsvWriter& operator=(const FeatureCsvWriter&) = delete;
  /// Removes the temporary file unless close() succeeded.
  ~FeatureCsvWriter();

  /// Appends the rows of `block`; ids come from `store` (person_ids or household_ids). Returns
  /// once the block is formatted; it reaches the file in the background.
  /// @throws IOError when writing the previous block failed.
  void write(const FeatureBlock& block, const EventStore& store);
  /// Waits for the block in flight, flushes, closes and renames the file into place.
  /// @throws IOError on failure.
  void close();
  /// Rows handed to write() so far (all in the file once close() returns).
  std::size_t rows() const noexcept { return rows_; }

 private:
  void put(const char* data, std::size_t size);
  void wait_pending();
  std::string path_;
  std::optional<io::OutputFile> file_;  // empty once closed
  Level level_;
  std::size_t n_columns_ = 0;
  int n_threads_ = 0;
  std::size_t rows_ = 0;
  std::future<void> pending_;  // writing the previous block
};

}  // namespace earlyhelp::features
