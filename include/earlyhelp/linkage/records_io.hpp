// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Reading records to link from CSV: canonical columns by name, or any columns mapped onto them.
/// Several columns mapped onto one canonical column are joined with a space, in file order
/// (e.g. street_number and address_1 onto address).

#include "earlyhelp/linkage/records.hpp"
#include "earlyhelp/schema/schema.hpp"

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace earlyhelp::linkage {

/// (their column, our canonical column) pairs.
using ColumnMap = std::vector<std::pair<std::string, std::string>>;

/// Parses "their=our,their2=our2". @throws InvalidArgument naming a malformed entry or an
/// unknown canonical column.
ColumnMap parse_column_map(std::string_view text);

/// Reads a CSV file of records. Values are trimmed. Columns that are neither canonical nor
/// mapped are ignored. @throws InvalidArgument when no column maps to record_id (naming the file),
/// IOError when the file cannot be read, FormatError naming file and row for a malformed record.
std::vector<Record> read_records_csv(const std::string& path, const ColumnMap& map = {});

/// As read_records_csv, but hands the records to `sink` in batches of at most `batch`, so the
/// caller never holds them all. @return the number of records.
std::size_t for_each_records_batch(const std::string& path, const ColumnMap& map,
                                   const std::function<void(std::vector<Record>&)>& sink,
                                   std::size_t batch = 65536);

/// Records of a folder of extracts (one CSV per stream, named `<stream>.csv`).
struct Extracts {
  std::vector<Record> records;        ///< record_id = "<stream>:<id>", source = stream
  std::vector<std::string> stream;    ///< per record
  std::vector<std::string> local_id;  ///< per record: the id within its stream
  std::vector<std::string> notes;     ///< files skipped (not a stream of the schema), per stream counts
};

/// Reads every `<stream>.csv` in `dir` whose stem is a stream of `schema`, mapping each field by
/// its `link_key` (several address lines are joined; a property UPRN is address evidence;
/// missing-value markers become empty; a UPN is not used as it is not comparable with an NHS
/// number) and the stream's event date onto `record_date`. @throws IOError when `dir` is not a
/// readable folder, InvalidArgument when it holds no stream extract, FormatError naming file and
/// row for a malformed record.
Extracts read_extracts(const std::string& dir, const schema::Schema& schema);

/// As read_extracts, but hands the records to `sink` in batches of at most `batch` (files in name
/// order, rows in file order), so the caller never holds every record: a linker can prepare each
/// batch and drop it. @return the notes (files skipped, per-stream counts).
std::vector<std::string> for_each_extract_batch(const std::string& dir, const schema::Schema& schema,
                                                const std::function<void(std::vector<Record>&)>& sink,
                                                std::size_t batch = 65536);

/// Splits an extract record id "<stream>:<id>" into (stream, id); ("", whole) without a colon.
std::pair<std::string_view, std::string_view> split_extract_record_id(std::string_view record_id) noexcept;

/// Writes `record_id,<column>` rows. @throws IOError.
void write_assignment_csv(const std::string& path, const std::vector<std::string>& record_ids,
                          const std::string& column, const std::vector<std::string>& values);

}  // namespace earlyhelp::linkage
