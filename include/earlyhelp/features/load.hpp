// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Reading what features are derived from: the linkage result (which person each record is,
/// which household each person lives in) and a folder of stream extracts, checked against the
/// schema exactly as `earlyhelp validate` checks them. Rows the schema rejects are counted per
/// stream and reason (and written to a rejects file per stream when asked), never used; clean rows
/// whose record is not in the persons file are counted as unlinked. For every stream,
/// rows read = clean + rejected and clean = used + unlinked.
///
/// persons file: `source, record_id, person_id` (what `earlyhelp link --data` writes: the stream
/// and the record's id within it), or `record_id, person_id` with record ids `<stream>:<id>`.
/// households file (`earlyhelp link --households F --as-of D`): `person_id`, `household_id` and
/// `role` columns (one row per record or per person; a person has one household).
///
/// Example:
/// ```cpp
/// auto set = earlyhelp::features::FeatureSet::builtin();
/// auto links = earlyhelp::features::read_persons_csv("persons.csv", set.schema());
/// earlyhelp::features::read_households_csv(links, "households.csv");
/// earlyhelp::features::LoadReport report;
/// auto store = earlyhelp::features::load_events(set, "council/", links, {}, &report);
/// ```

#include "earlyhelp/core/progress.hpp"
#include "earlyhelp/features/definitions.hpp"
#include "earlyhelp/features/events.hpp"
#include "earlyhelp/io/csv.hpp"
#include "earlyhelp/schema/schema.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace earlyhelp::features {

/// Which person each record is, and where each person lives.
class Linkage {
 public:
  /// An empty linkage over the streams of `schema`.
  explicit Linkage(const schema::Schema& schema);
  Linkage(Linkage&&) noexcept;
  Linkage& operator=(Linkage&&) noexcept;
  ~Linkage();

  /// Adds records: per row the stream (or "" when the record id is "<stream>:<id>"), the record
  /// id and the person id. `origin` names the source in errors (a file name).
  /// Records of streams the schema does not have are skipped (counted).
  /// @throws FormatError naming the origin and row for an empty id or a record given two
  /// different persons, or when no record belongs to a stream of the schema.
  void add_records(const std::vector<std::string>& sources, const std::vector<std::string>& record_ids,
                   const std::vector<std::string>& person_ids, std::string_view origin = "<persons>");
  /// Sets households: per row a person id, a household id and a role ("adult", "child" or
  /// "unknown"; "" is unknown). Persons not added by add_records are counted, not used.
  /// @throws FormatError naming the origin and row for a person given two households or an
  /// unknown role; StateError when households were set already.
  void set_households(const std::vector<std::string>& person_ids, const std::vector<std::string>& household_ids,
                      const std::vector<std::string>& roles, std::string_view origin = "<households>");

  /// Distinct person ids, sorted (person numbers index this).
  const std::vector<std::string>& person_ids() const;
  /// The person number of record `record_id` of stream `stream` (schema index), or -1.
  std::int32_t person_of(std::size_t stream, std::string_view record_id) const;
  /// Records per stream (schema order).
  std::vector<std::size_t> records_per_stream() const;
  /// True once set_households has been called.
  bool has_households() const noexcept;
  /// Household number per person (-1: none), the household ids (sorted), and roles.
  const std::vector<std::int32_t>& household() const;
  const std::vector<std::string>& household_ids() const;
  const std::vector<Role>& roles() const;
  /// Household rows naming a person the persons file does not have.
  std::size_t unknown_household_persons() const noexcept;
  /// Rows of the persons file per source that is not a stream of the schema (skipped).
  std::vector<std::pair<std::string, std::size_t>> unknown_streams() const;

 private:
  struct Impl;
  friend Linkage read_persons_csv(const std::string& path, const schema::Schema& schema);
  friend void read_households_csv(Linkage& links, const std::string& path);
  std::unique_ptr<Impl> impl_;
};

/// Reads a persons file (see the file comment). @throws IOError, FormatError naming file and row.
Linkage read_persons_csv(const std::string& path, const schema::Schema& schema);
/// Reads a households file into `links`. @throws IOError, FormatError naming file and row.
void read_households_csv(Linkage& links, const std::string& path);

/// What reading one stream's extract gave.
struct StreamLoad {
  std::string stream;
  std::string file;            ///< "" when the folder has no extract for the stream
  std::size_t rows_read = 0;
  std::size_t rows_clean = 0;
  std::size_t rows_rejected = 0;
  std::size_t rows_unlinked = 0;  ///< clean rows whose record is not in the persons file
  std::vector<std::pair<std::string, std::size_t>> rejects_by_kind;  ///< reason kind -> rows
  std::string rejects_file;    ///< where the rejected rows were written, if asked

  std::size_t rows_used() const noexcept { return rows_clean - rows_unlinked; }
  bool reconciled() const noexcept { return rows_read == rows_clean + rows_rejected; }
};

/// What load_events read.
struct LoadReport {
  std::vector<StreamLoad> streams;  ///< schema order
  std::vector<std::string> notes;   ///< files skipped, streams missing, persons without records
  std::size_t persons = 0;
  std::size_t households = 0;
  double seconds = 0.0;

  /// One line per stream ("school_attendance: read 28295 clean 28290 rejected 5 (invalid_format
  /// 5) unlinked 0") and the notes.
  std::string to_text() const;
  /// Every stream reconciles: each row read is clean (used, or not linked) or rejected.
  bool reconciled() const noexcept;
  /// The counts over every stream as one line for scripts:
  /// "rows_read N = used U + unlinked X + rejected R (reconciled)" ("NOT RECONCILED" otherwise).
  std::string reconciliation() const;
};

/// Options of load_events.
struct LoadOptions {
  int n_threads = 0;            ///< streams read in parallel; <= 0: all cores
  std::string rejects_dir;      ///< when set, rejected rows go to <dir>/<stream>.rejects.csv
  io::CsvOptions csv;
  /// Progress ("load": streams, at the start and when all are read; core/progress.hpp).
  Progress progress{};
};

/// Reads every `<stream>.csv` of `data_dir` that is a stream of the definitions' schema, checks
/// it, and keeps the rows of linked records that the features need.
/// @throws IOError when the folder cannot be read or holds no extract of a schema stream;
/// SchemaError when an extract lacks a required column; FormatError for malformed CSV.
EventStore load_events(const FeatureSet& set, const std::string& data_dir, const Linkage& links,
                       const LoadOptions& options = {}, LoadReport* report = nullptr);

}  // namespace earlyhelp::features
