// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The synthetic council end to end: population -> events -> source-system extracts (one CSV per
/// stream of the built-in schema) plus ground truth, deterministic for a seed and independent
/// of the thread count (households are simulated in parallel in fixed chunks and written in
/// household order).
///
/// Tables written (names as passed to the sink):
///   `<stream>`            one per schema stream, header = the schema's field names
///   `truth/records`       stream, record_id, person_id, household_id (every record)
///   `truth/persons`       true identity, family links, protected characteristics
///   `truth/households`    type, tenure, deprivation decile, address history
///   `truth/outcomes`      person_id, domain, as_of, outcome (labels of the four domains)
///   `truth/errors`        injected identity errors per stream and kind, with rates
///   `truth/rates`         generated base rates beside the official figures
///
/// Example:
/// ```
/// earlyhelp::synth::Config c; c.persons = 20000; c.seed = 42;
/// auto result = earlyhelp::synth::write_directory(c, "/tmp/council");
/// ```

#include "earlyhelp/schema/schema.hpp"
#include "earlyhelp/synth/events.hpp"
#include "earlyhelp/synth/population.hpp"
#include "earlyhelp/synth/records.hpp"

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace earlyhelp::synth {

/// One generated rate beside its official figure (base_rates.md).
struct RateRow {
  std::string measure;     ///< e.g. "children_in_need_per_10k"
  std::string description; ///< plain words with unit
  double generated = 0;
  double official = 0;     ///< NaN when there is no official comparator
  double tolerance = 0;    ///< relative tolerance the tests allow (0: reported only)
  std::string source;      ///< where the official figure comes from
};

/// What a run produced.
struct GenerateResult {
  std::uint64_t persons = 0, households = 0, outcomes = 0;
  std::array<std::uint64_t, n_streams> rows{};  ///< records per stream
  std::array<ErrorCounts, n_streams> errors{};  ///< injected errors per stream
  std::vector<RateRow> rates;
  /// Total records over all streams.
  std::uint64_t total_rows() const noexcept {
    std::uint64_t n = 0;
    for (auto r : rows) n += r;
    return n;
  }
};

/// Receives the tables' bytes, table by table in fixed order (a table's chunks arrive in order).
class TableSink {
 public:
  virtual ~TableSink() = default;
  /// Appends `bytes` to table `name` (see the list above).
  virtual void append(std::string_view name, std::string_view bytes) = 0;
};

/// Generates everything for `config` into `sink`, using `schema` for the stream layouts.
/// @throws InvalidArgument for a bad config; SchemaError if a council stream is missing.
GenerateResult generate(const Config& config, const schema::Schema& schema, TableSink& sink);

/// Writes `dir/<stream>.csv` and `dir/truth/*.csv` (directories are created) through
/// io::OutputFile: the files appear when generation succeeds, not at all when it fails.
/// @throws InvalidArgument as check_config, before any directory is created; IOError if a file
/// cannot be written.
GenerateResult write_directory(const Config& config, const std::string& dir);

/// Generates all tables in memory: name -> CSV text (for the Python binding and tests).
std::map<std::string, std::string> generate_tables(const Config& config, GenerateResult* result = nullptr);

}  // namespace earlyhelp::synth
