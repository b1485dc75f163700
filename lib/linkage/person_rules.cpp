// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/person_rules.hpp"

#include "earlyhelp/linkage/dates.hpp"
#include "earlyhelp/linkage/name_sex.hpp"
#include "earlyhelp/linkage/similarity.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace earlyhelp::linkage {

namespace {

// Whether one name is a short form of the other: a prefix of at least three letters.
bool short_form(std::string_view x, std::string_view y) {
  const std::size_t shorter = std::min(x.size(), y.size());
  return shorter >= 3 && x.substr(0, shorter) == y.substr(0, shorter);
}

// Whether two name words are one name typed twice: equal, a short form (one a prefix of the
// other of at least three letters), or at most two keying errors apart (one error in each record;
// one in all when the shorter has fewer than four letters).
bool close_names(std::string_view x, std::string_view y) {
  if (x == y || short_form(x, y)) return true;
  const std::size_t shorter = std::min(x.size(), y.size());
  const std::size_t longer = std::max(x.size(), y.size());
  const std::size_t allowed = shorter < 4 ? 1 : 2;
  if (longer - shorter > allowed) return false;
  return osa_distance(x, y) <= allowed;
}

// Whether any word of `x` is close to any word of `y` (or the words of either, joined).
bool close_words(std::string_view x, std::string_view y) {
  if (close_names(x, y)) return true;
  auto words = [](std::string_view s) {
    std::vector<std::string_view> out;
    std::string joined;
    std::size_t i = 0;
    while (i < s.size()) {
      while (i < s.size() && (s[i] == ' ' || s[i] == '-')) ++i;
      std::size_t j = i;
      while (j < s.size() && s[j] != ' ' && s[j] != '-') ++j;
      if (j > i) out.push_back(s.substr(i, j - i));
      i = j;
    }
    return out;
  };
  const auto wx = words(x), wy = words(y);
  if (wx.size() < 2 && wy.size() < 2) return false;
  std::string jx, jy;
  for (const auto w : wx) jx += w;
  for (const auto w : wy) jy += w;
  if (close_names(jx, jy)) return true;
  for (const auto a : wx)
    for (const auto b : wy)
      if (close_names(a, b)) return true;
  return false;
}

// Whether the single letter `initial` starts `name` or one of its canonical forms.
bool initial_of(const PreparedRecords& r, char initial, const NameInfo& name) {
  if (name.initial == initial) return true;
  const auto starts = [&](std::uint32_t c) {
    const std::string& form = r.codes.values[c];  // "cf:<name>"
    return c != 0 && form.size() > 3 && form[3] == initial;
  };
  return starts(name.canonical) || std::any_of(name.more_canonical.begin(), name.more_canonical.end(), starts);
}

// Whether two first names may be one person's: equal, an initial, a typo or short form, swapped
// with the surname, or (with `other_forms`) two forms of one name in the name table.
bool names_reconcile(const PreparedRecords& r, std::uint32_t fa, std::uint32_t sa, std::uint32_t fb, std::uint32_t sb,
                     bool other_forms) {
  if (fa == 0 || fb == 0 || fa == fb) return true;
  const NameInfo& ia = r.first_info[fa];
  const NameInfo& ib = r.first_info[fb];
  if (ia.is_initial || ib.is_initial) {
    if (ia.is_initial && ib.is_initial) return ia.initial == ib.initial;
    return ia.is_initial ? initial_of(r, ia.initial, ib) : initial_of(r, ib.initial, ia);
  }
  if (other_forms && ia.shares_canonical(ib)) return true;
  const std::string& a = r.first.values[fa];
  const std::string& b = r.first.values[fb];
  if (close_words(a, b)) return true;
  // First name and surname swapped on one record.
  return (sb != 0 && close_words(a, r.surname.values[sb])) || (sa != 0 && close_words(b, r.surname.values[sa]));
}

// Two full yyyymmdd dates whose digits differ only by two neighbours swapped.
bool neighbours_swapped(std::int32_t a, std::int32_t b) noexcept {
  int first = -1, n = 0;
  std::int32_t x = a, y = b;
  int dx[8], dy[8];
  for (int k = 7; k >= 0; --k, x /= 10, y /= 10) dx[k] = x % 10, dy[k] = y % 10;
  for (int k = 0; k < 8; ++k)
    if (dx[k] != dy[k]) {
      if (first < 0) first = k;
      ++n;
    }
  return n == 2 && first < 7 && dx[first] == dy[first + 1] && dx[first + 1] == dy[first] && dx[first] != dx[first + 1];
}

bool identifiers_agree(const PreparedRecords& r, std::uint32_t a, std::uint32_t b) {
  const std::uint32_t ia = r.identifier_id[a], ib = r.identifier_id[b];
  if (ia == 0 || ib == 0) return false;
  if (ia == ib) return true;
  const std::string& x = r.identifier.values[ia];
  const std::string& y = r.identifier.values[ib];
  return std::min(x.size(), y.size()) >= 4 && osa_distance(x, y) <= 1;
}

enum class Apart { no, rule, twins, sex, name_sex };

Apart why_apart(const PreparedRecords& r, std::uint32_t a, std::uint32_t b) {
  // A male and a female record are two people, whatever else they share (a missing sex says
  // nothing): the evidence that still tells an Oliver from an Olivia born on one day, or two
  // namesakes when a source records no date of birth. A record without a sex takes its first
  // name's, as the extract records that name (name_sex.hpp).
  const char sa = sex_of(r, a), sb = sex_of(r, b);
  if (sa != 0 && sb != 0 && sa != sb) {
    if (identifiers_agree(r, a, b)) return Apart::no;
    return sex_from_name(r, a) || sex_from_name(r, b) ? Apart::name_sex : Apart::sex;
  }
  const std::int32_t da = r.dob[a], db = r.dob[b];
  if (da == 0 || db == 0 || r.first_id[a] == 0 || r.first_id[b] == 0 || r.first_id[a] == r.first_id[b]) return Apart::no;
  const bool twins = da == db && da % 100 != 0 && (da / 100) % 100 != 0;
  if (!twins && !dates_of_birth_disagree(da, db)) return Apart::no;
  // Another form of one name (Bill and William) reconciles the names of twins' records, not a
  // date of birth that disagrees as well: two errors at once on one person's records are rarer
  // than a Mia and an Amelia, or a John and a Jack, of different ages in one family or street.
  if (names_reconcile(r, r.first_id[a], r.surname_id[a], r.first_id[b], r.surname_id[b], /*other_forms=*/twins))
    return Apart::no;
  if (identifiers_agree(r, a, b)) return Apart::no;
  return twins ? Apart::twins : Apart::rule;
}

}  // namespace

