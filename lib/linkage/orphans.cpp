// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/orphans.hpp"

#include "earlyhelp/linkage/name_sex.hpp"

#include <algorithm>
#include <iterator>
#include <unordered_map>
#include <utility>

namespace earlyhelp::linkage {

std::size_t absorb_orphans(const PreparedRecords& r, const std::vector<std::uint64_t>& home, ConstrainedUnionFind& uf) {
  constexpr std::uint32_t kMaxOrphanIdentities = 3;
  constexpr std::size_t kCandidatesMax = 256;
  constexpr std::size_t kPlaceMax = 256;    // a place with more identities (a hostel) is no evidence
  const std::size_t n = r.n_identities();
  struct Group {
    std::uint32_t identities = 0;
    bool established = false;  // has a date of birth or a person identifier
    char sex = 0;              // 'm', 'f', 0 unknown, '?' both seen
    std::int32_t born_by = 0, latest_dob = 0;
  };
  std::unordered_map<std::uint32_t, Group> groups;
  std::vector<std::uint32_t> root_of(n);
  std::vector<std::pair<std::uint32_t, std::uint64_t>> names;  // (group, full-name key)
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> by_name;  // key -> groups
  for (std::size_t x = 0; x < n; ++x) {
    const std::uint32_t root = uf.find(static_cast<std::uint32_t>(x));
    root_of[x] = root;
    Group& g = groups[root];
    ++g.identities;
    const std::int32_t d = r.dob[x];
    if (d != 0 || r.identifier_id[x] != 0) g.established = true;
    g.latest_dob = std::max(g.latest_dob, d);
    if (r.born_by[x] != 0 && (g.born_by == 0 || r.born_by[x] < g.born_by)) g.born_by = r.born_by[x];
    if (const char sex = sex_of(r, static_cast<std::uint32_t>(x)); sex != 0) g.sex = (g.sex == 0 || g.sex == sex) ? sex : '?';
    const std::uint32_t f = r.first_id[x], s = r.surname_id[x];
    if (f == 0 || s == 0 || r.first_info[f].is_initial) continue;
    const std::uint64_t key = (std::uint64_t{f} << 32) | s;
    names.emplace_back(root, key);
    auto& roots = by_name[key];
    if (roots.size() <= kCandidatesMax && std::find(roots.begin(), roots.end(), root) == roots.end()) roots.push_back(root);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  // Each identity's dated span (its records' first and last dates, registers' "current" rows
  // aside) and each group's identities: a person lives at one address at a time, so a namesake
  // recorded at another address in the middle of the orphan's span is somebody else.
  // Day numbers; kNone for an identity without dated records.
  constexpr std::int32_t kNone = PreparedRecords::kNoDay;
  std::vector<std::int32_t> id_first(n, kNone), id_last(n, kNone);
  std::int32_t latest = kNone;
  for (std::size_t rec = 0; rec < r.record_ids.size(); ++rec) {
    const std::int32_t d = r.record_day[rec];
    if (!PreparedRecords::is_dated(d)) continue;
    const std::uint32_t x = r.identity_of[rec];
    if (id_first[x] == kNone || d < id_first[x]) id_first[x] = d;
    id_last[x] = std::max(id_last[x], d);
    latest = std::max(latest, d);
  }
  std::vector<std::pair<std::uint32_t, std::uint32_t>> members;  // (group, identity)
  members.reserve(n);
  for (std::size_t x = 0; x < n; ++x) members.emplace_back(root_of[x], static_cast<std::uint32_t>(x));
  std::sort(members.begin(), members.end());
  auto identities_of = [&](std::uint32_t root) {
    const auto lo = std::lower_bound(members.begin(), members.end(), std::make_pair(root, std::uint32_t{0}));
    auto hi = lo;
    while (hi != members.end() && hi->first == root) ++hi;
    return std::make_pair(lo, hi);
  };
  // A month's margin (a snapshot on the day of a move).
  constexpr std::int32_t kMargin = 31;
  auto elsewhere_meanwhile = [&](std::uint32_t orphan, std::uint32_t person) {
    const auto [ob, oe] = identities_of(orphan);
    const auto [pb, pe] = identities_of(person);
    for (auto o = ob; o != oe; ++o) {
      const std::uint32_t x = o->second;
      if (id_first[x] == kNone || r.address_id[x] == 0) continue;
      for (auto q = pb; q != pe; ++q) {
        const std::uint32_t y = q->second;
        if (id_first[y] == kNone || r.address_id[y] == 0 || r.address_id[y] == r.address_id[x]) continue;
        // Recorded elsewhere inside the orphan's span, or recorded elsewhere on both sides of it.
        if (std::max(id_first[x] + kMargin, id_first[y]) < std::min(id_last[x] - kMargin, id_last[y])) return true;
        if (std::max(id_first[x], id_first[y] + kMargin) <= std::min(id_last[x], id_last[y] - kMargin)) return true;
      }
    }
    return false;
  };
  // Places: an identity's home, and its postcode under its surname (systems that record only a
  // postcode, such as schools, still place a family).
  auto family_place = [&](std::size_t x) -> std::uint64_t {
    const std::uint32_t pc = r.postcode_id[x], s = r.surname_id[x];
    return pc != 0 && s != 0 ? ((std::uint64_t{pc} << 32) | s) : 0;
  };
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> at_home, at_family_place;
  for (std::size_t x = 0; x < n; ++x) {
    if (!groups[root_of[x]].established) continue;
    if (home[x] != 0) at_home[home[x]].push_back(static_cast<std::uint32_t>(x));
    if (const std::uint64_t fp = family_place(x); fp != 0) at_family_place[fp].push_back(static_cast<std::uint32_t>(x));
  }
  // Established groups recorded at the orphan's places during its span (half a year either side,
  // in days; a register's current row counts when the orphan was recorded within the last year).
  constexpr std::int32_t kNear = 183;
  constexpr std::int32_t kYear = 365;
  auto witnesses = [&](std::uint32_t orphan) {
    std::vector<std::uint32_t> out;
    const auto [ob, oe] = identities_of(orphan);
    for (auto o = ob; o != oe; ++o) {
      const std::uint32_t x = o->second;
      const bool recent = id_last[x] == kNone || id_last[x] + kYear >= latest;
      for (const auto* place : {&at_home, &at_family_place}) {
        const std::uint64_t key = place == &at_home ? home[x] : family_place(x);
        if (key == 0) continue;
        const auto it = place->find(key);
        if (it == place->end() || it->second.size() > kPlaceMax) continue;
        for (const std::uint32_t y : it->second) {
          const bool when = id_first[x] == kNone ? true
                            : id_first[y] == kNone ? recent
                                               : id_first[y] <= id_last[x] + kNear && id_first[x] <= id_last[y] + kNear;
          if (when && root_of[y] != orphan) out.push_back(root_of[y]);
        }
      }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  };
  auto places_of = [&](std::uint32_t root) {
    std::vector<std::uint64_t> out;
    const auto [b, e] = identities_of(root);
    for (auto i = b; i != e; ++i) {
      if (home[i->second] != 0) out.push_back(home[i->second]);
      if (const std::uint64_t fp = family_place(i->second); fp != 0) out.push_back(fp ^ (std::uint64_t{1} << 61));
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  };
  // Family evidence for a candidate: a witness that is the candidate or shares a place with them.
  // `seen_there` pairs each witness with its places.
  using Witnessed = std::vector<std::pair<std::uint32_t, std::vector<std::uint64_t>>>;
  auto has_family_evidence = [&](std::uint32_t candidate, const Witnessed& seen_there) {
    const std::vector<std::uint64_t> mine = places_of(candidate);
    for (const auto& [w, theirs] : seen_there) {
      if (w == candidate) return true;
      std::vector<std::uint64_t> shared;
      std::set_intersection(mine.begin(), mine.end(), theirs.begin(), theirs.end(), std::back_inserter(shared));
      if (!shared.empty()) return true;
    }
    return false;
  };
  // Decide every orphan's person before joining anything, so the order does not matter.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> joins;
  for (std::size_t i = 0; i < names.size();) {
    const std::uint32_t root = names[i].first;
    std::size_t j = i;
    while (j < names.size() && names[j].first == root) ++j;
    const Group& g = groups[root];
    if (!g.established && g.identities <= kMaxOrphanIdentities) {
      std::vector<std::uint32_t> candidates;
      std::size_t namesakes = 0;
      for (std::size_t k = i; k < j; ++k) {
        const auto& roots = by_name[names[k].second];
        namesakes = std::max(namesakes, roots.size());
        for (const std::uint32_t other : roots)
          if (other != root && groups[other].established && std::find(candidates.begin(), candidates.end(), other) == candidates.end())
            candidates.push_back(other);  // other orphans do not compete
      }
      std::vector<std::uint32_t> possible;
      for (const std::uint32_t c : namesakes > kCandidatesMax ? std::vector<std::uint32_t>{} : candidates) {
        const Group& cg = groups[c];
        const bool sex_ok = g.sex == 0 || cg.sex == 0 || (g.sex == cg.sex && g.sex != '?');
        // The orphan's adults-only records need the person born by then.
        const bool age_ok = g.born_by == 0 || cg.latest_dob == 0 || cg.latest_dob <= g.born_by;
        if (sex_ok && age_ok && !uf.conflicts(root, c) && !elsewhere_meanwhile(root, c)) possible.push_back(c);
      }
      // A name alone never decides: the only established namesake is no more likely the orphan's
      // person than a namesake never recorded with a date of birth (whose records all come from
      // systems without one, or lost it), and the model already found the name not enough.
      if (!possible.empty()) {
        Witnessed seen_there;
        for (const std::uint32_t w : witnesses(root)) seen_there.emplace_back(w, places_of(w));
        std::uint32_t chosen = UINT32_MAX;
        std::size_t with_evidence = 0;
        for (const std::uint32_t c : seen_there.empty() ? std::vector<std::uint32_t>{} : possible)
          if (has_family_evidence(c, seen_there)) chosen = c, ++with_evidence;
        if (with_evidence == 1) joins.emplace_back(root, chosen);
      }
    }
    i = j;
  }
  std::size_t joined = 0;
  for (const auto& [orphan, person] : joins) joined += uf.unite(orphan, person) ? 1 : 0;
  return joined;
}

}  // namespace earlyhelp::linkage
