// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/adult_sources.hpp"

#include "earlyhelp/linkage/dates.hpp"

#include <algorithm>
#include <utility>

namespace earlyhelp::linkage {

namespace {

// Whether a yyyymmdd date of birth names a day (not only a year or a month).
constexpr bool full_date(std::int32_t dob) noexcept { return dob > 0 && dob % 100 != 0 && (dob / 100) % 100 != 0; }

// Whether somebody born on `born` (yyyymmdd) is under SourceAges::kAdultYears on `day` (day number).
constexpr bool under_age(std::int32_t born, std::int32_t day) noexcept {
  return day < add_months(Date{day_number(born)}, 12 * SourceAges::kAdultYears).days;
}

}  // namespace

bool learn_adult_sources(const PreparedRecords& r, const std::vector<std::uint32_t>& group_of, SourceAges& ages) {
  const std::size_t n = r.n_identities();
  const std::size_t n_sources = r.sources.values.size();
  ages.adult.assign(n_sources, false);
  if (group_of.size() != n || ages.learnt.size() != n_sources) return false;
  bool candidates = false;
  for (std::size_t s = 0; s < n_sources; ++s) candidates = candidates || !ages.learnt[s];
  if (!candidates) return false;
  // Each group's date of birth: the middle of its identities' full dates of birth (yyyymmdd).
  std::vector<std::pair<std::uint32_t, std::int32_t>> dated;
  for (std::size_t x = 0; x < n; ++x)
    if (full_date(r.dob[x])) dated.emplace_back(group_of[x], r.dob[x]);
  std::sort(dated.begin(), dated.end());
  constexpr std::int32_t kNone = INT32_MIN;
  std::vector<std::int32_t> born(n, kNone);
  for (std::size_t i = 0; i < dated.size();) {
    std::size_t j = i;
    while (j < dated.size() && dated[j].first == dated[i].first) ++j;
    if (dated[i].first < n) born[dated[i].first] = dated[i + (j - i) / 2].second;
    i = j;
  }
  // The council's share of under-16s among its dated records, and each source's among the joins
  // of its records without a date of birth.
  std::size_t all = 0, all_under = 0;
  std::vector<std::size_t> joined(n_sources, 0), joined_under(n_sources, 0);
  for (std::size_t rec = 0; rec < r.record_ids.size(); ++rec) {
    const std::int32_t day = r.record_day[rec];
    if (!PreparedRecords::is_dated(day)) continue;
    const std::uint32_t x = r.identity_of[rec];
    if (full_date(r.dob[x])) {
      ++all;
      all_under += under_age(r.dob[x], day) ? 1 : 0;
      continue;
    }
    const std::uint32_t s = r.record_source[rec];
    if (r.dob[x] != 0 || ages.learnt[s] || group_of[x] >= n || born[group_of[x]] == kNone) continue;
    ++joined[s];
    joined_under[s] += under_age(born[group_of[x]], day) ? 1 : 0;
  }
  if (all < SourceAges::kMinDated || all_under == 0) return false;
  const double council_share = static_cast<double>(all_under) / static_cast<double>(all);
  bool any = false;
  for (std::size_t s = 0; s < n_sources; ++s) {
    if (ages.learnt[s] || joined[s] < SourceAges::kMinDated) continue;
    const double share = static_cast<double>(joined_under[s]) / static_cast<double>(joined[s]);
    if (share * kAdultShareDivisor < council_share) ages.adult[s] = any = true;
  }
  return any;
}

}  // namespace earlyhelp::linkage
