// SPDX-License-Identifier: Apache-2.0
// The validator behind io::validate_stream, private to lib/io: its checks and the one-thread
// driver are in ingest.cpp, the parallel driver (chunks through an OrderedPipeline) in
// ingest_parallel.cpp.
#pragma once

#include "earlyhelp/core/progress.hpp"
#include "earlyhelp/io/csv.hpp"
#include "earlyhelp/io/ingest.hpp"
#include "earlyhelp/schema/schema.hpp"

#include "io/csv_chunks.hpp"
#include "io/key_index.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace earlyhelp::io::detail {

enum class Format { none, uk_postcode, nhs_number, uprn, upn };

// Everything needed to check one field, resolved once from the schema and the header.
struct FieldPlan {
  const schema::Field* field = nullptr;
  std::size_t column = 0;  // index in the input record
  bool in_input = false;
  Format format = Format::none;
  std::string scratch;     // normalised text of the current row
};

struct Problem {
  std::size_t field = 0;
  RejectKind kind = RejectKind::invalid_value;
  std::string reason;
};

struct CheckedChunk;  // ingest_parallel.cpp

class Validator {
 public:
  Validator(const schema::Stream& stream, CsvReader& reader, IngestSink& sink)
      : stream_(stream), reader_(reader), sink_(sink) {}

  IngestResult run(int threads, const Progress& progress);

 private:
  // ---- checks (ingest.cpp) ----
  void plan_header();
  Format parse_format(const schema::Field& f) const;
  void reject(const CsvRecord& rec, std::string field, RejectKind kind, std::string reason);
  std::string column_name(std::size_t i) const;
  bool reject_malformed(const CsvRecord& rec);
  std::string problem_reason();
  void check_row(const CsvRecord& rec);
  void check_birth_before_event();
  bool check_keys(const CsvRecord& rec);
  void fail(std::size_t j, RejectKind kind, std::string reason);
  void check_number_range(std::size_t j, double x);
  void check_date_range(std::size_t j, Date d);
  void check_field(std::size_t j, const CsvRecord& rec);
  bool is_marker(std::string_view s) const noexcept;
  void finish_report();
  // Progress: stage "validate" in input bytes read (`read`: a regular file's or a string's
  // size), or 0 of 1 then 1 of 1 when the size is unknown (a pipe). Reported on the calling
  // thread: every kProgressRows rows on one thread, after each task the calling thread runs on
  // several.
  void report_progress(bool done, std::uint64_t read);

  // ---- the parallel driver (ingest_parallel.cpp) ----
  void run_parallel(int threads);
  void check_chunk(CheckedChunk& c, CsvChunkParser& parser, const IngestSink* formatter);
  const CsvRecord& reread(const CheckedChunk& c, std::size_t i, std::size_t row, std::size_t line);
  void keys_chunk(CheckedChunk& c);
  void emit_chunk(const CheckedChunk& c, bool formatted);
  void add_field_counts(const Validator& checker);

  const schema::Stream& stream_;
  CsvReader& reader_;
  IngestSink& sink_;
  std::size_t width_ = 0;
  std::vector<FieldPlan> plans_;
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::size_t dob_ = kNone;    // the date-of-birth field, if any
  std::size_t event_ = kNone;  // the stream's event date field, if any
  std::vector<std::string> markers_;  // the stream's non-empty "no value" markers, e.g. NULL
  std::vector<FieldValue> values_;
  std::vector<Problem> problems_;
  struct Key {
    std::size_t field;     // index of a unique field
    KeyIndex index;        // its values in clean rows
    std::string_view raw;  // this row's trimmed raw value
    std::size_t hash;      // hash of the value to look up
  };
  std::vector<Key> keys_;
  std::array<std::size_t, 10> kind_counts_{};
  DataQualityReport report_;
  // The parallel driver's serial stages: the row being sent, how rows and lines are numbered,
  // the chunker (for an error's message) and a parser for rejected rows.
  CsvRecord emit_rec_;
  std::size_t rows_base_ = 0;
  std::size_t line_base_ = 1;
  std::size_t key_rows_ = 0;  // rows whose keys are checked (the key stage's numbering)
  std::uint64_t input_bytes_ = 0;  // the input's size if known, else 0 (CsvReader::input_bytes)
  CsvChunker* chunker_ = nullptr;
  CsvChunkParser* emit_parser_ = nullptr;

  static constexpr std::size_t kProgressRows = 1u << 16;
  const Progress* progress_ = nullptr;
  std::uint64_t progress_last_ = 0;
  bool progress_started_ = false;
};

}  // namespace earlyhelp::io::detail
