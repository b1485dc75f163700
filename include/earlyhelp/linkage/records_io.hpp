// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Reading records to link from CSV: canonical columns by name, or any columns mapped onto them.
/// Several columns mapped onto one canonical column are joined with a space, in file order
/// (e.g. street_number and address_1 onto address).

#include "earlyhelp/io/ingest.hpp"
#include "earlyhelp/linkage/columns.hpp"
#include "earlyhelp/linkage/records.hpp"
#include "earlyhelp/schema/schema.hpp"

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace earlyhelp::linkage {

/// A row the readers cannot link, and why. `reason` names the rule, never a value.
struct RecordReject {
  std::string file;                 ///< the file the row comes from
  std::size_t row = 0;              ///< 1-based data row of that file
  std::size_t line = 0;             ///< 1-based physical line where the row starts
  std::string field;                ///< the column concerned; empty for the whole row
  io::RejectKind kind = io::RejectKind::invalid_value;  ///< as validate counts them (duplicate_key: a repeated record id)
  std::string reason;               ///< e.g. "repeats the record id of row 9"
  std::vector<std::string> fields;  ///< the row's fields as read (for a rejects file only)
};

/// "<file>: row R (line L), column C: <reason>" (no values): the message of a row that cannot be
/// linked when no reject sink takes it.
std::string describe(const RecordReject& reject);

/// How the readers below treat what is not a record.
struct ReadOptions {
  std::size_t batch = 65536;  ///< records per call of the sink
  /// Receives each row that cannot be linked: a ragged row, a field over the reader's size limit
  /// (io::CsvOptions::max_field_bytes, 1 MiB: its value was never read, and an empty stand-in
  /// must not link) or not UTF-8, an empty record id, or a record id an earlier row of the file
  /// has. Reading goes on. Without a sink such a row is a FormatError (describe()).
  std::function<void(const RecordReject&)> reject;
  /// Receives warnings about the input's columns (plan_columns); without one they are dropped.
  std::function<void(const std::string&)> warn;
};

/// Reads a CSV file of records. Values are trimmed. Columns are planned by plan_columns (unused
/// columns are warned about, not read). @throws InvalidArgument as plan_columns (naming the
/// file), IOError when the file cannot be read, FormatError naming file, row and line for a row
/// that cannot be linked (see ReadOptions::reject).
std::vector<Record> read_records_csv(const std::string& path, const ColumnMap& map = {});

/// As read_records_csv, but hands the records to `sink` in batches of at most `batch`, so the
/// caller never holds them all. @return the number of records.
std::size_t for_each_records_batch(const std::string& path, const ColumnMap& map,
                                   const std::function<void(std::vector<Record>&)>& sink,
                                   std::size_t batch = 65536);
/// As above, with rows that cannot be linked and column warnings handed to `options`.
/// @return the number of records (rows rejected are not counted).
std::size_t for_each_records_batch(const std::string& path, const ColumnMap& map,
                                   const std::function<void(std::vector<Record>&)>& sink,
                                   const ReadOptions& options);

/// Records of a folder of extracts (one CSV per stream, named `<stream>.csv`).
struct Extracts {
  std::vector<Record> records;        ///< record_id = "<stream>:<id>", source = stream
  std::vector<std::string> stream;    ///< per record
  std::vector<std::string> local_id;  ///< per record: the id within its stream
  std::vector<std::string> notes;     ///< files skipped (not a stream of the schema), per stream counts
  std::vector<RecordReject> rejects;  ///< rows that cannot be linked (see ReadOptions::reject)
};

/// Reads every `<stream>.csv` in `dir` whose stem is a stream of `schema`, mapping each field by
/// its `link_key` (several address lines are joined; a property UPRN is address evidence;
/// missing-value markers become empty; a UPN is not used as it is not comparable with an NHS
/// number) and the stream's event date onto `record_date`. @throws IOError when `dir` is not a
/// readable folder, InvalidArgument when it holds no stream extract, SchemaError naming the file
/// when an extract has no record id column, FormatError naming file and line for an unreadable
/// file. Rows that cannot be linked (see ReadOptions::reject) go to Extracts::rejects.
Extracts read_extracts(const std::string& dir, const schema::Schema& schema);

/// As read_extracts, but hands the records to `sink` in batches of at most `batch` (files in name
/// order, rows in file order), so the caller never holds every record: a linker can prepare each
/// batch and drop it. @return the notes (files skipped, per-stream counts).
std::vector<std::string> for_each_extract_batch(const std::string& dir, const schema::Schema& schema,
                                                const std::function<void(std::vector<Record>&)>& sink,
                                                std::size_t batch = 65536);
/// As above, with rows that cannot be linked handed to `options.reject` (without one, a
/// FormatError naming file, row and line).
std::vector<std::string> for_each_extract_batch(const std::string& dir, const schema::Schema& schema,
                                                const std::function<void(std::vector<Record>&)>& sink,
                                                const ReadOptions& options);

/// Splits an extract record id "<stream>:<id>" into (stream, id); ("", whole) without a colon.
std::pair<std::string_view, std::string_view> split_extract_record_id(std::string_view record_id) noexcept;

/// Writes `record_id,<column>` rows. @throws IOError.
void write_assignment_csv(const std::string& path, const std::vector<std::string>& record_ids,
                          const std::string& column, const std::vector<std::string>& values);

}  // namespace earlyhelp::linkage
