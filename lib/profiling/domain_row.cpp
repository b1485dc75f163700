// SPDX-License-Identifier: Apache-2.0
// A domain's feature row from values by name (profiling/domain_row.hpp).
#include "earlyhelp/profiling/domain_row.hpp"

#include "earlyhelp/core/error.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstddef>
#include <limits>

namespace earlyhelp::profiling {

std::vector<double> domain_row(const Domain& domain, const std::map<std::string, double>& values) {
  const features::FeatureSet& set = domain.feature_set();
  std::vector<double> row(set.size(), std::numeric_limits<double>::quiet_NaN());
  std::vector<std::string> unknown;
  for (const auto& [name, v] : values) {
    if (const auto j = set.find(name)) row[*j] = v;
    else unknown.push_back(name);
  }
  if (!unknown.empty()) {
    constexpr std::size_t shown = 5;
    const auto end = unknown.begin() + static_cast<std::ptrdiff_t>(std::min(shown, unknown.size()));
    throw InvalidArgument(fmt::format("domain_row: not features of domain '{}' (built-in or its own): {}{}",
                                      domain.name(), fmt::join(unknown.begin(), end, ", "),
                                      unknown.size() > shown ? fmt::format(" and {} more", unknown.size() - shown)
                                                             : std::string()));
  }
  return row;
}

}  // namespace earlyhelp::profiling
