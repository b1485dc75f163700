// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/model_check.hpp"

#include "earlyhelp/linkage/training.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace earlyhelp::linkage {

namespace {

constexpr auto kFirst = static_cast<std::size_t>(Field::first_name);
constexpr auto kDob = static_cast<std::size_t>(Field::dob);

// Applies upper bounds to p's m-probabilities (a bounded level takes its bound when above it, the
// other levels share the rest in proportion).
void bound(ModelParameters& p, const MBounds& bounds) {
  for (std::size_t f = 0; f < n_fields; ++f) {
    auto& m = p.fields[f].m;
    if (bounds[f].size() != m.size()) continue;
    double excess = 0, free = 0;
    for (std::size_t l = 0; l < m.size(); ++l)
      if (m[l] > bounds[f][l]) excess += m[l] - bounds[f][l], m[l] = bounds[f][l];
    for (std::size_t l = 0; l < m.size(); ++l)
      if (m[l] < bounds[f][l]) free += m[l];
    if (excess <= 0 || free <= 0) continue;
    for (std::size_t l = 0; l < m.size(); ++l)
      if (m[l] < bounds[f][l]) m[l] += excess * m[l] / free;
  }
}

std::string m_text(const ModelParameters& p) {
  return fmt::format("m of a different first name {:.3f}, of a different date of birth {:.3f}",
                     p.fields[kFirst].m[levels::FirstName::different], p.fields[kDob].m[levels::Dob::different]);
}

}  // namespace

ComparisonVector household_members_pattern() noexcept {
  ComparisonVector v;
  v.fill(null_level);
  v[kFirst] = levels::FirstName::different;
  v[kDob] = levels::Dob::different;
  v[static_cast<std::size_t>(Field::surname)] = levels::Surname::exact;
  v[static_cast<std::size_t>(Field::address)] = levels::Address::exact;
  v[static_cast<std::size_t>(Field::postcode)] = levels::Postcode::unit;
  v[static_cast<std::size_t>(Field::town)] = levels::Town::exact;
  v[static_cast<std::size_t>(Field::uprn)] = levels::Uprn::same;
  return v;
}

double household_members_probability(const ModelParameters& p, const Settings& settings) {
  const FellegiSunter scorer(p, PreparedRecords(), /*tf_adjust=*/false, settings.household_guard, settings.guard_max_m,
                             settings.place_once);
  WeightParts parts;
  return probability_from_weight(scorer.pattern_weight(household_members_pattern(), parts));
}

std::vector<std::string> check_model(ModelParameters& p, const Settings& settings,
                                     const std::function<ModelParameters(double max_m)>& refit) {
  std::vector<std::string> out;
  const double before = household_members_probability(p, settings);
  if (before < settings.match_threshold) return out;
  const std::string found = fmt::format(
      "EM self-check: the fitted model would link two members of one household (one home and surname, different "
      "first names and dates of birth) with probability {:.2f} ({})",
      before, m_text(p));
  double max_m = settings.guard_max_m;
  for (int attempt = 0; attempt < 3; ++attempt) {
    max_m /= 2;
    ModelParameters q = refit(max_m);
    const double after = household_members_probability(q, settings);
    if (after < settings.match_threshold) {
      p = std::move(q);
      out.push_back(fmt::format("{}; refitted with the disagreement levels of first name and date of birth bounded "
                                "at m {:.4f}: probability now {:.2f}",
                                found, max_m, after));
      return out;
    }
  }
  // Safe defaults for person evidence, their disagreement levels lowered until household evidence
  // cannot outweigh them.
  const ModelParameters defaults = ModelParameters::defaults();
  for (const std::size_t f : {kFirst, kDob}) p.fields[f].m = defaults.fields[f].m;
  double after = household_members_probability(p, settings), applied = 0;
  while (after >= settings.match_threshold && max_m > 1e-9) {
    bound(p, person_evidence_bounds(max_m));
    applied = max_m;
    after = household_members_probability(p, settings);
    max_m /= 2;
  }
  out.push_back(fmt::format("{}; refits with tighter bounds still did, so first name and date of birth fell back to "
                            "default m-probabilities{}: probability now {:.2f}",
                            found, applied > 0 ? fmt::format(" with their disagreement levels at most m {:.6f}", applied) : "",
                            after));
  return out;
}

}  // namespace earlyhelp::linkage
