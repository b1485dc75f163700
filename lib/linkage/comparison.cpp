// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/comparison.hpp"

#include "earlyhelp/linkage/dates.hpp"
#include "earlyhelp/linkage/similarity.hpp"

#include <algorithm>
#include <cstdlib>

namespace earlyhelp::linkage {

namespace {

const std::vector<std::string> kLevelNames[n_fields] = {
    // first name: "jaro_winkler_0.92" also takes one swap of adjacent letters (see first_level)
    {"exact", "nickname", "jaro_winkler_0.92", "jaro_winkler_0.80", "initial", "different"},
    {"exact", "phonetic_or_part", "jaro_winkler_0.92", "jaro_winkler_0.80", "different"},
    {"exact", "day_month_transposed", "one_digit_off", "partial_agrees", "same_year", "different"},
    {"same", "different"},
    {"exact", "numbers_agree", "numbers_unknown", "flat_differs", "house_differs", "different"},
    {"unit", "sector", "district_or_one_off", "different"},
    {"exact", "jaro_winkler_0.90", "different"},
    {"same", "different"},
    {"exact", "one_edit", "different"},
};

// Whether two first names share a canonical form: "Ed" (Edmund, Edward or Edwin) and "Edward".
bool same_canonical(const NameInfo& a, const NameInfo& b) noexcept {
  if (a.canonical == b.canonical) return true;
  const auto in_b = [&](std::uint32_t c) {
    return c != 0 && (c == b.canonical || std::find(b.more_canonical.begin(), b.more_canonical.end(), c) != b.more_canonical.end());
  };
  return std::any_of(a.more_canonical.begin(), a.more_canonical.end(), in_b) || in_b(a.canonical);
}

// Whether `a` becomes `b` by swapping two adjacent letters ("Hoa" for "Hao"): a keying slip that
// Jaro-Winkler cannot see in a three-letter name (its matching window is then zero).
bool one_transposition(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size() || a.size() < 2) return false;
  std::size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] && a.substr(i + 2) == b.substr(i + 2);
}

std::uint8_t first_level(const PreparedRecords& r, std::uint32_t fa, std::uint32_t fb) {
  if (fa == 0 || fb == 0) return null_level;
  if (fa == fb) return 0;
  const NameInfo& ia = r.first_info[fa];
  const NameInfo& ib = r.first_info[fb];
  if (ia.is_initial || ib.is_initial) return ia.initial == ib.initial ? 4 : 5;
  if (same_canonical(ia, ib)) return 1;
  const double jw = jaro_winkler_similarity(r.first.values[fa], r.first.values[fb]);
  if (jw >= 0.92 || one_transposition(r.first.values[fa], r.first.values[fb])) return 2;
  if (jw >= 0.80) return 3;
  return 5;
}

std::uint8_t surname_level(const PreparedRecords& r, std::uint32_t sa, std::uint32_t sb) {
  if (sa == 0 || sb == 0) return null_level;
  if (sa == sb) return 0;
  const NameInfo& ia = r.surname_info[sa];
  const NameInfo& ib = r.surname_info[sb];
  const std::string& a = r.surname.values[sa];
  const std::string& b = r.surname.values[sb];
  if (ia.canonical == ib.canonical) return 0;  // "smith-jones" vs "smith jones"
  const double jw = jaro_winkler_similarity(a, b);
  if (jw >= 0.92) return 2;
  if (ia.phonetic == ib.phonetic && a.size() > 2 && b.size() > 2) return 1;
  // One part of a double-barrelled surname equals the other surname ("smith-jones" vs "jones").
  auto has_part = [](const std::string& whole, const std::string& part) {
    if (part.size() < 3 || whole.size() <= part.size()) return false;
    std::size_t pos = whole.find(part);
    while (pos != std::string::npos) {
      const bool left = pos == 0 || whole[pos - 1] == ' ' || whole[pos - 1] == '-';
      const std::size_t end = pos + part.size();
      const bool right = end == whole.size() || whole[end] == ' ' || whole[end] == '-';
      if (left && right) return true;
      pos = whole.find(part, pos + 1);
    }
    return false;
  };
  if (has_part(a, b) || has_part(b, a)) return 1;
  if (jw >= 0.80) return 3;
  return 4;
}

// Whether a date of birth (yyyymmdd, 00 for unknown parts) is surely after `latest` (0: no bound).
bool born_after(std::int32_t dob, std::int32_t latest) noexcept {
  if (latest == 0) return false;
  if (dob % 10000 == 0) return dob / 10000 > latest / 10000;  // year only
  if (dob % 100 == 0) return dob / 100 > latest / 100;        // year and month
  return dob > latest;
}

