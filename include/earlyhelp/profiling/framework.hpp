// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// A family programme's criteria as configuration: the Troubled Families headline problems (the
/// default, built in) or a later framework such as Supporting Families, declared in JSON.
///
/// A framework names its criteria, how many a family needs (`min_criteria`), and for each
/// criterion the feature that decides it: a family-level roll-up of a person feature
/// (`"rollup": "any_child", "of": "tf_education_person"`: the family meets it when a child of the
/// household has the person feature non-zero) or a person feature (any member). Features come
/// from the built-in definitions (features/definitions.hpp) plus any the framework adds in its
/// own `features` list (the definitions format), so a council changes the criteria without code.
/// The `attendance` block names the person features behind the attendance figures: the
/// attendance over the last three terms, over the three before, the target (0.9) and how many
/// percentage points from it a family counts as a near miss.
///
/// ```json
/// {"name": "troubled_families", "title": "...", "version": "1", "min_criteria": 2,
///  "criteria": [{"name": "crime_asb", "label": "Crime or anti-social behaviour",
///                "feature": "tf_crime_asb"}, ...],
///  "attendance": {"criterion": "education", "last": "attendance_last3_terms",
///                 "previous": "attendance_prev3_terms", "target": 0.9, "near_miss_points": 5},
///  "features": []}
/// ```
///
/// Example:
/// @code
/// auto fw = earlyhelp::profiling::Framework::builtin();          // six headline problems, >= 2
/// auto sf = earlyhelp::profiling::Framework::from_file("supporting_families.json");
/// earlyhelp::features::FeatureSet set = sf.feature_set();        // built-in + the framework's own
/// @endcode

#include "earlyhelp/features/definitions.hpp"
#include "earlyhelp/schema/schema.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace earlyhelp::profiling {

/// One criterion (a headline problem or outcome).
struct Criterion {
  std::string name;     ///< column name, snake_case
  std::string label;    ///< plain words, e.g. "Crime or anti-social behaviour"
  std::string feature;  ///< the feature that decides it (family roll-up or person feature)
};

/// Where the attendance figures come from.
struct AttendanceSpec {
  std::string criterion;  ///< the criterion attendance belongs to ("" when the framework has none)
  std::string last = "attendance_last3_terms";      ///< person feature: attendance, last 3 terms
  std::string previous = "attendance_prev3_terms";  ///< person feature: the 3 terms before
  double target = 0.9;                              ///< the attendance the criterion is measured against
  double near_miss_points = 5.0;                    ///< percentage points from the target that count as close
};

/// A checked framework. A value type.
class Framework {
 public:
  /// The Troubled Families framework (2015-2020): six headline problems, eligible with two
  /// (lib/profiling/troubled_families.framework.json, compiled in).
  static Framework builtin();
  /// The text of the built-in framework.
  static std::string_view builtin_json();
  /// Parses a framework and checks it against the built-in definitions plus its own features
  /// bound to `schema`. `source` names the origin in errors.
  /// @throws SchemaError "<source>: <json path>: expected ...; got ..." on any problem (an unknown
  /// feature, a criterion feature that is neither a person feature nor a roll-up of one,
  /// min_criteria outside 1..criteria, a repeated criterion name).
  static Framework from_json(std::string_view json_text, const schema::Schema& schema = schema::Schema::builtin(),
                             std::string_view source = "<string>");
  /// Reads a framework file. @throws IOError if unreadable, SchemaError if invalid.
  static Framework from_file(const std::string& path, const schema::Schema& schema = schema::Schema::builtin());

  const std::string& name() const noexcept { return name_; }
  const std::string& title() const noexcept { return title_; }
  const std::string& version() const noexcept { return version_; }
  int min_criteria() const noexcept { return min_criteria_; }
  const std::vector<Criterion>& criteria() const noexcept { return criteria_; }
  const AttendanceSpec& attendance() const noexcept { return attendance_; }
  /// The features the criteria are computed with: the built-in definitions plus the framework's.
  const features::FeatureSet& feature_set() const noexcept { return set_; }
  /// The framework's own feature definitions (its "features" list, "[]" when none), as JSON text:
  /// what profile() adds to the domains' definitions to assess families on the same reading.
  const std::string& definitions_json() const noexcept { return definitions_json_; }

 private:
  std::string name_, title_, version_;
  int min_criteria_ = 2;
  std::vector<Criterion> criteria_;
  AttendanceSpec attendance_;
  features::FeatureSet set_;
  std::string definitions_json_ = "[]";
  friend class FrameworkParser;
};

}  // namespace earlyhelp::profiling
