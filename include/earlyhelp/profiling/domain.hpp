// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// A risk domain as configuration: who is scored on an as-of date (the population), with which
/// features, what outcome is predicted over which horizon, and the groups its evaluation is
/// reported by. The four built-in domains (issue 15):
/// - `safeguarding` (person): a child not in statutory care on the date who enters CIN, CPP or
///   LAC within 9 months;
/// - `homelessness` (family): a household owed a prevention or relief duty within 6 months;
/// - `asb` (person): a person aged 10 or over recorded as an ASB perpetrator within 6 months;
/// - `debt` (person): an adult whose council tax reaches a liability order (or beyond) or whose
///   rent account reaches court action or eviction within 6 months, not already there.
///
/// Outcomes are derived from the extracts themselves: events of the outcome streams dated on or
/// after the as-of date and before the horizon's end (`add_months(as_of, horizon_months)`), so a
/// council trains on its own history; nothing is ever read from a synthetic council's `truth/`.
///
/// JSON (lib/profiling/<name>.domain.json):
/// ```json
/// {"name": "asb", "title": "...", "version": "1", "level": "person",
///  "population": "asb_population",            // a feature: 1 = scored on the date
///  "features": ["asb_perpetrator_365d", ...],  // optional: default every feature of the level
///                                               // whose "domains" list names this domain
///  "outcome": {"horizon_months": 6,
///              "events": [{"stream": "asb_incidents", "where": {"role": ["perpetrator"]}}]},
///  "groups": ["sex_female", "age_band"],       // features to report the evaluation by
///  "definitions": [ ... ]}                      // features of its own, in the definitions format
/// ```
///
/// Example:
/// @code
/// auto d = earlyhelp::profiling::Domain::builtin("safeguarding");
/// auto store = earlyhelp::features::load_events(d.feature_set(), "council/", links);
/// auto t = earlyhelp::profiling::training_table(d, store, {as_of_1, as_of_2}, evaluation_start);
/// @endcode

#include "earlyhelp/core/date.hpp"
#include "earlyhelp/core/progress.hpp"
#include "earlyhelp/features/definitions.hpp"
#include "earlyhelp/features/events.hpp"
#include "earlyhelp/features/table.hpp"
#include "earlyhelp/schema/schema.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace earlyhelp::profiling {

/// One kind of event that is the outcome: records of `stream` passing `where` (the definitions'
/// filter format, kept as JSON text).
struct OutcomeEvent {
  std::string stream;
  std::string where_json;  ///< "{}" for every record of the stream
};

/// What a domain predicts.
struct OutcomeSpec {
  int horizon_months = 6;
  std::vector<OutcomeEvent> events;  ///< any of them within the horizon is a positive outcome
};

/// A checked domain. A value type.
class Domain {
 public:
  /// The names of the built-in domains: safeguarding, homelessness, asb, debt.
  static std::vector<std::string> builtin_names();
  /// A built-in domain. @throws InvalidArgument naming the built-in domains for another name.
  static Domain builtin(std::string_view name);
  /// Parses a domain against the built-in definitions plus its own, bound to `schema`.
  /// @throws SchemaError "<source>: <json path>: expected ...; got ..." on any problem.
  static Domain from_json(std::string_view json_text, const schema::Schema& schema = schema::Schema::builtin(),
                          std::string_view source = "<string>");
  /// Reads a domain file. @throws IOError if unreadable, SchemaError if invalid.
  static Domain from_file(const std::string& path, const schema::Schema& schema = schema::Schema::builtin());

  const std::string& name() const noexcept { return name_; }
  const std::string& title() const noexcept { return title_; }
  const std::string& version() const noexcept { return version_; }
  features::Level level() const noexcept { return level_; }
  const std::string& population() const noexcept { return population_; }
  const std::vector<std::string>& features() const noexcept { return features_; }
  const OutcomeSpec& outcome() const noexcept { return outcome_; }
  const std::vector<std::string>& groups() const noexcept { return groups_; }
  /// Every feature the domain computes with (built-in, its own, and its outcome measures), for
  /// features::load_events.
  const features::FeatureSet& feature_set() const noexcept { return set_; }
  /// The domain's own definitions and its outcome measures, as the JSON list appended to the
  /// built-in definitions in feature_set() (to load several domains' features at once).
  const std::string& definitions_json() const noexcept { return definitions_json_; }
  /// The first day after the horizon of `as_of`: outcomes are events in [as_of, horizon_end).
  Date horizon_end(Date as_of) const noexcept { return add_months(as_of, outcome_.horizon_months); }

 private:
  std::string name_, title_, version_;
  features::Level level_ = features::Level::person;
  std::string population_;
  std::vector<std::string> features_;
  OutcomeSpec outcome_;
  std::vector<std::string> groups_;
  features::FeatureSet set_;
  std::string definitions_json_ = "[]";
  friend class DomainParser;
};

/// Population rows with features and outcomes over one or more as-of dates.
struct DomainTable {
  features::Level level = features::Level::person;
  std::vector<std::string> ids;      ///< person_id or family_id per row
  std::vector<Date> as_of;           ///< per row
  std::vector<std::string> columns;  ///< the domain's features, then its groups not among them
  features::ColMatrixXf values;      ///< rows x columns (NaN missing)
  std::vector<std::int8_t> outcome;  ///< per row: 1 when an outcome event fell in [as_of, horizon end)

  const char* id_column() const noexcept { return level == features::Level::person ? "person_id" : "family_id"; }
};

/// The population of each date with its features and the outcome over the horizon, derived from
/// later events in `store` (built with domain.feature_set()). A family's outcome is an outcome
/// event of any member known on the date.
/// @param evaluation_start when given, every date's horizon must end on or before it, so training
///        rows never see the evaluation period.
/// @param progress told the "features" stage (rows over every date, as features::compute).
/// @throws InvalidArgument when `as_of` is empty, a horizon overlaps `evaluation_start`, a horizon
///         ends after the last event in the extracts (the outcome is not yet known), an outcome
///         stream was not read, or a family domain has no households.
DomainTable training_table(const Domain& domain, const features::EventStore& store, const std::vector<Date>& as_of,
                           std::optional<Date> evaluation_start = std::nullopt, int n_threads = 0,
                           const Progress& progress = {});

}  // namespace earlyhelp::profiling