std::uint8_t dob_level(std::int32_t a, std::int32_t b) {
  if (a == 0 || b == 0) return null_level;
  const PartialDate pa{a / 10000, (a / 100) % 100, a % 100};
  const PartialDate pb{b / 10000, (b / 100) % 100, b % 100};
  switch (compare_dates(pa, pb)) {
    case DateLevel::exact: return 0;
    case DateLevel::day_month_transposed: return 1;
    case DateLevel::one_digit_off: return 2;
    case DateLevel::year_only: return 3;
    case DateLevel::same_year: return 4;
    case DateLevel::different: return 5;
    case DateLevel::missing: return null_level;
  }
  return null_level;
}

double token_jaccard(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b) {
  if (a.empty() || b.empty()) return 0.0;
  std::size_t i = 0, j = 0, common = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] == b[j]) ++common, ++i, ++j;
    else if (a[i] < b[j]) ++i;
    else ++j;
  }
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

std::uint8_t address_level(const PreparedRecords& r, std::uint32_t aa, std::uint32_t ab) {
  if (aa == 0 || ab == 0) return null_level;
  if (aa == ab) return 0;
  const AddressInfo& x = r.address_info[aa];
  const AddressInfo& y = r.address_info[ab];
  if (token_jaccard(x.tokens, y.tokens) < 0.5) {
    // Typos split or join words ("thomso n street"): with the same house number, fall back to
    // the whole strings.
    if (x.house == 0 || x.house != y.house ||
        jaro_winkler_similarity(r.address.values[aa], r.address.values[ab]) < 0.90)
      return 5;
  }
  if (x.house && y.house && x.house != y.house) return 4;
  if (x.flat && y.flat && x.flat != y.flat) return 3;
  if (!x.house || !y.house || (x.flat == 0) != (y.flat == 0)) return 2;
  return 1;
}

std::uint8_t postcode_level(const PreparedRecords& r, std::uint32_t pa, std::uint32_t pb) {
  if (pa == 0 || pb == 0) return null_level;
  if (pa == pb) return 0;
  const PostcodeInfo& x = r.postcode_info[pa];
  const PostcodeInfo& y = r.postcode_info[pb];
  if (x.sector != 0 && y.sector != 0) {
    if (x.sector == y.sector) return 1;
    if (x.district == y.district) return 2;
    return 3;
  }
  const std::string& a = r.postcode.values[pa];
  const std::string& b = r.postcode.values[pb];
  if (a.size() != b.size() || a.size() < 3) return 3;
  // One substitution or one adjacent transposition.
  std::size_t first = a.size(), n_diff = 0;
  for (std::size_t i = 0; i < a.size() && n_diff <= 2; ++i)
    if (a[i] != b[i]) first = std::min(first, i), ++n_diff;
  if (n_diff == 1) return 2;
  if (n_diff == 2 && first + 1 < a.size() && a[first] == b[first + 1] && a[first + 1] == b[first]) return 2;
  return 3;
}

std::uint8_t town_level(const PreparedRecords& r, std::uint32_t ta, std::uint32_t tb) {
  if (ta == 0 || tb == 0) return null_level;
  if (ta == tb) return 0;
  return jaro_winkler_similarity(r.town.values[ta], r.town.values[tb]) >= 0.90 ? 1 : 2;
}

std::uint8_t identifier_level(const PreparedRecords& r, std::uint32_t ia, std::uint32_t ib) {
  if (ia == 0 || ib == 0) return null_level;
  if (ia == ib) return 0;
  const std::string& a = r.identifier.values[ia];
  const std::string& b = r.identifier.values[ib];
  if (a.size() == b.size()) {
    // Equal lengths: one edit is one substitution or one adjacent transposition.
    std::size_t first = a.size(), n_diff = 0;
    for (std::size_t i = 0; i < a.size() && n_diff <= 2; ++i)
      if (a[i] != b[i]) first = std::min(first, i), ++n_diff;
    if (a.size() < 4) return 2;
    if (n_diff == 1) return 1;
    if (n_diff == 2 && first + 1 < a.size() && a[first] == b[first + 1] && a[first + 1] == b[first]) return 1;
    return 2;
  }
  if (a.size() >= 4 && std::max(a.size(), b.size()) - std::min(a.size(), b.size()) <= 1 &&
      osa_distance(a, b) <= 1)
    return 1;
  return 2;
}

}  // namespace

