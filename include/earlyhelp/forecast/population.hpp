// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The child population (0-17, by single year of age and sex) a forecast's rates are per child
/// of, from one of:
///
/// - a projection CSV a council downloads from ONS (sub-national population projections), in
///   either layout: long, `year,age,sex,population` (sex F/M, female/male or 2/1), or ONS wide,
///   `AGE_GROUP`, `SEX` and one column per year (other columns such as AREA_CODE and COMPONENT
///   are ignored; ages above 17 and "All ages" rows are skipped). Figures are mid-year (30 June)
///   and interpolated linearly between years; before the first and after the last year they are
///   held (with a warning);
/// - the council's own person register (`person_register.csv`): children resident at each month
///   end, held flat after the as-of date (with a warning that no projection was given);
/// - nothing: a notional flat population (with a warning); rates then only scale counts, and a
///   target per 10,000 children cannot be used.

#include "earlyhelp/core/date.hpp"
#include "earlyhelp/forecast/states.hpp"

#include <array>
#include <map>
#include <string>
#include <vector>

namespace earlyhelp::forecast {

/// Children by age (0-17) and sex (F, M, U; U is 0 in every source here).
using AgeSexCounts = std::array<std::array<double, n_sexes>, n_ages>;

/// A child population over time.
class PopulationSeries {
 public:
  /// A notional flat population of `per_cell` children per age and sex (F and M).
  static PopulationSeries notional(double per_cell = 10000.0);
  /// From yearly mid-year figures (year -> counts).
  static PopulationSeries from_years(std::map<int, AgeSexCounts> years, std::string source);
  /// From month-end counts (month number -> counts), held flat after the last month.
  static PopulationSeries from_months(std::map<int, AgeSexCounts> months, std::string source);

  /// Children at month end `month` (a month number, states.hpp).
  AgeSexCounts at_month(int month) const;
  /// Total children at month end `month`.
  double total_at_month(int month) const;
  /// True for a notional population (no real denominator).
  bool is_notional() const noexcept { return notional_; }
  /// Where the figures came from, e.g. "pop.csv (ONS wide, 2018-2043)".
  const std::string& source() const noexcept { return source_; }
  /// First and last month with figures of their own (outside them the nearest is held).
  int first_month() const noexcept { return first_; }
  int last_month() const noexcept { return last_; }

 private:
  std::map<int, AgeSexCounts> points_;  // month number -> counts
  std::string source_;
  bool notional_ = false;
  int first_ = 0, last_ = 0;
};

/// Reads a projection CSV (long or ONS wide layout, see above).
/// @throws IOError if unreadable; SchemaError if neither layout's columns are there; InvalidArgument
/// naming the file, row and column for a value that is not a number, a negative count or an
/// unknown sex.
PopulationSeries read_population_csv(const std::string& path);

/// Children resident at each month end from first_month to last_month, counted from the person
/// register of an extracts folder (a row counts from its start_date to its end_date).
/// @throws IOError if `dir/person_register.csv` is missing.
PopulationSeries population_from_register(const std::string& dir, int first_month, int last_month);

}  // namespace earlyhelp::forecast
