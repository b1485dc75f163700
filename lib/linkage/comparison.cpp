// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/comparison.hpp"

#include "earlyhelp/linkage/bloom.hpp"
#include "earlyhelp/linkage/dates.hpp"
#include "earlyhelp/linkage/similarity.hpp"

#include <algorithm>
#include <cstdlib>

namespace earlyhelp::linkage {

namespace {

using levels::Address;
using levels::Dob;
using levels::FirstName;
using levels::Identifier;
using levels::Postcode;
using levels::Sex;
using levels::Surname;
using levels::Town;
using levels::Uprn;

const std::vector<std::string> kLevelNames[n_fields] = {
    // first name: "jaro_winkler_0.92" also takes one swap of adjacent letters and one or two keying
    // errors in a longer name (see first_level)
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
static_assert(FirstName::count == 6 && Surname::count == 5 && Dob::count == 6 && Sex::count == 2 &&
                  Address::count == 6 && Postcode::count == 4 && Town::count == 3 && Uprn::count == 2 &&
                  Identifier::count == 3,
              "kLevelNames lists every named level of each field");

// Whether two first names are a keying error or two apart: one in a name of four letters or more
// ("Kaitlin", "Caitlin"), two in one of six or more ("Nathab", "Nathsan": one error in each
// record), which Jaro-Winkler scores below its close-typo threshold when they fall early.
bool keying_errors_apart(std::string_view a, std::string_view b) {
  const std::size_t shorter = std::min(a.size(), b.size());
  const std::size_t allowed = shorter >= 6 ? 2 : shorter >= 4 ? 1 : 0;
  const std::size_t longer = std::max(a.size(), b.size());
  return allowed > 0 && longer - shorter <= allowed && osa_distance(a, b) <= allowed;
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
  if (fa == fb) return FirstName::exact;
  if (const auto e = encoded_level(Field::first_name, r.first.values[fa], r.first.values[fb])) return *e;
  const NameInfo& ia = r.first_info[fa];
  const NameInfo& ib = r.first_info[fb];
  if (ia.is_initial || ib.is_initial) return ia.initial == ib.initial ? FirstName::initial : FirstName::different;
  if (ia.shares_canonical(ib)) return FirstName::nickname;
  const double jw = jaro_winkler_similarity(r.first.values[fa], r.first.values[fb]);
  if (jw >= 0.92 || one_transposition(r.first.values[fa], r.first.values[fb]) ||
      keying_errors_apart(r.first.values[fa], r.first.values[fb]))
    return FirstName::close_typo;
  if (jw >= 0.80) return FirstName::similar;
  return FirstName::different;
}

std::uint8_t surname_level(const PreparedRecords& r, std::uint32_t sa, std::uint32_t sb) {
  if (sa == 0 || sb == 0) return null_level;
  if (sa == sb) return Surname::exact;
  if (const auto e = encoded_level(Field::surname, r.surname.values[sa], r.surname.values[sb])) return *e;
  const NameInfo& ia = r.surname_info[sa];
  const NameInfo& ib = r.surname_info[sb];
  const std::string& a = r.surname.values[sa];
  const std::string& b = r.surname.values[sb];
  if (ia.canonical == ib.canonical) return Surname::exact;  // "smith-jones" vs "smith jones"
  const double jw = jaro_winkler_similarity(a, b);
  if (jw >= 0.92) return Surname::close_typo;
  if (ia.phonetic == ib.phonetic && a.size() > 2 && b.size() > 2) return Surname::phonetic_or_part;
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
  if (has_part(a, b) || has_part(b, a)) return Surname::phonetic_or_part;
  if (jw >= 0.80) return Surname::similar;
  return Surname::different;
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
    case DateLevel::exact: return Dob::exact;
    case DateLevel::day_month_transposed: return Dob::day_month_transposed;
    case DateLevel::one_digit_off: return Dob::one_digit_off;
    case DateLevel::year_only: return Dob::partial_agrees;
    case DateLevel::same_year: return Dob::same_year;
    case DateLevel::different: return Dob::different;
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
  if (aa == ab) return Address::exact;
  if (const auto e = encoded_level(Field::address, r.address.values[aa], r.address.values[ab])) return *e;
  const AddressInfo& x = r.address_info[aa];
  const AddressInfo& y = r.address_info[ab];
  if (token_jaccard(x.tokens, y.tokens) < 0.5) {
    // Typos split or join words ("thomso n street"): with the same house number, fall back to
    // the whole strings.
    if (x.house == 0 || x.house != y.house ||
        jaro_winkler_similarity(r.address.values[aa], r.address.values[ab]) < 0.90)
      return Address::different;
  }
  if (x.house && y.house && x.house != y.house) return Address::house_differs;
  if (x.flat && y.flat && x.flat != y.flat) return Address::flat_differs;
  if (!x.house || !y.house || (x.flat == 0) != (y.flat == 0)) return Address::numbers_unknown;
  return Address::numbers_agree;
}

std::uint8_t postcode_level(const PreparedRecords& r, std::uint32_t pa, std::uint32_t pb) {
  if (pa == 0 || pb == 0) return null_level;
  if (pa == pb) return Postcode::unit;
  if (const auto e = encoded_level(Field::postcode, r.postcode.values[pa], r.postcode.values[pb])) return *e;
  const PostcodeInfo& x = r.postcode_info[pa];
  const PostcodeInfo& y = r.postcode_info[pb];
  if (x.sector != 0 && y.sector != 0) {
    if (x.sector == y.sector) return Postcode::sector;
    if (x.district == y.district) return Postcode::district_or_one_off;
    return Postcode::different;
  }
  const std::string& a = r.postcode.values[pa];
  const std::string& b = r.postcode.values[pb];
  if (a.size() != b.size() || a.size() < 3) return Postcode::different;
  // One substitution or one adjacent transposition.
  std::size_t first = a.size(), n_diff = 0;
  for (std::size_t i = 0; i < a.size() && n_diff <= 2; ++i)
    if (a[i] != b[i]) first = std::min(first, i), ++n_diff;
  if (n_diff == 1) return Postcode::district_or_one_off;
  if (n_diff == 2 && first + 1 < a.size() && a[first] == b[first + 1] && a[first + 1] == b[first])
    return Postcode::district_or_one_off;
  return Postcode::different;
}

std::uint8_t town_level(const PreparedRecords& r, std::uint32_t ta, std::uint32_t tb) {
  if (ta == 0 || tb == 0) return null_level;
  if (ta == tb) return Town::exact;
  if (const auto e = encoded_level(Field::town, r.town.values[ta], r.town.values[tb])) return *e;
  return jaro_winkler_similarity(r.town.values[ta], r.town.values[tb]) >= 0.90 ? Town::similar : Town::different;
}

std::uint8_t identifier_level(const PreparedRecords& r, std::uint32_t ia, std::uint32_t ib) {
  if (ia == 0 || ib == 0) return null_level;
  if (ia == ib) return Identifier::exact;
  const std::string& a = r.identifier.values[ia];
  const std::string& b = r.identifier.values[ib];
  if (a.size() == b.size()) {
    // Equal lengths: one edit is one substitution or one adjacent transposition.
    std::size_t first = a.size(), n_diff = 0;
    for (std::size_t i = 0; i < a.size() && n_diff <= 2; ++i)
      if (a[i] != b[i]) first = std::min(first, i), ++n_diff;
    if (a.size() < 4) return Identifier::different;
    if (n_diff == 1) return Identifier::one_edit;
    if (n_diff == 2 && first + 1 < a.size() && a[first] == b[first + 1] && a[first + 1] == b[first])
      return Identifier::one_edit;
    return Identifier::different;
  }
  if (a.size() >= 4 && std::max(a.size(), b.size()) - std::min(a.size(), b.size()) <= 1 &&
      osa_distance(a, b) <= 1)
    return Identifier::one_edit;
  return Identifier::different;
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
  const auto at = [&v](Field f) -> std::uint8_t& { return v[static_cast<std::size_t>(f)]; };
  const std::uint32_t fa = r.first_id[a], fb = r.first_id[b];
  const std::uint32_t sa = r.surname_id[a], sb = r.surname_id[b];
  std::uint8_t& first = at(Field::first_name);
  std::uint8_t& surname = at(Field::surname);
  first = first_level(r, fa, fb);
  surname = surname_level(r, sa, sb);
  // Swapped first name and surname on one side: compare crosswise when that agrees better
  // (allowing a typo on either name, or an initial for the first name: TAYLOR O and Olivia
  // Taylor; the initials must agree crosswise, a cheap pre-check). Surnames that agree only by
  // sound (Zaman and Samina) are compared crosswise too.
  if (first >= FirstName::close_typo && first != null_level && surname >= Surname::phonetic_or_part &&
      surname != null_level) {
    const std::string& f1 = r.first.values[fa];
    const std::string& s1 = r.surname.values[sa];
    const std::string& f2 = r.first.values[fb];
    const std::string& s2 = r.surname.values[sb];
    if (f1[0] == s2[0] && s1[0] == f2[0] && !looks_encoded(f1) && !looks_encoded(f2)) {
      // Whether two names are equal or a close typo apart.
      auto close = [](const std::string& x, const std::string& y) {
        return x == y || jaro_winkler_similarity(x, y) >= 0.92 || one_transposition(x, y) || keying_errors_apart(x, y);
      };
      // Whether one of two names is the initial of the other.
      auto initial = [](const std::string& x, const std::string& y) { return (x.size() == 1) != (y.size() == 1); };
      const bool fs = close(f1, s2), sf = close(s1, f2);
      if (fs && sf) {
        first = f1 == s2 ? FirstName::exact : FirstName::close_typo;
        surname = s1 == f2 ? Surname::exact : Surname::close_typo;
      } else if (fs && f1.size() > 1 && initial(s1, f2)) {
        first = FirstName::initial;
        surname = f1 == s2 ? Surname::exact : Surname::close_typo;
      } else if (sf && s1.size() > 1 && initial(f1, s2)) {
        first = FirstName::initial;
        surname = s1 == f2 ? Surname::exact : Surname::close_typo;
      }
    }
  }
  std::uint8_t& dob = at(Field::dob);
  dob = dob_level(r.dob[a], r.dob[b]);
  if (r.encoded_dob_id[a] != 0 || r.encoded_dob_id[b] != 0)  // Bloom-encoded (bloom.hpp)
    dob = encoded_level(Field::dob, r.encoded_dob.values[r.encoded_dob_id[a]], r.encoded_dob.values[r.encoded_dob_id[b]])
              .value_or(null_level);
  // No date of birth on one side, but its records come from a system for adults only: the other
  // side's birth date cannot be later than they allow (a parent's council tax is not the child's).
  if (dob == null_level) {
    const std::int32_t da = r.dob[a], db = r.dob[b];
    if ((da == 0 && db != 0 && born_after(db, r.born_by[a])) || (db == 0 && da != 0 && born_after(da, r.born_by[b])))
      dob = Dob::different;
  }
  at(Field::sex) = (r.sex[a] == 0 || r.sex[b] == 0) ? null_level
                  : r.sex[a] == r.sex[b]             ? std::uint8_t{Sex::same}
                                                     : std::uint8_t{Sex::different};
  at(Field::address) = address_level(r, r.address_id[a], r.address_id[b]);
  at(Field::postcode) = postcode_level(r, r.postcode_id[a], r.postcode_id[b]);
  at(Field::town) = town_level(r, r.town_id[a], r.town_id[b]);
  const std::uint32_t ua = r.uprn_id[a], ub = r.uprn_id[b];
  at(Field::uprn) = (ua == 0 || ub == 0) ? null_level : ua == ub ? std::uint8_t{Uprn::same} : std::uint8_t{Uprn::different};
  at(Field::identifier) = identifier_level(r, r.identifier_id[a], r.identifier_id[b]);
  return v;
}

bool look_alike(const ComparisonVector& v) noexcept {
  const std::uint8_t first = level_of(v, Field::first_name);
  const std::uint8_t surname = level_of(v, Field::surname);
  const std::uint8_t address = level_of(v, Field::address);
  const std::uint8_t uprn = level_of(v, Field::uprn);
  // At most a close typo apart (null sorts last).
  const bool same_first = first <= FirstName::close_typo;
  const bool same_surname = surname <= Surname::close_typo;
  const bool same_home = uprn == Uprn::same || address <= Address::numbers_unknown ||
                         (address == null_level && level_of(v, Field::postcode) == Postcode::unit);
  // Same first name (a namesake, or a mother and daughter with different surnames), or one
  // family at one home.
  return same_first || (same_surname && same_home);
}

bool is_conflict_level(Field f, std::uint8_t level) noexcept {
  if (f == Field::first_name) return level == FirstName::different || level == FirstName::similar;
  if (f == Field::dob) return level == Dob::different;
  if (f == Field::identifier) return level == Identifier::different;
  return false;
}

}  // namespace earlyhelp::linkage
