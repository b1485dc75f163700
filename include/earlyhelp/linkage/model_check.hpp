// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The self-check of a fitted model in data with households: has EM learnt the household
/// instead of the person? The symptom is a model that would link two records at one home, under
/// one surname, whose first names and dates of birth both disagree (two brothers: their shared
/// address, postcode, town and surname outweighing two different first names and dates of
/// birth). On that symptom the model is refitted with the m-probabilities of disagreeing person
/// evidence bounded tighter (half of guard_max_m, then a quarter, an eighth); if every refit still
/// links such a pair, person evidence falls back to the defaults' m-probabilities, their
/// disagreement levels lowered until it does not. Each step is reported in words (no record
/// values), for Linker::warnings(), the CLI's stderr and the audit record.
///
/// Example:
/// ```cpp
/// using namespace earlyhelp::linkage;
/// ModelParameters p = train(table, plan, settings, true);
/// auto refit = [&](double max_m) { Settings s = settings; s.guard_max_m = max_m; return train(table, plan, s, true); };
/// for (const std::string& w : check_model(p, settings, refit)) log(w);   // empty when healthy
/// ```

#include "earlyhelp/linkage/comparison.hpp"
#include "earlyhelp/linkage/fellegi_sunter.hpp"
#include "earlyhelp/linkage/settings.hpp"

#include <functional>
#include <string>
#include <vector>

namespace earlyhelp::linkage {

/// Two records of one household who are different people: one home (address, postcode, town,
/// property), one surname, first names and dates of birth that differ.
ComparisonVector household_members_pattern() noexcept;

/// The probability `p` (with `settings`' guard and place bound, no term frequencies) gives
/// household_members_pattern().
double household_members_probability(const ModelParameters& p, const Settings& settings);

/// Checks `p` and repairs it on collapse (see the file comment); `refit(max_m)` trains again with
/// person evidence's disagreement levels bounded at max_m. @return what was found and done (empty
/// when the model passed).
std::vector<std::string> check_model(ModelParameters& p, const Settings& settings,
                                     const std::function<ModelParameters(double max_m)>& refit);

}  // namespace earlyhelp::linkage