bool first_names_agree(const PreparedRecords& r, std::uint32_t fa, std::uint32_t sa, std::uint32_t fb,
                       std::uint32_t sb) {
  return names_reconcile(r, fa, sa, fb, sb, /*other_forms=*/true);
}

bool first_names_short_form(const PreparedRecords& r, std::uint32_t fa, std::uint32_t fb) {
  if (fa == 0 || fb == 0 || fa == fb) return true;
  if (r.first_info[fa].is_initial || r.first_info[fb].is_initial) return false;
  return short_form(r.first.values[fa], r.first.values[fb]);
}

bool first_names_alias_only(const PreparedRecords& r, std::uint32_t a, std::uint32_t b) {
  const std::uint32_t fa = r.first_id[a], fb = r.first_id[b], sa = r.surname_id[a], sb = r.surname_id[b];
  return names_reconcile(r, fa, sa, fb, sb, /*other_forms=*/true) && !names_reconcile(r, fa, sa, fb, sb, /*other_forms=*/false);
}

std::uint32_t first_name_for_rules(const PreparedRecords& r, std::uint32_t x) {
  const std::uint32_t f = r.first_id[x];
  return f != 0 && !r.first_info[f].is_initial ? f : 0;
}

bool dates_of_birth_disagree(std::int32_t a, std::int32_t b) noexcept {
  if (a == 0 || b == 0 || a == b) return false;
  const PartialDate pa{a / 10000, (a / 100) % 100, a % 100}, pb{b / 10000, (b / 100) % 100, b % 100};
  switch (compare_dates(pa, pb)) {
    case DateLevel::exact:
    case DateLevel::day_month_transposed:
    case DateLevel::one_digit_off:
    case DateLevel::year_only:
    case DateLevel::missing: return false;
    case DateLevel::same_year:
    case DateLevel::different: break;
  }
  return !(pa.is_full() && pb.is_full() && neighbours_swapped(a, b));
}

