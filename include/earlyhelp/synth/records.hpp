// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// How each source system holds a person: its formatting habits and the identity errors it
/// makes, and the rendering of simulated events as rows of the built-in schema's streams.
///
/// Each (person, system) pair gets a stable "registration profile" drawn from its own random
/// stream: the system may hold a nickname (William -> Bill), an initial, a typo, forename and
/// surname swapped, a missing or wrong date of birth (including day/month transposed), a
/// mistyped, malformed or missing postcode, an unknown sex, and it updates addresses and
/// surnames only after a lag (so old addresses after a move and maiden names after a marriage
/// appear). Systems that key names afresh for each contact (police, ASB, homelessness,
/// children's social-care contacts) draw the profile per row instead. Rates are per record,
/// multiplied by a per-system factor and by Config::error_scale; every injected error is counted
/// (truth/errors.csv) so tests and linkage evaluations know the expected rates.

#include "earlyhelp/schema/schema.hpp"
#include "earlyhelp/synth/events.hpp"
#include "earlyhelp/synth/population.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace earlyhelp::synth {

/// Base identity-error rates per record (before the system factor and Config::error_scale).
struct ErrorRates {
  double nickname = 0.05;          ///< informal first name (when the name has one)
  double initial = 0.01;           ///< first name reduced to its initial
  double first_name_typo = 0.02;
  double surname_typo = 0.015;
  double name_swap = 0.006;        ///< forename and surname swapped
  double dob_missing = 0.015;      ///< only where the schema allows an empty dob
  double dob_transposed = 0.01;    ///< day and month swapped (when the day is 12 or less)
  double dob_wrong = 0.01;         ///< a day, a year or a digit off
  double sex_unknown = 0.01;
  double postcode_typo = 0.015;    ///< a valid-format but wrong postcode
  double postcode_invalid = 0.004; ///< a malformed postcode (fails format validation)
  double postcode_missing = 0.015; ///< only where the schema allows an empty postcode
};

/// The kinds of injected error counted in truth/errors.csv.
enum class ErrorKind : std::uint8_t {
  nickname, initial, first_name_typo, surname_typo, name_swap, dob_missing, dob_transposed,
  dob_wrong, sex_unknown, postcode_typo, postcode_invalid, postcode_missing, stale_address,
  stale_surname,
};
inline constexpr std::size_t n_error_kinds = 14;
std::string_view to_string(ErrorKind k) noexcept;

/// Injected errors of one stream: counts per kind and the number of records.
struct ErrorCounts {
  std::array<std::uint64_t, n_error_kinds> by_kind{};
  std::uint64_t records = 0;
  void add(const ErrorCounts& o) noexcept {
    for (std::size_t i = 0; i < n_error_kinds; ++i) by_kind[i] += o.by_kind[i];
    records += o.records;
  }
};

/// Formatting habits and reliability of one source system.
struct SystemStyle {
  bool upper_surname = false;   ///< SMITH
  bool upper_names = false;     ///< JOHN SMITH, and addresses upper case
  bool uk_dates = false;        ///< dd/mm/yyyy instead of ISO
  bool compact_postcode = false;  ///< CO43AB
  int booleans = 0;             ///< 0 true/false, 1 Y/N, 2 1/0
  bool per_row_identity = false;  ///< names keyed afresh for each record
  double error_factor = 1.0;    ///< multiplies ErrorRates
  double address_lag_days = 60; ///< mean delay before a move is recorded
  std::string_view prefix;      ///< record-id prefix, e.g. "PR"
};
/// The style of a stream's source system.
SystemStyle system_style(StreamId s) noexcept;

/// Renders events as CSV rows of a schema stream, iterating the stream's fields so the output
/// follows the catalogue (field order, names, categories).
class RecordWriter {
 public:
  /// @throws SchemaError if the schema lacks one of the 18 council streams.
  RecordWriter(const Population& pop, const schema::Schema& schema, ErrorRates rates = {});

  /// The CSV header line (field names, "\n"-terminated) of a stream: every field of the schema,
  /// except optional ones (`"required": false`) unless Config::optional_columns is set.
  std::string header(StreamId s) const;
  /// Appends the CSV row for `e` to `out`; `row_key` makes the record id unique (household
  /// index << 20 | row number within the household). Returns the record id.
  std::string write(const Event& e, std::uint64_t row_key, std::string& out, ErrorCounts& counts) const;
  /// Fields of a stream the writer has no generator for (left empty); empty when in sync.
  const std::vector<std::string>& unmapped(StreamId s) const noexcept { return unmapped_[static_cast<std::size_t>(s)]; }

 private:
  const Population& pop_;
  ErrorRates rates_;
  std::array<const schema::Stream*, n_streams> streams_{};
  std::array<std::vector<int>, n_streams> slots_;           // per written field
  std::array<std::vector<std::size_t>, n_streams> fields_;  // schema field index per written field
  std::array<std::vector<std::string>, n_streams> unmapped_;
};

/// Record id for a row key of a stream: prefix + 14 digits, a bijection of the key (unique).
std::string record_id(StreamId s, std::uint64_t row_key);

}  // namespace earlyhelp::synth
