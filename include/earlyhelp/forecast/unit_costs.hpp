// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Weekly unit costs per state (`cin`, `cpp`, `lac:<placement>`), each with its source. The
/// defaults are published figures, cited in the README's "Forecasting and savings" section and
/// in each row's `source`; a council replaces them with its own (`--unit-costs costs.csv`).

#include "earlyhelp/forecast/states.hpp"

#include <array>
#include <string>
#include <vector>

namespace earlyhelp::forecast {

/// One unit cost: pounds per child per week in a state.
struct UnitCost {
  std::string state;    ///< "cin", "cpp", "lac" (every placement) or "lac:<placement>"
  double weekly = 0;    ///< GBP per child per week
  std::string source;   ///< where the figure comes from
};

/// Unit costs of every model state.
struct UnitCosts {
  std::array<double, n_states> weekly{};          ///< by state (not_known is 0)
  std::array<std::string, n_states> source{};     ///< by state
  /// The rows as given (defaults, then a file's rows over them).
  std::vector<UnitCost> rows;
};

/// An amount in whole pounds (halves away from zero) with thousands separators: "-1,234,567".
std::string whole_pounds(double amount);

/// The published defaults (see the README for the full citations; several are approximate).
UnitCosts default_unit_costs();

/// Reads `state,weekly_cost[,source]` rows over the defaults: a `lac` row sets every placement,
/// a `lac:<placement>` row one of them (later rows win). Unlisted states keep their default.
/// @throws IOError if unreadable; SchemaError if the columns are missing; InvalidArgument naming
/// the file, row and column for an unknown state or a cost that is not a non-negative number.
UnitCosts read_unit_costs(const std::string& path);

}  // namespace earlyhelp::forecast
