// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Ingest: reads a stream's CSV extract, checks every row and field against the schema, sends
/// each row either to the clean output (normalised) or to the rejects (with its row number,
/// line, field and reason), and measures data quality. Nothing is lost: rows read = rows clean +
/// rows rejected, always.
///
/// Rules (per field of the stream, after trimming spaces and tabs around the value):
/// - empty, or one of the stream's `missing_values` (e.g. "NULL"), = missing (written empty to
///   the clean output); a missing value in a field with `nullable = false` rejects the row;
/// - integer: optional sign and digits (64-bit); float: a finite decimal number; both within
///   min/max when given;
/// - boolean: true/false, t/f, yes/no, y/n, 1/0 (any case) -> "true"/"false";
/// - category: one of `categories` (exact, else case-insensitive -> the schema's spelling);
/// - date: ISO yyyy-mm-dd or day-first dd/mm/yyyy (03/04/2020 is 3 April), within
///   min_date/max_date -> yyyy-mm-dd; datetime: a date with an optional time hh:mm[:ss[.f]]
///   after 'T' or a space -> yyyy-mm-ddThh:mm:ss;
/// - identifier/text: at most `max_length` bytes; format "uk_postcode" (official pattern ->
///   "AB1 2CD", any case and any spaces between outward and inward code), "nhs_number" (modulus
///   11 -> 10 digits), "uprn" (1-12 digits), "upn" (DfE check letter -> upper case); a postcode
///   or NHS number is held to `max_length` in its normalised form ("SW1A  1AA" is 8 bytes);
/// - event and episode streams: a date of birth (the field with link_key "dob") later than the
///   stream's event date is rejected;
/// - unique fields: the second and later rows with a value already seen in a clean row are
///   rejected, naming the first row.
/// Row-level rejects: a wrong number of fields, a field over the size limit (its value is not
/// kept), more columns than the limit, invalid UTF-8.
/// Header: a required column missing is a SchemaError naming the file and the columns; a column
/// the stream does not define is reported as unexpected and left out of the clean output; an
/// optional column that is absent gives an empty column in the clean output.
///
/// Example:
/// ```cpp
/// auto schema = earlyhelp::schema::Schema::builtin();
/// auto result = earlyhelp::io::validate_file(schema.stream("school_attendance"),
///                                            "attendance.csv", "clean.csv", "rejects.csv");
/// fmt::print("{}", result.report.to_text());
/// ```

#include "earlyhelp/core/date.hpp"
#include "earlyhelp/core/progress.hpp"
#include "earlyhelp/governance/audit.hpp"
#include "earlyhelp/io/csv.hpp"
#include "earlyhelp/io/field_checks.hpp"  // the format checks validate_stream applies
#include "earlyhelp/io/output_file.hpp"
#include "earlyhelp/schema/schema.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace earlyhelp::io {

/// Why a row was rejected (the `kind` of a Reject; reports count rows per kind).
enum class RejectKind {
  wrong_field_count,  ///< ragged row
  field_too_long,     ///< a field over CsvOptions::max_field_bytes (value not kept)
  record_too_long,    ///< a record over CsvOptions::max_record_bytes
  too_many_columns,   ///< more fields than CsvOptions::max_columns
  invalid_utf8,       ///< bytes that are not UTF-8
  missing_value,      ///< empty value in a non-nullable field
  invalid_value,      ///< not parseable as the field's type, or not an allowed category
  out_of_range,       ///< outside min/max, min_date/max_date or max_length
  invalid_format,     ///< fails its named format check (postcode, NHS number, UPRN, UPN)
  duplicate_key,      ///< repeats a unique field's value of an earlier clean row
};

/// Short name of a reject kind, e.g. "duplicate_key".
std::string_view to_string(RejectKind kind) noexcept;

/// One rejected row. The reason names the field and the rule, never the value.
struct Reject {
  std::size_t row = 0;   ///< 1-based data row number
  std::size_t line = 0;  ///< 1-based physical line where the row starts
  std::string field;     ///< column concerned; empty for row-level problems
  RejectKind kind = RejectKind::invalid_value;
  std::string reason;    ///< e.g. "not a valid UK postcode"
};

