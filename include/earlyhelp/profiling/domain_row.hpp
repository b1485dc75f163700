// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// A row of a risk domain's features from values by feature name, for profiling::score_row: the
/// domain's features are the built-in definitions plus its own (Domain::feature_set(); the
/// homelessness bundle reads features the homelessness domain defines), so a row keyed by the
/// names of a training_table or features table row scores as `earlyhelp profile` does. Python's
/// `earlyhelp.score_row` builds its row here; a C caller gets the same set with
/// eh_feature_set_domain and fills the row itself (eh_feature_case_row).
///
/// Example:
/// @code
/// auto d = earlyhelp::profiling::Domain::builtin("homelessness");
/// std::vector<double> row = earlyhelp::profiling::domain_row(d, {{"family_size", 3}, {"family_children", 2}});
/// auto s = earlyhelp::profiling::score_row(earlyhelp::profiling::DomainModel::reference("homelessness").model,
///                                          d.feature_set(), row.data(), row.size(), 3);
/// @endcode

#include "earlyhelp/profiling/domain.hpp"

#include <map>
#include <string>
#include <vector>

namespace earlyhelp::profiling {

/// One value per feature of domain.feature_set(), in its order: the value `values` gives for the
/// feature's name, NaN for a feature it does not name (not known). O(names x log features).
/// @throws InvalidArgument when `values` names features the domain lacks: the message names the
///         domain and the first five such names (in name order), and how many more there are.
std::vector<double> domain_row(const Domain& domain, const std::map<std::string, double>& values);

}  // namespace earlyhelp::profiling
