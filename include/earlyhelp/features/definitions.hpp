// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Feature definitions: what to derive from linked records as of a date, declared in JSON and
/// checked against the schema (see README "Features" for the format).
///
/// A definitions file holds a `features` list; each feature has a `name`, a `kind`, a plain
/// `label`, a `description` and a `template` (the sentence a reason code shows, with the value).
/// Kinds:
/// - `count`: events of a stream in a window before the date, filtered on fields (`where`);
/// - `aggregate`: `sum`, `mean`, `min`, `max`, `first` or `last` of a numeric field;
/// - `days_since`: days from the last (or first) matching event to the date;
/// - `ratio`: sum of one field over the sum of another (attendance = attended / possible), over
///   a window or the last N events (terms), or the lowest/highest per-event ratio;
/// - `trend`: a count, aggregate or ratio now against the same one window (or N events) earlier;
/// - `change`: flags: `first_ever` (the first matching event ever fell in the window), `new`
///   (an event in the window and none in the period before; for episodes: none open when the
///   window began), `changed` (a field such as the UPRN differs from its value before the
///   window: a move), `doubled` (a numeric measure at least `factor` times its value
///   `lookback_days` earlier: arrears doubled);
/// - `attribute`: age, age band or sex as of the date;
/// - `state`: an episode open on the date (start before it, end empty or on/after it), or the
///   latest snapshot before the date matching a filter;
/// - `rollup` (family level): over the household's members on the date: `any_adult`,
///   `any_child`, `any_member`, `count_adults`, `count_children`, `count_members`, `max`, `min`,
///   `sum` of a person feature;
/// - `count_true`: how many of a list of features are non-zero (the Troubled Families count);
/// - `rule`: 1 when `any`/`all` of conditions on earlier features hold, else 0;
/// - `records`: how many records a person has over several streams in a window before the date
///   (`window_days`, or `window_months` calendar months as the alerts' contact rule counts them;
///   `streams`, default every dated stream of the schema, less `excluded_streams`): contact with
///   services, whatever the service (the activity a risk model must do better than).
///
/// Point in time: as of date D a feature sees only records whose event date (the stream's
/// `event_date_field`) is before D; an end date on or after D reads as still open; records with no
/// usable event date count only in features that say `"undated": true`.
///
/// Example:
/// ```cpp
/// auto defs = earlyhelp::features::FeatureSet::builtin();
/// for (const auto& f : defs.features()) fmt::print("{}: {}\n", f.name, f.description);
/// ```

#include "earlyhelp/core/date.hpp"
#include "earlyhelp/schema/schema.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace earlyhelp::features {

/// What a feature computes. JSON names: "count", "aggregate", "days_since", "ratio", "trend",
/// "change", "attribute", "state", "rollup", "count_true", "rule", "records".
enum class Kind { count, aggregate, days_since, ratio, trend, change, attribute, state, rollup, count_true, rule, records };

/// Whose row a feature belongs to: a person's, or a family's (household's). JSON: "person", "family".
enum class Level { person, family };

/// How a value is written in a sentence. JSON names: "integer", "number", "percent" (a
/// fraction 0.81 -> "81%"), "percentage_points" (0.15 -> "15 percentage points"), "flag"
/// ("yes"/"no"), "gbp" ("£1,234"), "band" (an age band's label).
enum class Format { integer, number, percent, percentage_points, flag, gbp, band };

/// Comparison operators of filters and rules. JSON: "<", "<=", ">", ">=", "==", "!=".
enum class Op { lt, le, gt, ge, eq, ne };

namespace detail {

/// What a measure computes over the selected events of one stream.
enum class Stat { count, sum, mean, min, max, first, last, ratio, ratio_min, ratio_max, days_since_last, days_since_first };

/// One condition of a `where` filter on a field of the stream.
struct Filter {
  std::size_t field = 0;                 ///< index of the field in the stream
  enum class Test { categories, boolean, compare } test = Test::categories;
  std::vector<bool> allowed;             ///< categories: allowed codes
  bool flag = false;                     ///< boolean: the value wanted
  Op op = Op::eq;                        ///< compare: operator against `value`
  double value = 0.0;
  schema::Missing missing = schema::Missing::propagate;  ///< what a missing value does
};

/// A measure: one statistic of one person's events of one stream, relative to a date.
struct Measure {
  std::size_t stream = 0;                ///< index in the schema's streams
  std::vector<Filter> where;
  Stat stat = Stat::count;
  std::size_t field = 0;                 ///< aggregate field; ratio numerator
  std::size_t field2 = 0;                ///< ratio denominator
  schema::Missing field_missing = schema::Missing::propagate;   ///< policy of `field`
  schema::Missing field2_missing = schema::Missing::propagate;  ///< policy of `field2`
  int window_days = 0;                   ///< 0: all history before the date
  int events = 0;                        ///< > 0: only the last N selected events
  int offset_events = 0;                 ///< skip the last M selected events first
  bool undated = false;                  ///< also undated records (only without a window)
  std::optional<std::size_t> latest_per; ///< field: keep each value's latest event (snapshot key)
  std::optional<std::size_t> end_field;  ///< episode streams: the end date field (from "streams")
};

/// Change flags. JSON: "first_ever", "new", "changed", "doubled".
enum class Change { first_ever, new_event, changed, doubled };
/// Person attributes. JSON: "age", "age_band", "sex".
enum class Attribute { age, age_band, sex };
/// Family roll-ups. JSON: "any_adult", "any_child", "any_member", "count_adults",
/// "count_children", "count_members", "max", "min", "sum".
enum class Rollup { any_adult, any_child, any_member, count_adults, count_children, count_members, max, min, sum };

/// One condition of a rule: `feature op value` (false when the feature is missing).
struct Condition {
  std::size_t feature = 0;
  Op op = Op::ge;
  double value = 0.0;
};

/// A rule: all (or any) of its conditions and sub-rules hold.
struct Rule {
  bool all = true;
  std::vector<Condition> conditions;
  std::vector<Rule> rules;
};

/// A piece of a template: literal text, or a value to insert.
struct TemplatePart {
  enum class What { text, value, abs, sign, plural } what = What::text;
  std::string text;                      ///< literal text
  std::size_t feature = 0;               ///< value/abs/sign/plural: whose value
  std::vector<std::string> words;        ///< sign: {rising, falling, unchanged}
};

/// How one feature is computed (filled by FeatureSet parsing).
struct Plan {
  Measure measure;                       ///< count, aggregate, days_since, ratio, trend, change, state
  bool compare_ratio = false;            ///< trend: now / before instead of now - before
  Change change = Change::first_ever;
  int lookback_days = 0;                 ///< change: the period before (new, doubled)
  double factor = 2.0;                   ///< change doubled
  Attribute attribute = Attribute::age;
  std::vector<int> bands;                ///< age_band: lower edges of the bands after the first
  std::string equals;                    ///< sex: the category that gives 1
  Rollup rollup = Rollup::any_member;
  std::optional<std::size_t> of;         ///< rollup: the person feature (none: every member counts)
  std::vector<std::size_t> inputs;       ///< count_true
  std::vector<std::size_t> streams;      ///< records: the streams counted (schema indices, sorted)
  int window_months = 0;                 ///< records: a window of calendar months (else measure.window_days)
  Rule rule;
  std::vector<TemplatePart> parts;       ///< the parsed template
};

}  // namespace detail