/// A checked, normalised value of a clean row.
struct FieldValue {
  std::string_view text;      ///< normalised text; empty when missing (valid until the next row)
  bool missing = true;
  /// integer: the value; boolean: 0/1; category: index into Field::categories; date: days since
  /// 1970-01-01; datetime: seconds since 1970-01-01T00:00:00.
  std::int64_t integer = 0;
  double number = 0.0;        ///< floating: the value
};

/// Receives the outcome of every row. validate_stream calls begin, then clean/reject once per
/// row in input order, then end. With more than one thread, the calls may come from a worker
/// thread, but never two at once and always in that order: a sink needs no locking.
class IngestSink {
 public:
  virtual ~IngestSink() = default;
  /// Before the first row: the stream and the header of the input.
  virtual void begin(const schema::Stream& stream, const std::vector<std::string>& input_header);
  /// A clean row: one value per field of the stream, in schema order.
  virtual void clean(std::size_t row, const std::vector<FieldValue>& values) = 0;
  /// A rejected row with its raw fields as read.
  virtual void reject(const Reject& reject, const std::vector<std::string_view>& raw) = 0;
  /// After the last row.
  virtual void end();

  /// Optional, for runs on several threads: a sink that writes clean rows as bytes may have them
  /// formatted on the worker threads. When formats_clean() is true (asked once, after begin),
  /// validate_stream calls format_clean for each clean row on a worker thread, possibly while
  /// other rows are being formatted or sent, and then clean_formatted with those bytes instead of
  /// clean, in input order as clean would be. format_clean must read only what begin() set up.
  virtual bool formats_clean() const noexcept { return false; }
  /// Appends a clean row's bytes to `out` (thread-safe; see formats_clean).
  virtual void format_clean(const std::vector<FieldValue>& values, std::string& out) const;
  /// A clean row formatted by format_clean.
  virtual void clean_formatted(std::size_t row, std::string_view bytes);
};

/// Writes clean rows and rejects to two CSV files.
/// Clean file: the stream's columns in schema order, normalised. Rejects file: `row`, `line`,
/// `field`, `reason`, then the input's columns with the raw values, then `extra_fields` (the
/// fields beyond the header's width of a ragged row, as one CSV-encoded line; usually empty).
class CsvFileSink : public IngestSink {
 public:
  /// @throws IOError if a file cannot be created.
  CsvFileSink(const std::string& clean_path, const std::string& rejects_path);
  /// Keep the SHA-256 and size of both files as they are written (call before begin()).
  void keep_digests();
  /// After end(): the clean and rejects writers (CsvWriter::sha256, bytes_written).
  const CsvWriter& clean_writer() const noexcept { return clean_; }
  const CsvWriter& rejects_writer() const noexcept { return rejects_; }
  void begin(const schema::Stream& stream, const std::vector<std::string>& input_header) override;
  void clean(std::size_t row, const std::vector<FieldValue>& values) override;
  void reject(const Reject& reject, const std::vector<std::string_view>& raw) override;
  /// Flushes and closes both files. @throws IOError on a write failure.
  void end() override;
  /// Clean rows are formatted on the worker threads of a parallel run (same bytes as clean()).
  bool formats_clean() const noexcept override { return true; }
  void format_clean(const std::vector<FieldValue>& values, std::string& out) const override;
  void clean_formatted(std::size_t row, std::string_view bytes) override;

 private:
  CsvWriter clean_;
  CsvWriter rejects_;
  std::size_t width_ = 0;
  std::string number_;
  std::string extra_;
  std::vector<bool> plain_;  // per stream field: its clean values never need quotes
};

/// Quality measures of one field of the stream, over the rows that had the right shape.
struct FieldQuality {
  std::string name;
  schema::FieldType type = schema::FieldType::text;
  std::string format;            ///< named format check, if any
  bool in_input = true;          ///< the column was present in the input
  bool key = false;              ///< a unique field
  std::size_t n_missing = 0;     ///< empty values
  std::size_t n_present = 0;     ///< non-empty values
  std::size_t n_valid = 0;       ///< non-empty values that passed every check of the field
  std::size_t n_invalid = 0;     ///< n_present - n_valid
  std::size_t n_invalid_format = 0;  ///< failed the named format check (e.g. invalid postcodes)
  std::size_t n_distinct = 0;    ///< key fields: distinct values among clean rows
  std::size_t n_duplicates = 0;  ///< key fields: rows rejected as duplicates
  std::optional<Date> min_date;  ///< dates: earliest valid value (unless withheld)
  std::optional<Date> max_date;  ///< dates: latest valid value (unless withheld)
  bool range_withheld = false;   ///< the field identifies people: its range is not reported