bool never_one_person(const PreparedRecords& r, std::uint32_t a, std::uint32_t b) {
  return why_apart(r, a, b) != Apart::no;
}

const char* never_one_person_reason(const PreparedRecords& r, std::uint32_t a, std::uint32_t b) {
  switch (why_apart(r, a, b)) {
    case Apart::no: return "";
    case Apart::rule: return "first names and dates of birth disagree";
    case Apart::twins: return "twins: one date of birth, different first names";
    case Apart::sex: return "one record male, the other female";
    case Apart::name_sex: return "one male, the other female (a sex read from a first name the records give one sex)";
  }
  return "";
}

std::vector<std::uint32_t> person_evidence_ids(const PreparedRecords& r) {
  std::vector<std::uint32_t> out(r.n_identities(), 0);
  std::unordered_map<std::string, std::uint32_t> seen;
  std::string key;
  for (std::size_t x = 0; x < out.size(); ++x) {
    const char sex = sex_of(r, static_cast<std::uint32_t>(x));
    if ((r.first_id[x] == 0 || r.dob[x] == 0) && sex == 0) continue;
    key.clear();
    for (const std::uint32_t v : {r.first_id[x], r.surname_id[x], static_cast<std::uint32_t>(r.dob[x]), r.identifier_id[x],
                                  static_cast<std::uint32_t>(static_cast<unsigned char>(sex))})
      key.append(reinterpret_cast<const char*>(&v), sizeof v);
    out[x] = seen.emplace(key, static_cast<std::uint32_t>(seen.size() + 1)).first->second;
  }
  return out;
}

std::vector<std::uint32_t> first_name_sources(const PreparedRecords& r) {
  const std::size_t n = r.n_identities();
  std::vector<std::uint32_t> out(r.source_mask.begin(), r.source_mask.begin() + static_cast<std::ptrdiff_t>(n));
  std::unordered_map<std::string, std::uint32_t> at;  // (first, surname, postcode) -> sources
  const auto key = [&](std::size_t x) {
    std::string k(3 * sizeof(std::uint32_t), '\0');
    const std::uint32_t v[3] = {r.first_id[x], r.surname_id[x], r.postcode_id[x]};
    std::memcpy(k.data(), v, sizeof v);
    return k;
  };
  const auto keyed = [&](std::size_t x) { return r.first_id[x] != 0 && r.postcode_id[x] != 0; };
  for (std::size_t x = 0; x < n; ++x)
    if (keyed(x)) at[key(x)] |= r.source_mask[x];
  for (std::size_t x = 0; x < n; ++x)
    if (keyed(x)) out[x] = at[key(x)];
  return out;
}

bool one_postcode(const PreparedRecords& r, std::uint32_t a, std::uint32_t b) {
  if (a == b) return true;
  if (a == 0 || b == 0) return false;
  const std::string& x = r.postcode.values[a];
  const std::string& y = r.postcode.values[b];
  return std::max(x.size(), y.size()) - std::min(x.size(), y.size()) <= 1 && osa_distance(x, y) <= 1;
}

namespace {

std::uint32_t house_of(const PreparedRecords& r, std::uint32_t x) {
  const std::uint32_t a = r.address_id[x];
  return a != 0 && a < r.address_info.size() ? r.address_info[a].house : 0;
}

}  // namespace