std::size_t n_levels(Field f) noexcept { return kLevelNames[static_cast<std::size_t>(f)].size(); }

const std::vector<std::string>& level_names(Field f) { return kLevelNames[static_cast<std::size_t>(f)]; }

std::uint64_t pack(const ComparisonVector& v) noexcept {
  std::uint64_t p = 0;
  for (std::size_t f = 0; f < n_fields; ++f) p |= std::uint64_t{v[f]} << (4 * f);
  return p;
}

ComparisonVector unpack(std::uint64_t p) noexcept {
  ComparisonVector v{};
  for (std::size_t f = 0; f < n_fields; ++f) v[f] = static_cast<std::uint8_t>((p >> (4 * f)) & 15u);
  return v;
}

ComparisonVector compare_identities(const PreparedRecords& r, std::uint32_t a, std::uint32_t b) {
  ComparisonVector v{};
  const std::uint32_t fa = r.first_id[a], fb = r.first_id[b];
  const std::uint32_t sa = r.surname_id[a], sb = r.surname_id[b];
  v[0] = first_level(r, fa, fb);
  v[1] = surname_level(r, sa, sb);
  // Swapped first name and surname on one side: compare crosswise when that agrees better
  // (allowing a typo on either name; the initials must agree crosswise, a cheap pre-check).
  if (v[0] >= 2 && v[0] != null_level && v[1] >= 2 && v[1] != null_level) {
    const std::string& f1 = r.first.values[fa];
    const std::string& s1 = r.surname.values[sa];
    const std::string& f2 = r.first.values[fb];
    const std::string& s2 = r.surname.values[sb];
    if (f1[0] == s2[0] && s1[0] == f2[0]) {
      auto level = [](const std::string& x, const std::string& y) -> std::uint8_t {
        if (x == y) return 0;
        const double jw = jaro_winkler_similarity(x, y);
        return jw >= 0.92 ? 2 : (jw >= 0.80 ? 3 : 5);
      };
      const std::uint8_t cf = level(f1, s2), cs = level(s1, f2);
      if (cf <= 2 && cs <= 2) {
        v[0] = cf;
        v[1] = cs == 0 ? 0 : 2;
      }
    }
  }
  v[2] = dob_level(r.dob[a], r.dob[b]);
  // No date of birth on one side, but its records come from a system for adults only: the other
  // side's birth date cannot be later than they allow (a parent's council tax is not the child's).
  if (v[2] == null_level) {
    const std::int32_t da = r.dob[a], db = r.dob[b];
    if ((da == 0 && db != 0 && born_after(db, r.born_by[a])) || (db == 0 && da != 0 && born_after(da, r.born_by[b])))
      v[2] = 5;
  }
  v[3] = (r.sex[a] == 0 || r.sex[b] == 0) ? null_level : (r.sex[a] == r.sex[b] ? 0 : 1);
  v[4] = address_level(r, r.address_id[a], r.address_id[b]);
  v[5] = postcode_level(r, r.postcode_id[a], r.postcode_id[b]);
  v[6] = town_level(r, r.town_id[a], r.town_id[b]);
  const std::uint32_t ua = r.uprn_id[a], ub = r.uprn_id[b];
  v[7] = (ua == 0 || ub == 0) ? null_level : (ua == ub ? 0 : 1);
  v[8] = identifier_level(r, r.identifier_id[a], r.identifier_id[b]);
  return v;
}

bool look_alike(const ComparisonVector& v) noexcept {
  const std::uint8_t fn = v[static_cast<std::size_t>(Field::first_name)];
  const std::uint8_t sn = v[static_cast<std::size_t>(Field::surname)];
  const std::uint8_t ad = v[static_cast<std::size_t>(Field::address)];
  const std::uint8_t pc = v[static_cast<std::size_t>(Field::postcode)];
  const std::uint8_t up = v[static_cast<std::size_t>(Field::uprn)];
  const bool same_surname = sn <= 2;
  const bool same_home = up == 0 || ad <= 2 || (ad == null_level && pc == 0);
  // Same first name (a namesake, or a mother and daughter with different surnames), or one
  // family at one home.
  return fn <= 2 || (same_surname && same_home);
}

bool is_conflict_level(Field f, std::uint8_t level) noexcept {
  if (f == Field::first_name) return level == 5 || level == 3;
  if (f == Field::dob) return level == 5;
  if (f == Field::identifier) return level == 2;
  return false;
}

}  // namespace earlyhelp::linkage