  /// Non-missing share of the rows checked, in [0, 1] (1 when no rows).
  double completeness() const noexcept;
  /// Valid share of the non-missing values, in [0, 1] (1 when none).
  double validity() const noexcept;
};

/// Data-quality report of one ingest run.
struct DataQualityReport {
  std::string stream;
  std::string source;                          ///< input file name
  std::size_t rows_read = 0;
  std::size_t rows_clean = 0;
  std::size_t rows_rejected = 0;
  std::size_t rows_malformed = 0;              ///< rejected before field checks (shape, encoding, size)
  std::vector<std::string> unexpected_columns; ///< in the input, not in the stream (dropped)
  std::vector<std::string> absent_columns;     ///< optional stream columns not in the input
  std::vector<FieldQuality> fields;            ///< schema order
  std::vector<std::pair<RejectKind, std::size_t>> rejects_by_kind;  ///< rows per kind, non-zero only

  /// A plain-text table for a terminal.
  std::string to_text() const;
  /// JSON with the same content (rates as numbers in [0, 1], dates as yyyy-mm-dd).
  std::string to_json(int indent = 2) const;
};

/// Counts of an ingest run and its report. rows_read == rows_clean + rows_rejected.
struct IngestResult {
  std::size_t rows_read = 0;
  std::size_t rows_clean = 0;
  std::size_t rows_rejected = 0;
  DataQualityReport report;
  /// validate_file with CsvOptions::keep_digest: the files read and written as the audit trail
  /// describes them (roles "input", "output", "rejects"), each SHA-256 and size taken from the
  /// bytes as they passed, so nothing is read again for the audit record. Empty otherwise.
  std::vector<governance::AuditFile> files;

  /// True when every row read went to exactly one output.
  bool reconciled() const noexcept { return rows_read == rows_clean + rows_rejected; }
};

/// Checks every row of `reader` against `stream` and sends it to `sink`.
/// `threads`: 1 (the default) checks on the calling thread; more (0: all cores, clamped to the
/// hardware) cuts the input into chunks of whole records (about CsvOptions::chunk_bytes each; one
/// serial pass over the quotes finds the record boundaries exactly) and tokenises, checks and
/// (for a sink that formats_clean) formats each chunk on a worker thread, while the key checks
/// and the sink calls each run on one thread at a time, in input order, overlapping each other
/// and the work on later chunks (no barrier between chunks: a thread takes whichever stage of
/// whichever chunk is ready).
/// The sink's calls, the clean and rejected rows, the key check and the report are the same for
/// every thread count.
/// @throws SchemaError if the header lacks required columns or repeats a column, or the stream
/// declares an unknown format; FormatError for an empty input or an unterminated quote; IOError
/// on read/write failures.
/// Complexity: O(input bytes); memory O(distinct keys) plus the reader's bounded buffers and,
/// with threads, 4 x threads chunks of about CsvOptions::chunk_bytes (a record that runs past
/// max_record_bytes without a line break ends the chunking: the rest is read serially).
/// `progress` (optional) is told stage "validate" in input bytes read, from 0 to the input's size
/// (CsvReader::input_bytes; 0 of 1 then 1 of 1 when unknown, as for a pipe), on the calling thread.
IngestResult validate_stream(const schema::Stream& stream, CsvReader& reader, IngestSink& sink,
                             int threads = 1, const Progress& progress = {});

/// Convenience: reads `input` ("-": standard input), writes `clean_path` and `rejects_path` (see
/// CsvFileSink) through io::OutputFile: "-" is standard output, a device or FIFO is written in
/// place, a regular file is replaced only when the run succeeds (a failed run leaves it as it
/// was).
/// `threads` as for validate_stream, but all cores by default (0); the files are byte-identical
/// for every thread count.
/// With `options.keep_digest`, IngestResult::files describes the three files (SHA-256 and size).
/// @throws InvalidArgument, before anything is opened, when an output is the input or both
/// outputs are one file (io::check_distinct_files); as validate_stream; IOError if an output
/// cannot be written.
IngestResult validate_file(const schema::Stream& stream, const std::string& input,
                           const std::string& clean_path, const std::string& rejects_path,
                           const CsvOptions& options = {}, int threads = 0, const Progress& progress = {});

}  // namespace earlyhelp::io