bool one_place(const PreparedRecords& r, std::uint32_t place_a, std::uint32_t place_b) {
  if (place_a == place_b) return true;
  if (place_a == 0 || place_b == 0) return false;
  const std::uint32_t x = place_a - 1, y = place_b - 1;
  const std::uint32_t pa = r.postcode_id[x], pb = r.postcode_id[y];  // one_postcode: equal, or one error
  const std::uint32_t ha = house_of(r, x), hb = house_of(r, y);
  return (ha == hb || ha == 0 || hb == 0) && one_postcode(r, pa, pb);
}

std::vector<DaySpan> identity_spans(const PreparedRecords& r, std::size_t first_identity) {
  std::vector<DaySpan> out(r.n_identities());
  {
    // Places: the first identity at each postcode and house number.
    std::unordered_map<std::uint64_t, std::uint32_t> first_at;
    first_at.reserve(r.n_identities());
    for (std::size_t x = 0; x < out.size(); ++x) {
      const std::uint32_t pc = r.postcode_id[x];
      if (pc == 0) continue;
      const auto xi = static_cast<std::uint32_t>(x);
      const std::uint32_t place = first_at.emplace((std::uint64_t{pc} << 32) | house_of(r, xi), xi + 1).first->second;
      if (x >= first_identity) out[x].place = place;
    }
  }
  const std::size_t first_rec = first_identity < out.size() ? r.first_record[first_identity] : r.record_ids.size();
  for (std::size_t rec = first_rec; rec < r.record_ids.size(); ++rec) {
    const std::uint32_t x = r.identity_of[rec];
    const std::int32_t day = r.record_day[rec];
    if (x < first_identity || !PreparedRecords::is_dated(day)) continue;
    out[x].first = std::min(out[x].first, day);
    out[x].last = std::max(out[x].last, day);
  }
  return out;
}

double HouseholdEvidence::odds_ratio() const noexcept {
  const auto h = [](std::uint64_t n) { return static_cast<double>(n) + 0.5; };
  return h(both) * h(neither) / (h(first_only) * h(dob_only));
}

double HouseholdEvidence::odds_ratio_upper() const noexcept {
  const auto r = [](std::uint64_t n) { return 1.0 / (static_cast<double>(n) + 0.5); };
  const double se = std::sqrt(r(both) + r(first_only) + r(dob_only) + r(neither));
  return odds_ratio() * std::exp(kConfidenceZ * se);
}

HouseholdEvidence household_evidence(const PreparedRecords& r, const std::vector<std::uint64_t>& homes) {
  constexpr std::size_t kHomeMax = 64;
  std::vector<std::pair<std::pair<std::uint64_t, std::uint32_t>, std::uint32_t>> at;  // ((home, surname), identity)
  for (std::size_t x = 0; x < r.n_identities(); ++x)
    if (homes[x] != 0 && r.surname_id[x] != 0 && r.first_id[x] != 0 && r.dob[x] != 0)
      at.push_back({{homes[x], r.surname_id[x]}, static_cast<std::uint32_t>(x)});
  std::sort(at.begin(), at.end());
  HouseholdEvidence e;
  for (std::size_t i = 0; i < at.size();) {
    std::size_t j = i;
    while (j < at.size() && at[j].first == at[i].first) ++j;
    if (j - i <= kHomeMax)
      for (std::size_t p = i; p < j; ++p)
        for (std::size_t q = p + 1; q < j; ++q) {
          const std::uint32_t a = at[p].second, b = at[q].second;
          const bool first = !first_names_agree(r, r.first_id[a], r.surname_id[a], r.first_id[b], r.surname_id[b]);
          const bool dob = dates_of_birth_disagree(r.dob[a], r.dob[b]);
          ++(first ? (dob ? e.both : e.first_only) : (dob ? e.dob_only : e.neither));
        }
    i = j;
  }
  return e;
}

}  // namespace earlyhelp::linkage
