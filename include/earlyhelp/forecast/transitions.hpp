// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Monthly transition probabilities between the model's states (states.hpp), by age bracket and
/// sex, estimated from the care history before an as-of date.
///
/// Each child's state is read at every month end of the fit window (by default the 36 months
/// before the as-of date, no earlier than the data's first complete month). A move from state i
/// at one month end to state j at the next counts once in the child's age bracket and sex; the
/// exposure of a care state is its child-months. Entries from not_known are per child of the
/// population not in a care state (population.hpp). Estimates are multinomial with a Dirichlet
/// prior centred on the bracket's rates pooled over sexes (strength `prior_months` child-months),
/// so a thin cell (unknown sex, a rare placement) borrows from its bracket; the table reports the
/// raw rate with a 95% Wilson interval beside the shrunk one. The projection draws each
/// simulation's rates from the Dirichlet posterior, so the bands carry parameter uncertainty as
/// well as chance.
///
/// Time in care: leaving care (moves from a looked-after state to not_known, cin or cpp)
/// depends on how long the child has been looked after: the chance is highest early in a period
/// of care and falls the longer a child stays. The model carries this
/// as a proportional hazard: the monthly leaving probability of a cell (age bracket, sex,
/// placement) is scaled by a ratio for the band of months in care (states.hpp care_band),
/// estimated jointly with the cells' rates by iterative proportional fitting of the Poisson
/// likelihood (shrunk towards 1 by `prior_months` child-months at the overall leaving rate).
/// Within a cell the fitted rates stay what was observed on the window's mix of durations; only
/// the split across durations changes. Placement moves are not scaled.
///
/// Trend: the entry rates to cin, cpp and lac in each 12-month block of the window give a
/// log-linear slope per year (used by the `trend` scenario).
///
/// References: the Children's Social Care Demand Model (Social Finance / Data to Insight,
/// csdmpy) for the design; E. B. Wilson, "Probable inference, the law of succession, and
/// statistical inference", JASA 22 (1927) for the intervals.

#include "earlyhelp/core/date.hpp"
#include "earlyhelp/forecast/history.hpp"
#include "earlyhelp/forecast/population.hpp"
#include "earlyhelp/forecast/states.hpp"

#include <array>
#include <string>
#include <vector>

namespace earlyhelp::forecast {

/// Options of the fit.
struct FitOptions {
  int fit_months = 36;          ///< months of history before the as-of date
  double prior_months = 24.0;   ///< strength of the pooled prior, in child-months
  int min_months = 6;           ///< fewer months of history is an error
};

/// One row of the transition table.
struct TransitionRow {
  int band = 0, sex = 0, from = 0, to = 0;
  double count = 0, exposure = 0;   ///< moves observed, child-months at risk
  double rate = 0, low = 0, high = 0;  ///< raw monthly probability and its 95% Wilson interval
  double probability = 0;           ///< shrunk estimate the projection centres on
};

/// The fitted model.
struct TransitionModel {
  int first_month = 0, last_month = 0;  ///< window: moves from month end m-1 to m, m in (first, last]
  /// counts[cell][to] and exposure[cell]; cell = (band * n_sexes + sex) * n_states + from.
  std::vector<std::array<double, n_states>> counts;
  std::vector<double> exposure;
  /// Dirichlet posterior parameters per cell (alpha[cell][to]).
  std::vector<std::array<double, n_states>> alpha;
  /// Care-leaving hazard ratio by band of months in care (1 when not fitted), with the leaving
  /// moves and looked-after child-months of each band in the fit window.
  std::array<double, n_care_bands> leave_hazard{1, 1, 1, 1, 1, 1};
  std::array<double, n_care_bands> leave_moves{}, leave_exposure{};
  /// Per cell: the mean of leave_hazard over the cell's looked-after exposure in the window
  /// (empty when not fitted).
  std::vector<double> leave_mean_hazard;
  /// Log-linear slope per year of the entry rates to cin, cpp and lac (0 when under 2 years).
  std::array<double, 3> trend_per_year{};
  /// Entry rates per 1,000 children not known, by 12-month block (oldest first) and group.
  std::vector<std::array<double, 3>> yearly_entry_rates;
  std::vector<std::string> warnings;

  static constexpr std::size_t cell(int band, int sex, int from) noexcept {
    return static_cast<std::size_t>((band * n_sexes + sex) * n_states + from);
  }
  /// Factor on the leaving probabilities of a looked-after child of `cell` after `months` whole
  /// months in care: leave_hazard[care_band(months)] / leave_mean_hazard[cell] (1 when not fitted).
  double leave_multiplier(std::size_t cell, int months) const noexcept {
    if (cell >= leave_mean_hazard.size() || leave_mean_hazard[cell] <= 0) return 1.0;
    return leave_hazard[static_cast<std::size_t>(care_band(months))] / leave_mean_hazard[cell];
  }
  /// Posterior mean monthly probability of moving from `from` to `to`.
  double probability(int band, int sex, int from, int to) const;
  /// The table (every cell and destination with a count or a positive probability).
  std::vector<TransitionRow> table() const;
};

/// Fits the model on `history` (cut at `as_of` first, see history_as_of) and `population`.
/// @throws InvalidArgument if fewer than options.min_months month ends of data precede `as_of`.
TransitionModel fit_transitions(const History& history, const PopulationSeries& population, Date as_of,
                                const FitOptions& options = {});

}  // namespace earlyhelp::forecast