/// One feature: its name and what it says, plus how it is computed.
struct FeatureDef {
  std::string name;         ///< column name, snake_case, unique
  Kind kind = Kind::count;
  Level level = Level::person;
  Format format = Format::number;
  std::string label;        ///< short plain-language name ("Domestic abuse notifications, 90 days")
  std::string description;  ///< what the value means, in a sentence or two
  std::string template_text;  ///< e.g. "{value} police domestic-abuse notification{s} in the last 90 days"
  std::string stream;       ///< the stream it reads ("" for derived kinds and `records`)
  std::vector<std::string> streams;  ///< records: the streams it counts, in schema order
  std::vector<std::string> domains;  ///< risk domains it serves: safeguarding, homelessness, asb, debt, troubled_families
  bool alerting = false;    ///< a non-zero value is an alerting feature (a new concern)
  detail::Plan plan;
};

/// Per-stream time semantics declared by a definitions file (top-level "streams" object).
struct StreamTime {
  std::string stream;
  std::optional<std::size_t> end_field;  ///< episodes: the field that ends them
};

/// A checked set of feature definitions bound to a schema. A value type; const members are safe
/// to call concurrently.
class FeatureSet {
 public:
  /// The built-in definitions for the four domains and the Troubled Families criteria
  /// (lib/features/council.features.json, compiled in), against the built-in schema.
  static FeatureSet builtin();
  /// The text of the built-in definitions (to check them against another schema).
  static std::string_view builtin_json();
  /// Parses definitions JSON against `schema`. `source` names the origin (file path) in errors.
  /// @throws SchemaError "<source>: <json path>: expected ...; got ..." on any problem.
  static FeatureSet from_json(std::string_view json_text, const schema::Schema& schema,
                              std::string_view source = "<string>");
  /// Reads a definitions file. @throws IOError if unreadable, SchemaError if invalid.
  static FeatureSet from_file(const std::string& path, const schema::Schema& schema);

  const std::string& name() const noexcept { return name_; }
  const std::string& version() const noexcept { return version_; }
  const schema::Schema& schema() const noexcept { return schema_; }
  const std::vector<FeatureDef>& features() const noexcept { return features_; }
  const std::vector<StreamTime>& stream_times() const noexcept { return stream_times_; }
  std::size_t size() const noexcept { return features_.size(); }
  /// Index of the feature called `name`, or std::nullopt.
  std::optional<std::size_t> find(std::string_view feature_name) const noexcept;
  /// Names of the features of `level` in file order (the columns of a table at that level:
  /// person tables also carry the family features of each person's household).
  std::vector<std::string> column_names(Level level) const;
  /// Indices of the columns of a table at `level` (see column_names).
  std::vector<std::size_t> columns(Level level) const;
  /// True when any feature needs the household (a family-level feature).
  bool has_family_features() const noexcept;

  /// The feature's sentence for the values in `row` (one value per feature of the set, NaN
  /// missing, in feature order), e.g. "school attendance fell from 96% to 81% over the last
  /// three terms". A missing value gives "<label>: not known".
  std::string describe(std::size_t feature, const float* row) const;
  /// A value written in a feature's format ("81%", "£1,234", "yes").
  std::string format_value(std::size_t feature, double value) const;

  /// A plain-text table of the features (name, level, kind, description) for `features --list`.
  std::string to_text() const;
  /// A Markdown table of the features (name, level, kind, domains, description).
  std::string to_markdown() const;

 private:
  std::string name_;
  std::string version_;
  schema::Schema schema_;
  std::vector<FeatureDef> features_;
  std::vector<StreamTime> stream_times_;
  friend class FeatureSetParser;
};

/// JSON / display names of the enums.
std::string_view to_string(Kind k) noexcept;
std::string_view to_string(Level l) noexcept;
std::string_view to_string(Format f) noexcept;
/// Parses "person" or "family". @throws InvalidArgument naming the accepted values.
Level parse_level(std::string_view s);

}  // namespace earlyhelp::features
