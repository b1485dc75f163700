// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/cluster.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/fnv1a.hpp"
#include "earlyhelp/linkage/dates.hpp"
#include "earlyhelp/linkage/source_ages.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

namespace earlyhelp::linkage {

void ConstrainedUnionFind::resize(std::size_t n) {
  const std::size_t old = parent_.size();
  parent_.resize(n);
  rank_.resize(n, 0);
  cannot_.resize(n);
  compacted_.resize(n, 0);
  seen_.resize(n, 0);
  dobs_.resize(n);
  earliest_.resize(n, BirthWindow::kOpen);
  latest_.resize(n, INT32_MAX);
  persons_.resize(n);
  names_.resize(n);
  stays_.resize(n);
  closed_.resize(n, 0);
  for (std::size_t i = old; i < n; ++i) parent_[i] = static_cast<std::uint32_t>(i);
}

std::uint32_t ConstrainedUnionFind::find(std::uint32_t x) noexcept {
  while (parent_[x] != x) {
    parent_[x] = parent_[parent_[x]];
    x = parent_[x];
  }
  return x;
}

void ConstrainedUnionFind::cannot_link(std::uint32_t a, std::uint32_t b) {
  cannot_[find(a)].push_back(b);
  cannot_[find(b)].push_back(a);
}

bool could_be_one_dob(std::int32_t a, std::int32_t b) noexcept {
  if (a == 0 || b == 0 || a == b) return true;
  const PartialDate pa{a / 10000, a / 100 % 100, a % 100}, pb{b / 10000, b / 100 % 100, b % 100};
  return compare_dates(pa, pb) != DateLevel::different;
}

namespace {

// Adds `seen` (a date of birth or first name with the sources that recorded it) to a group's
// list: its sources join those of the same value already there, or it is appended while the
// list is shorter than `max` (a group holds a few values at most: typos).
template <class Seen, class Value>
void add_seen(std::vector<Seen>& list, const Seen& seen, Value value, std::size_t max) {
  const auto it = std::find_if(list.begin(), list.end(), [&](const Seen& s) { return value(s) == value(seen); });
  if (it != list.end()) it->sources |= seen.sources;
  else if (list.size() < max) list.push_back(seen);
}

// A group's dates of birth and first names: a few distinct ones at most (typos), so short lists.
constexpr std::size_t kSeenMax = 8;

}  // namespace

void ConstrainedUnionFind::set_dob(std::uint32_t x, std::int32_t dob, std::uint32_t sources) {
  if (dob != 0) add_seen(dobs_[find(x)], DobSeen{dob, sources}, [](const DobSeen& s) { return s.dob; }, SIZE_MAX);
}

void ConstrainedUnionFind::set_birth_window(std::uint32_t x, std::int32_t earliest, std::int32_t latest) {
  const std::uint32_t root = find(x);
  earliest_[root] = std::max(earliest_[root], earliest);
  latest_[root] = std::min(latest_[root], latest);
}

namespace {

// Whether some date of birth of `dobs` may fall inside the window (true when there is none).
template <class Dobs>
bool some_dob_within(const Dobs& dobs, std::int32_t earliest, std::int32_t latest) {
  if (dobs.empty() || (earliest == BirthWindow::kOpen && latest == INT32_MAX)) return true;
  return std::any_of(dobs.begin(), dobs.end(), [&](const auto& seen) {
    const auto [lo, hi] = dob_days(seen.dob);
    return lo <= latest && hi >= earliest;
  });
}

// Whether two groups' birth windows (and dates of birth) exclude each other: the windows do not
// meet, or a group's dates of birth all fall outside the other's window.
template <class Dobs>
bool windows_apart(const Dobs& dobs_a, std::int32_t earliest_a, std::int32_t latest_a, const Dobs& dobs_b,
                   std::int32_t earliest_b, std::int32_t latest_b) {
  return std::max(earliest_a, earliest_b) > std::min(latest_a, latest_b) ||
         !some_dob_within(dobs_a, earliest_b, latest_b) || !some_dob_within(dobs_b, earliest_a, latest_a);
}

// A first name or date of birth that at least two sources recorded (bit mask).
constexpr bool two_sources(std::uint32_t sources) noexcept { return (sources & (sources - 1)) != 0; }

// A full date of birth that at least two sources recorded.
template <class Seen>
bool confirmed(const Seen& s) noexcept {
  return s.dob % 100 != 0 && (s.dob / 100) % 100 != 0 && two_sources(s.sources);
}

// Whether two groups' dates of birth are each confirmed by two sources and none of one group's
// is the other's (or it with day and month swapped).
template <class Dobs>
bool confirmed_apart(const Dobs& a, const Dobs& b) {
  if (a.empty() || b.empty() || std::none_of(a.begin(), a.end(), confirmed<typename Dobs::value_type>) ||
      std::none_of(b.begin(), b.end(), confirmed<typename Dobs::value_type>))
    return false;
  for (const auto& x : a)
    for (const auto& y : b) {
      if (x.dob == y.dob) return false;
      const PartialDate px{x.dob / 10000, x.dob / 100 % 100, x.dob % 100}, py{y.dob / 10000, y.dob / 100 % 100, y.dob % 100};
      if (compare_dates(px, py) == DateLevel::day_month_transposed) return false;
    }
  return true;
}

}  // namespace

void ConstrainedUnionFind::set_name(std::uint32_t x, std::uint32_t name, std::uint32_t sources) {
  if (name != 0) add_seen(names_[find(x)], NameSeen{name, sources, x}, [](const NameSeen& s) { return s.name; }, SIZE_MAX);
}

namespace {

// Whether two groups go by first names that are only other forms of one another's (no first name
// of one is one of the other's, and every pair is another form of one name and nothing closer:
// Mia and Amelia, Jack and John), whatever the sources.
template <class Names, class AliasOnly>
bool names_only_forms(const Names& a, const Names& b, const AliasOnly& alias_only) {
  if (a.empty() || b.empty()) return false;
  for (const auto& x : a)
    for (const auto& y : b)
      if (x.name == y.name) return false;
  for (const auto& x : a)
    for (const auto& y : b)
      if (!alias_only(x.identity, y.identity)) return false;
  return true;
}

// Whether two groups each go by a first name two sources confirm and every first name of one is
// only another form of every first name of the other.
template <class Names, class AliasOnly>
bool names_apart(const Names& a, const Names& b, const AliasOnly& alias_only) {
  const auto confirmed = [](const auto& s) { return two_sources(s.sources); };
  if (std::none_of(a.begin(), a.end(), confirmed) || std::none_of(b.begin(), b.end(), confirmed)) return false;
  return names_only_forms(a, b, alias_only);
}

}  // namespace

namespace {

// A group holds a few places at most (moves, typos); beyond that its stays are not kept.
constexpr std::size_t kStaysMax = 16;

// Adds a stay to a group's list: the span of a place already there grows, or it is appended.
template <class Stays, class Stay>
void add_stay(Stays& list, const Stay& s) {
  const auto it = std::find_if(list.begin(), list.end(), [&](const Stay& x) { return x.place == s.place; });
  if (it != list.end()) {
    it->first = std::min(it->first, s.first);
    it->last = std::max(it->last, s.last);
  } else if (list.size() < kStaysMax) {
    list.push_back(s);
  }
}

// Whether one group was recorded at a place on a date while the other was recorded at another
// place (not `one_place` with it) more than `margin` days both before and after that date, and
// the two were never recorded at one place: a person who moved is often still recorded at the old
// address by a system that has not heard (and a register dates its current address by the day the
// person registered), so groups that share a place are left to the other rules.
template <class Stays, class OnePlace>
bool elsewhere_meanwhile(const Stays& a, const Stays& b, const OnePlace& one_place, std::int32_t margin) {
  const auto inside = [margin](std::int32_t day, const auto& s) { return s.first + margin < day && day < s.last - margin; };
  bool meanwhile = false;
  for (const auto& x : a)
    for (const auto& y : b) {
      if (x.place == y.place || one_place(x.place, y.place)) return false;
      meanwhile = meanwhile || inside(x.first, y) || inside(x.last, y) || inside(y.first, x) || inside(y.last, x);
    }
  return meanwhile;
}

}  // namespace

void ConstrainedUnionFind::set_stay(std::uint32_t x, std::uint32_t place, std::int32_t first_day, std::int32_t last_day) {
  if (place != 0 && first_day <= last_day) add_stay(stays_[find(x)], Stay{place, first_day, last_day});
}

void ConstrainedUnionFind::set_person(std::uint32_t x, std::uint32_t evidence) {
  auto& p = persons_[find(x)];
  if (std::none_of(p.begin(), p.end(), [&](const auto& e) { return e.first == evidence; })) p.emplace_back(evidence, x);
}

bool ConstrainedUnionFind::conflicts(std::uint32_t a, std::uint32_t b, bool dob_guard, const PersonGuard* guard) {
  std::uint32_t ra = find(a), rb = find(b);
  if (ra == rb) return false;
  if (guard != nullptr)
    for (const auto& [ea, x] : persons_[ra])
      for (const auto& [eb, y] : persons_[rb])
        if (ea != eb && (*guard)(x, y)) return true;
  if (guard != nullptr && guard->alias_only && names_apart(names_[ra], names_[rb], guard->alias_only)) return true;
  // One place at a time: for a group without a date of birth, and for two dated groups whose
  // first names are only other forms of one name (a Jack Smith and a John Smith born on one day:
  // the date cannot tell them apart, the names do not join them).
  if (guard != nullptr && guard->one_place) {
    const bool undated = dobs_[ra].empty() || dobs_[rb].empty();
    // Names first: two dated groups mostly share a first name, which ends it.
    if ((undated || (guard->alias_only && names_only_forms(names_[ra], names_[rb], guard->alias_only))) &&
        elsewhere_meanwhile(stays_[ra], stays_[rb], guard->one_place, kStayMarginDays))
      return true;
  }
  if (windows_apart(dobs_[ra], earliest_[ra], latest_[ra], dobs_[rb], earliest_[rb], latest_[rb])) return true;
  if (confirmed_apart(dobs_[ra], dobs_[rb])) return true;
  if (dob_guard && !dobs_[ra].empty() && !dobs_[rb].empty()) {
    const auto& other = dobs_[rb];
    const bool one_person = std::any_of(dobs_[ra].begin(), dobs_[ra].end(), [&](const DobSeen& x) {
      return std::any_of(other.begin(), other.end(), [&](const DobSeen& y) { return could_be_one_dob(x.dob, y.dob); });
    });
    if (!one_person) return true;
  }
  if (cannot_[ra].size() > cannot_[rb].size()) std::swap(ra, rb);
  for (std::size_t i = 0; i < cannot_[ra].size(); ++i)
    if (find(cannot_[ra][i]) == rb) return true;
  return false;
}

void ConstrainedUnionFind::join_windows(std::int32_t& earliest, std::int32_t& latest, std::vector<DobSeen>& dobs,
                                        std::int32_t from_earliest, std::int32_t from_latest,
                                        std::vector<DobSeen>& from_dobs) {
  earliest = std::max(earliest, from_earliest);
  latest = std::min(latest, from_latest);
  for (const DobSeen& d : from_dobs) add_seen(dobs, d, [](const DobSeen& s) { return s.dob; }, kSeenMax);
  std::vector<DobSeen>().swap(from_dobs);
}

bool ConstrainedUnionFind::narrow_birth_windows(const std::vector<Edge>& edges, const std::vector<std::uint8_t>& joined,
                                                const std::vector<BirthWindow>& before, const std::vector<BirthWindow>& now,
                                                const std::vector<std::int32_t>& dob_of) {
  const std::size_t n = parent_.size();
  EH_CHECK(joined.size() == edges.size(), "narrow_birth_windows: {} edges but {} join flags", edges.size(), joined.size());
  EH_CHECK(before.size() == n && now.size() == n && dob_of.size() == n,
           "narrow_birth_windows: {} elements, but {} windows before, {} now and {} dates of birth", n, before.size(),
           now.size(), dob_of.size());
  for (std::size_t x = 0; x < n; ++x)
    if (now[x].earliest < before[x].earliest || now[x].latest > before[x].latest) return false;
  // The joins again, in their order, holding per group only what the window checks read (its
  // window and its dates of birth, kept as unite keeps them) and joining as unite joins (by rank),
  // so each group has the root it has here.
  struct Group {
    std::uint32_t parent, rank = 0;
    std::int32_t earliest, latest;
    std::vector<DobSeen> dobs;
  };
  std::vector<Group> g(n);
  for (std::size_t x = 0; x < n; ++x) {
    g[x].parent = static_cast<std::uint32_t>(x);
    g[x].earliest = now[x].earliest;
    g[x].latest = now[x].latest;
    if (dob_of[x] != 0) g[x].dobs.push_back(DobSeen{dob_of[x], 0});
  }
  const auto root_of = [&g](std::uint32_t x) {
    while (g[x].parent != x) x = g[x].parent = g[g[x].parent].parent;
    return x;
  };
  for (std::size_t i = 0; i < edges.size(); ++i) {
    if (joined[i] == 0) continue;  // refused before: the same or a narrower window refuses it again
    std::uint32_t ra = root_of(edges[i].a), rb = root_of(edges[i].b);
    if (ra == rb) continue;
    if (windows_apart(g[ra].dobs, g[ra].earliest, g[ra].latest, g[rb].dobs, g[rb].earliest, g[rb].latest)) return false;
    if (g[ra].rank < g[rb].rank) std::swap(ra, rb);
    g[rb].parent = ra;
    if (g[ra].rank == g[rb].rank) ++g[ra].rank;
    join_windows(g[ra].earliest, g[ra].latest, g[ra].dobs, g[rb].earliest, g[rb].latest, g[rb].dobs);
  }
  for (std::size_t x = 0; x < n; ++x)  // the same joins: the same roots (else something else changed)
    if (root_of(static_cast<std::uint32_t>(x)) != find(static_cast<std::uint32_t>(x))) return false;
  for (std::size_t x = 0; x < n; ++x)  // only a group's root's window is read
    if (parent_[x] == x) {
      earliest_[x] = g[x].earliest;
      latest_[x] = g[x].latest;
    }
  return true;
}

bool ConstrainedUnionFind::unite(std::uint32_t a, std::uint32_t b, bool dob_guard, const PersonGuard* guard) {
  std::uint32_t ra = find(a), rb = find(b);
  if (ra == rb) return true;
  if (conflicts(ra, rb, dob_guard, guard)) return false;
  if (rank_[ra] < rank_[rb]) std::swap(ra, rb);
  parent_[rb] = ra;
  if (rank_[ra] == rank_[rb]) ++rank_[ra];
  closed_[ra] = static_cast<std::uint8_t>(closed_[ra] | closed_[rb]);
  join_windows(earliest_[ra], latest_[ra], dobs_[ra], earliest_[rb], latest_[rb], dobs_[rb]);
  auto& into = cannot_[ra];
  auto& from = cannot_[rb];
  into.insert(into.end(), from.begin(), from.end());
  std::vector<std::uint32_t>().swap(from);
  for (const auto& entry : persons_[rb]) {  // not a structured binding: clang 14 cannot capture one
    const std::uint32_t e = entry.first;
    if (std::none_of(persons_[ra].begin(), persons_[ra].end(), [&](const auto& p) { return p.first == e; }))
      persons_[ra].push_back(entry);
  }
  std::vector<std::pair<std::uint32_t, std::uint32_t>>().swap(persons_[rb]);
  for (const NameSeen& n : names_[rb]) add_seen(names_[ra], n, [](const NameSeen& s) { return s.name; }, kSeenMax);
  std::vector<NameSeen>().swap(names_[rb]);
  for (const Stay& st : stays_[rb]) add_stay(stays_[ra], st);
  std::vector<Stay>().swap(stays_[rb]);
  // Compact now and then so lists of merged groups do not grow without bound: when the list has
  // doubled since it was last compacted, not at every join (a large group's list was sorted again
  // at each join it took part in), each root kept once in first-seen order. Entries are identities
  // whose root is looked up when read, in any order, so when and how the list is compacted never
  // changes which joins are conflicts.
  if (into.size() > 64 && into.size() > 2 * static_cast<std::size_t>(compacted_[ra])) {
    if (++seen_epoch_ == 0) {  // wrapped: no stale mark may look current
      std::fill(seen_.begin(), seen_.end(), 0);
      seen_epoch_ = 1;
    }
    std::size_t kept = 0;
    for (const std::uint32_t x : into) {
      const std::uint32_t root = find(x);
      if (seen_[root] == seen_epoch_) continue;
      seen_[root] = seen_epoch_;
      into[kept++] = root;
    }
    into.resize(kept);
    compacted_[ra] = static_cast<std::uint32_t>(kept);
  }
  return true;
}

void cluster_edges(std::vector<Edge>& edges, ConstrainedUnionFind& uf, bool keep_closed_apart,
                   const std::vector<std::int32_t>* dob_of, const PersonGuard* guard, std::vector<std::uint8_t>* joined) {
  std::sort(edges.begin(), edges.end(), [](const Edge& x, const Edge& y) {
    if (x.weight != y.weight) return x.weight > y.weight;
    if (x.a != y.a) return x.a < y.a;
    return x.b < y.b;
  });
  if (joined != nullptr) joined->assign(edges.size(), 0);
  for (std::size_t i = 0; i < edges.size(); ++i) {
    const Edge& e = edges[i];
    if (keep_closed_apart && uf.find(e.a) != uf.find(e.b) && uf.closed(e.a) && uf.closed(e.b)) continue;
    const bool scored_on_dob = dob_of != nullptr && (*dob_of)[e.a] != 0 && (*dob_of)[e.b] != 0;
    const bool one = uf.unite(e.a, e.b, !scored_on_dob, guard);
    if (joined != nullptr) (*joined)[i] = one ? 1 : 0;
  }
}

std::string stable_id(char prefix, std::string_view key) {
  return fmt::format("{}{:016x}", prefix, fnv1a64(key));
}

}  // namespace earlyhelp::linkage
