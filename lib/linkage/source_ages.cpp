// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/source_ages.hpp"

#include "earlyhelp/linkage/dates.hpp"

#include <algorithm>
#include <utility>

namespace earlyhelp::linkage {

std::pair<std::int32_t, std::int32_t> dob_days(std::int32_t d) noexcept {
  if (d <= 0) return {0, -1};
  const std::int32_t year = d / 10000, month = (d / 100) % 100, day = d % 100;
  if (month == 0) return {day_number(year * 10000 + 101), day_number(year * 10000 + 1231)};
  if (day == 0) {
    const std::int32_t next = month == 12 ? (year + 1) * 10000 + 101 : year * 10000 + (month + 1) * 100 + 1;
    return {day_number(year * 10000 + month * 100 + 1), day_number(next) - 1};
  }
  const std::int32_t n = day_number(d);
  return {n, n};
}

namespace {

// Ages (days) per source of the dated records with a full date of birth in `dob_of(rec)`.
template <class DobOf>
std::vector<std::vector<std::int32_t>> ages_by_source(const PreparedRecords& r, DobOf dob_of) {
  std::vector<std::vector<std::int32_t>> ages(r.sources.values.size());
  for (std::size_t rec = 0; rec < r.record_ids.size(); ++rec) {
    const std::int32_t day = r.record_day[rec];
    const std::int32_t dob = dob_of(rec);
    if (!PreparedRecords::is_dated(day) || dob % 100 == 0 || (dob / 100) % 100 == 0) continue;
    ages[r.record_source[rec]].push_back(day - day_number(dob));
  }
  return ages;
}

// The range between the `per_cent` and 100 - `per_cent` percentiles, widened by the margin.
void learn(std::vector<std::int32_t>& a, std::size_t per_cent, SourceAges& out, std::size_t s) {
  const std::size_t lo = a.size() * per_cent / 100, hi = a.size() - 1 - a.size() * per_cent / 100;
  std::nth_element(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(lo), a.end());
  out.youngest[s] = a[lo] - SourceAges::kMarginDays;
  std::nth_element(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(hi), a.end());
  out.oldest[s] = a[hi] + SourceAges::kMarginDays;
  out.learnt[s] = true;
}

}  // namespace

SourceAges learn_source_ages(const PreparedRecords& r) {
  auto ages = ages_by_source(r, [&](std::size_t rec) { return r.dob[r.identity_of[rec]]; });
  const std::size_t n_sources = ages.size();
  SourceAges out;
  out.youngest.assign(n_sources, 0);
  out.oldest.assign(n_sources, 0);
  out.learnt.assign(n_sources, false);
  for (std::size_t s = 0; s < n_sources; ++s)
    if (ages[s].size() >= SourceAges::kMinDated) learn(ages[s], 1, out, s);
  return out;
}

std::vector<BirthWindow> birth_windows(const PreparedRecords& r, const SourceAges& ages, std::size_t first_identity) {
  const std::size_t n = r.n_identities();
  std::vector<BirthWindow> out(n);
  std::vector<std::uint8_t> contradicted(n, 0);
  // Identities are numbered in the order of their first records: those from first_identity on
  // have no record before the first one's.
  const std::size_t first_rec = first_identity < n ? r.first_record[first_identity] : r.record_ids.size();
  for (std::size_t rec = first_rec; rec < r.record_ids.size(); ++rec) {
    const std::uint32_t x = r.identity_of[rec];
    const std::int32_t day = r.record_day[rec];
    if (x < first_identity || r.dob[x] != 0 || !PreparedRecords::is_dated(day)) continue;
    const std::uint32_t s = r.record_source[rec];
    BirthWindow w;
    // Nobody is recorded long before they are born (a year allows for an unborn child's case).
    w.latest = day - std::max(std::int32_t{-SourceAges::kMarginDays}, s < ages.learnt.size() && ages.learnt[s] ? ages.youngest[s] : -SourceAges::kMarginDays);
    if (s < ages.learnt.size() && ages.learnt[s]) w.earliest = day - ages.oldest[s];
    // A source of adults (adult_sources.hpp): born kAdultYears before the record's date at latest.
    else if (s < ages.adult.size() && ages.adult[s])
      w.latest = add_months(Date{day}, -12 * SourceAges::kAdultYears).days;
    BirthWindow& into = out[x];
    into.earliest = std::max(into.earliest, w.earliest);
    into.latest = std::min(into.latest, w.latest);
    if (into.earliest > into.latest) contradicted[x] = 1;
  }
  for (std::size_t x = first_identity; x < n; ++x) {
    if (r.dob[x] != 0 || contradicted[x]) {
      out[x] = BirthWindow();
      continue;
    }
    // A schema stream's subject_min_age: born by that date.
    if (r.born_by[x] != 0) {
      const std::int32_t by = dob_days(r.born_by[x]).second;
      if (by >= out[x].earliest) out[x].latest = std::min(out[x].latest, by);
    }
  }
  return out;
}

}  // namespace earlyhelp::linkage
