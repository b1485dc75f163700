// SPDX-License-Identifier: Apache-2.0
#pragma once
// The engagement model's design (forecast/engagement.hpp), shared by the fit and the back-test.

#include "earlyhelp/forecast/engagement.hpp"
#include "earlyhelp/forecast/savings.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace earlyhelp::forecast::detail {

inline constexpr int n_bands = 7;                 // interval bands: 1, 2, 3, 4-6, 7-9, 10-13, 14+
inline constexpr int n_design = 6 + 3 + n_bands;  // problems, their number, children, earlier episodes, bands

std::vector<std::string> design_names();
int interval_band(int k) noexcept;
/// Design row of episode e in 4-week interval k (1-based), unstandardised.
void design_row(const EngagementEpisode& e, int k, double* row) noexcept;

/// One episode-interval at risk.
struct RiskRow {
  std::size_t episode = 0;
  int interval = 1;
  bool closed = false, achieved = false;
};
struct Risk {
  std::vector<RiskRow> rows;
  std::size_t episodes = 0;
};
/// The intervals each episode started before o.as_of was at risk in, as known before it (left
/// truncated at the extract's first date).
Risk risk_sets(const std::vector<EngagementEpisode>& episodes, std::optional<Date> first_end, const EngagementOptions& o);

/// The savings calculator's input for `families` turned around in a short engagement, each
/// saving `weeks_saved` weeks at o.weekly_cost.
savings::Intervention short_engagement(double families, double weeks_saved, const EngagementOptions& o);

}  // namespace earlyhelp::forecast::detail
