// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/households.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/linkage/cluster.hpp"
#include "earlyhelp/linkage/dates.hpp"
#include "earlyhelp/linkage/homes.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <tuple>
#include <unordered_map>

namespace earlyhelp::linkage {

namespace {

/// A dated record placing its person at a home (see households()).
struct Sighting {
  std::uint32_t person;
  std::int32_t day;  // the record's date less its source's lag
  std::uint64_t home;
  bool dates_move;  // from a source whose first record at a new home is the day of the move
};

/// The home, of `a` and `b`, where a person seen at both lived on `day`, when their sightings
/// [first, last) show one clean move between them that a source dating moves recorded; 0 otherwise.
std::uint64_t moved_on(const Sighting* first_sighting, const Sighting* last_sighting, std::uint64_t a, std::uint64_t b,
                       std::int32_t day, std::vector<std::pair<std::int32_t, bool>>& seen) {
  constexpr std::size_t kWrongSideShare = 5;  // at most one sighting in five on the wrong side of the move
  seen.clear();
  double sum_a = 0, sum_b = 0;
  std::size_t n_a = 0, n_b = 0;
  std::int32_t last_dated_a = INT32_MIN, last_dated_b = INT32_MIN;
  std::int32_t first_dated_a = INT32_MAX, first_dated_b = INT32_MAX;
  for (const Sighting* v = first_sighting; v != last_sighting; ++v) {
    if (v->home != a && v->home != b) continue;
    const std::int32_t d = v->day;
    const bool at_b = v->home == b;
    (at_b ? sum_b : sum_a) += d;
    ++(at_b ? n_b : n_a);
    seen.emplace_back(d, at_b);
    if (v->dates_move) {
      std::int32_t& first = at_b ? first_dated_b : first_dated_a;
      std::int32_t& last = at_b ? last_dated_b : last_dated_a;
      first = std::min(first, d), last = std::max(last, d);
    }
  }
  if (n_a == 0 || n_b == 0) return 0;
  const bool b_later = sum_b / static_cast<double>(n_b) > sum_a / static_cast<double>(n_a);
  const std::uint64_t earlier = b_later ? a : b, later = b_later ? b : a;
  // One clean move: some split of the sightings in time leaves few on the wrong side.
  std::sort(seen.begin(), seen.end());
  std::size_t wrong = 0;
  for (const auto& v : seen) wrong += v.second != b_later ? 1 : 0;  // split before everything
  std::size_t fewest = wrong;
  for (const auto& v : seen) {
    wrong = v.second == b_later ? wrong + 1 : wrong - 1;
    fewest = std::min(fewest, wrong);
  }
  if (fewest * kWrongSideShare > seen.size()) return 0;
  // The move is the first record at the later home from a source that dates moves, provided that
  // source recorded the earlier home only before it.
  const std::int32_t moved = b_later ? first_dated_b : first_dated_a;
  const std::int32_t left = b_later ? last_dated_a : last_dated_b;
  if (moved == INT32_MAX || left >= moved) return 0;
  if (day < moved) return earlier;
  // A lone record at the later home may be somebody else's (a namesake's council tax record
  // joined by name alone): living there takes two.
  return (b_later ? n_b : n_a) >= 2 ? later : 0;
}

/// How far each source's addresses lag behind a move, in days, by source id; `fallback` for a
/// source with too little evidence. With `dates_moves`, also whether each source's first record
/// at a new home is the day of the move.
std::vector<double> address_lag_days(const PreparedRecords& r, const std::vector<std::uint32_t>& identity_person,
                                     std::size_t n_persons, const std::vector<std::uint64_t>& home_of, double fallback,
                                     std::vector<bool>* dates_moves = nullptr) {
  // A system learns of a move some while after it, so each of its records shows the address as
  // it was a random delay before the record's date. Persons recorded at one home and then
  // another show that delay: from the first day any system records the new home, a system still
  // shows the old one after t days with probability eps + (1 - eps) exp(-t / lag), where eps
  // allows for records that are not about a move at all (a second home, a misplaced record).
  // Maximum likelihood of lag and eps per source.
  const std::size_t n_sources = r.sources.size();
  struct Home {
    std::uint64_t key = 0;
    std::int32_t first = INT32_MAX, last = INT32_MIN;
    std::uint32_t n = 0;
  };
  std::vector<std::array<Home, 2>> homes(n_persons);
  std::vector<std::uint8_t> n_homes(n_persons, 0);  // 3: more than two, or not one move
  const auto dated_home = [&](std::size_t rec, std::int32_t* day) {
    const std::uint64_t home = home_of[r.identity_of[rec]];
    const std::int32_t d = r.record_day[rec];
    if (home == 0 || !PreparedRecords::is_dated(d)) return std::uint64_t{0};
    *day = d;
    return home;
  };
  for (std::size_t rec = 0; rec < r.record_ids.size(); ++rec) {
    std::int32_t day = 0;
    const std::uint64_t home = dated_home(rec, &day);
    const std::uint32_t p = identity_person[r.identity_of[rec]];
    if (home == 0 || n_homes[p] > 2) continue;
    auto& h = homes[p];
    std::size_t i = 0;
    while (i < n_homes[p] && h[i].key != home) ++i;
    if (i == 2) {
      n_homes[p] = 3;
      continue;
    }
    if (i == n_homes[p]) h[i].key = home, ++n_homes[p];
    h[i].first = std::min(h[i].first, day);
    h[i].last = std::max(h[i].last, day);
    ++h[i].n;
  }
  // One move: the later home is recorded more than once and goes on after the earlier one ends.
  std::vector<std::uint8_t> later(n_persons, 0);
  for (std::size_t p = 0; p < n_persons; ++p) {
    if (n_homes[p] != 2) continue;
    const auto& h = homes[p];
    later[p] = h[1].first > h[0].first ? 1 : 0;
    if (h[later[p]].n < 2 || h[1 - later[p]].n < 2 || h[later[p]].last <= h[1 - later[p]].last) n_homes[p] = 3;
  }
  // Per source and whole days since the move: records still at the old home, and at the new one.
  std::vector<std::map<std::int32_t, std::array<double, 2>>> seen(n_sources);
  std::vector<std::size_t> n_seen(n_sources, 0);
  for (std::size_t rec = 0; rec < r.record_ids.size(); ++rec) {
    std::int32_t day = 0;
    const std::uint64_t home = dated_home(rec, &day);
    const std::uint32_t p = identity_person[r.identity_of[rec]];
    if (home == 0 || n_homes[p] != 2) continue;
    const Home& moved_to = homes[p][later[p]];
    if (day <= moved_to.first) continue;
    const std::uint32_t s = r.record_source[rec];
    seen[s][day - moved_to.first][home == moved_to.key ? 1 : 0] += 1;
    ++n_seen[s];
  }
  // A source dates moves when, for persons it records at both homes, its first record at the new
  // home comes no later than any other source's (a council tax account or tenancy that starts on
  // the day of the move): its first record at a new home is then the day of the move.
  if (dates_moves != nullptr) {
    struct Seen {
      bool old_home = false;
      std::int32_t first_new = INT32_MAX;
    };
    std::unordered_map<std::uint64_t, Seen> by;  // (person, source)
    for (std::size_t rec = 0; rec < r.record_ids.size(); ++rec) {
      std::int32_t day = 0;
      const std::uint64_t home = dated_home(rec, &day);
      const std::uint32_t p = identity_person[r.identity_of[rec]];
      if (home == 0 || n_homes[p] != 2) continue;
      Seen& v = by[(std::uint64_t{p} << 32) | r.record_source[rec]];
      if (home == homes[p][later[p]].key) v.first_new = std::min(v.first_new, day);
      else v.old_home = true;
    }
    std::vector<std::tuple<std::uint32_t, std::int32_t, std::uint32_t, bool>> firsts;  // person, day, source, saw both
    for (const auto& [key, v] : by)
      if (v.first_new != INT32_MAX) firsts.emplace_back(static_cast<std::uint32_t>(key >> 32), v.first_new, static_cast<std::uint32_t>(key & 0xffffffffu), v.old_home);
    std::sort(firsts.begin(), firsts.end());
    std::vector<std::array<std::size_t, 2>> leads(n_sources, {0, 0});  // (first, moves seen)
    for (std::size_t i = 0; i < firsts.size();) {
      std::size_t j = i;
      while (j < firsts.size() && std::get<0>(firsts[j]) == std::get<0>(firsts[i])) ++j;
      for (std::size_t k = i; k < j; ++k) {
        if (!std::get<3>(firsts[k])) continue;
        ++leads[std::get<2>(firsts[k])][1];
        if (std::get<1>(firsts[k]) == std::get<1>(firsts[i])) ++leads[std::get<2>(firsts[k])][0];  // sorted by day
      }
      i = j;
    }
    dates_moves->assign(n_sources, false);
    constexpr double kFirstShare = 0.95;
    for (std::size_t s = 0; s < n_sources; ++s)
      (*dates_moves)[s] = leads[s][1] >= kMinLagEvidence && static_cast<double>(leads[s][0]) >= kFirstShare * static_cast<double>(leads[s][1]);
  }
  std::vector<double> lag(n_sources, fallback);
  for (std::size_t s = 0; s < n_sources; ++s) {
    if (n_seen[s] < kMinLagEvidence) continue;
    double best_ll = -std::numeric_limits<double>::infinity();
    for (const double eps : {0.0, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2}) {
      const auto log_likelihood = [&](double l) {
        double ll = 0;
        for (const auto& [t, n] : seen[s]) {
          const double stale = eps + (1 - eps) * std::exp(-t / l);
          if (n[0] > 0) ll += n[0] * std::log(std::max(stale, 1e-300));
          if (n[1] > 0) ll += n[1] * std::log(std::max(1 - stale, 1e-300));
        }
        return ll;
      };
      double lo = 0.5, hi = 1000;  // days; the likelihood is unimodal in the lag
      for (int it = 0; it < 60; ++it) {
        const double a = lo + (hi - lo) / 3, b = hi - (hi - lo) / 3;
        if (log_likelihood(a) < log_likelihood(b)) lo = a;
        else hi = b;
      }
      const double l = (lo + hi) / 2, ll = log_likelihood(l);
      if (ll > best_ll) best_ll = ll, lag[s] = l < 1 ? 0.0 : l;
    }
  }
  return lag;
}

}  // namespace

std::vector<std::pair<std::string, double>> address_lags(const PreparedRecords& r,
                                                         const std::vector<std::uint32_t>& identity_person,
                                                         std::size_t n_persons) {
  const std::vector<double> lag = address_lag_days(r, identity_person, n_persons, home_keys(r), -1);
  std::vector<std::pair<std::string, double>> out;
  for (std::size_t s = 1; s < lag.size(); ++s)
    if (lag[s] >= 0) out.emplace_back(r.sources.values[s], lag[s]);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<HouseholdMembership> households(const PreparedRecords& r, const std::vector<std::uint32_t>& identity_person,
                                            const std::vector<std::string>& person_ids, std::int32_t as_of) {
  const std::size_t n_persons = person_ids.size();
  const std::size_t n_ids = r.n_identities();
  const std::vector<std::uint64_t> home_of = home_keys(r);
  // Each person's home on `as_of`: the address their records give, each record weighted by how
  // close its date is to `as_of` (half-life kHalfLifeDays either side; undated records count a
  // little; a register's "current" row is dated at the latest record), so the address of a family
  // that moved is the new one, successive occupants of one address are told apart, and a stale
  // address from a lagging system is outweighed. Without dates this is the most recorded address.
  constexpr double kHalfLifeDays = 60.0;
  // Systems catch up with a move after a while (they never anticipate one), so a record shows
  // the address as it was some time before its date: each record counts as evidence about
  // kLagDays earlier.
  constexpr double kLagDays = 60.0;
  constexpr double kUndated = 0.05;
  std::int32_t latest = PreparedRecords::kNoDay;
  for (const std::int32_t d : r.record_day)
    if (PreparedRecords::is_dated(d)) latest = std::max(latest, d);
  const std::int32_t as_of_day = day_number(as_of);
  // A person's stay at a home: the weight of its records, the part of it from dated records (a
  // register's current row says where somebody lives now, not on `as_of`), and the first and last
  // days it is recorded.
  struct Stay {
    double w = 0, dated_w = 0;
    std::int32_t first = INT32_MAX, last = INT32_MIN;
    std::int32_t last_dated = INT32_MIN;      // the latest dated record (not a current row)
    std::int32_t first_moved_in = INT32_MAX;  // the first record from a source that dates moves
    bool current = false;                     // a register's current row
  };
  // Each person's homes in one flat table (a map per person cost 600,000 maps on a county): person
  // p's stays are [begin[p], begin[p + 1]), sorted by home key.
  std::vector<std::uint32_t> begin(n_persons + 1, 0);
  std::vector<std::uint64_t> stay_key;
  {
    for (std::size_t rec = 0; rec < r.record_ids.size(); ++rec)
      if (const std::uint32_t x = r.identity_of[rec]; home_of[x] != 0) ++begin[identity_person[x] + 1];
    for (std::size_t p = 0; p < n_persons; ++p) begin[p + 1] += begin[p];
    stay_key.resize(begin[n_persons]);
    std::vector<std::uint32_t> next(begin.begin(), begin.end() - 1);
    for (std::size_t rec = 0; rec < r.record_ids.size(); ++rec)
      if (const std::uint32_t x = r.identity_of[rec]; home_of[x] != 0) stay_key[next[identity_person[x]]++] = home_of[x];
    std::uint32_t kept = 0;
    for (std::size_t p = 0; p < n_persons; ++p) {
      const auto b = stay_key.begin() + begin[p], e = stay_key.begin() + begin[p + 1];
      std::sort(b, e);
      const auto u = std::unique(b, e);
      begin[p] = kept;
      kept = static_cast<std::uint32_t>(std::copy(b, u, stay_key.begin() + kept) - stay_key.begin());
    }
    begin[n_persons] = kept;
    stay_key.resize(kept);
    stay_key.shrink_to_fit();
  }
  std::vector<Stay> stay(stay_key.size());
  const auto stay_index = [&](std::size_t p, std::uint64_t key) {
    const auto b = stay_key.begin() + begin[p], e = stay_key.begin() + begin[p + 1];
    const auto it = std::lower_bound(b, e, key);
    EH_ASSERT(it != e && *it == key);
    return static_cast<std::size_t>(it - stay_key.begin());
  };
  const auto stay_at = [&](std::size_t p, std::uint64_t key) -> Stay& { return stay[stay_index(p, key)]; };
  const auto n_stays = [&](std::size_t p) { return begin[p + 1] - begin[p]; };
  const std::int32_t latest_day = latest == PreparedRecords::kNoDay ? as_of_day : latest;
  // Each dated record places its person at its home on its date less its source's lag.
  std::vector<bool> dates_moves;
  const std::vector<double> lag = address_lag_days(r, identity_person, n_persons, home_of, kLagDays, &dates_moves);
  std::vector<Sighting> sightings;
  for (std::size_t rec = 0; rec < r.record_ids.size(); ++rec) {
    const std::uint32_t x = r.identity_of[rec];
    if (home_of[x] == 0) continue;
    const std::int32_t d = r.record_day[rec];
    Stay& st = stay_at(identity_person[x], home_of[x]);
    if (d == PreparedRecords::kNoDay) {
      st.w += kUndated;
      continue;
    }
    const bool dated = d != PreparedRecords::kCurrentDay;
    const std::int32_t day = dated ? d : latest_day;
    if (dated)
      sightings.push_back({identity_person[x], day - static_cast<std::int32_t>(std::lround(lag[r.record_source[rec]])),
                           home_of[x], dates_moves[r.record_source[rec]]});
    const double gap = std::abs(static_cast<double>(day - as_of_day) - kLagDays);
    const double w = std::max(std::exp2(-gap / kHalfLifeDays), 1e-9);  // very old records still break ties
    st.w += w;
    if (dated) {
      st.dated_w += w;
      st.last_dated = std::max(st.last_dated, day);
      if (dates_moves[r.record_source[rec]]) st.first_moved_in = std::min(st.first_moved_in, day);
    } else {
      st.current = true;
    }
    st.first = std::min(st.first, day);
    st.last = std::max(st.last, day);
  }
  std::vector<std::int32_t> dob(n_persons, 0);
  for (std::size_t x = 0; x < n_ids; ++x) {
    const std::uint32_t p = identity_person[x];
    const std::int32_t d = r.dob[x];
    if (d != 0 && d % 100 != 0 && (dob[p] == 0 || d < dob[p])) dob[p] = d;
  }
  // How many persons give each address: between equally weighted addresses a person lives at
  // the one shared with others (the family home, not a one-off address).
  std::unordered_map<std::uint64_t, std::uint32_t> sharers;
  for (const std::uint64_t key : stay_key) ++sharers[key];
  std::vector<std::uint64_t> own_key(n_persons, 0), current_key(n_persons, 0);
  std::vector<double> strength(n_persons, 0);  // the most dated evidence for one home
  // Where somebody lives now: a register's current row, else the latest record.
  const auto recency = [](const Stay& t) { return std::make_tuple(t.current, t.last, t.w); };
  for (std::size_t p = 0; p < n_persons; ++p) {
    std::uint64_t best = 0, now = 0;
    double best_w = 0;
    std::uint32_t best_s = 0;
    const Stay* now_stay = nullptr;
    for (std::size_t i = begin[p]; i < begin[p + 1]; ++i) {
      const std::uint64_t key = stay_key[i];
      const Stay& st = stay[i];
      const std::uint32_t sh = sharers[key];
      const bool better = st.w != best_w ? st.w > best_w : (sh != best_s ? sh > best_s : key < best);
      if (best == 0 || better) best = key, best_w = st.w, best_s = sh;
      strength[p] = std::max(strength[p], st.dated_w);
      if (now_stay == nullptr || recency(st) > recency(*now_stay) || (recency(st) == recency(*now_stay) && key < now))
        now = key, now_stay = &st;
    }
    // A register that has not caught up: a source dating moves recorded the person arriving at
    // another home after everything dated at the register's (a council tax account opened after
    // the last record there).
    if (now_stay != nullptr && now_stay->current && now_stay->last_dated != INT32_MIN) {
      std::uint64_t moved_to = 0;
      std::int32_t arrived = INT32_MIN;
      for (std::size_t i = begin[p]; i < begin[p + 1]; ++i) {
        const std::uint64_t key = stay_key[i];
        const Stay& st = stay[i];
        if (key == now || st.first_moved_in == INT32_MAX || st.first_moved_in <= now_stay->last_dated) continue;
        if (moved_to == 0 || st.first_moved_in > arrived || (st.first_moved_in == arrived && key < moved_to))
          moved_to = key, arrived = st.first_moved_in;
      }
      if (moved_to != 0) now = moved_to;
    }
    own_key[p] = best;
    current_key[p] = now;
  }
  // A person recorded at their two likeliest homes one after the other moved between them, and
  // when a source that dates moves (council tax, tenancies: see address_lags()) recorded the
  // move, `as_of` falls before or after that day. The weights alone let the new council tax
  // account of a family moving a month after `as_of` outweigh the records of the home it still
  // lived in then, while the children's lagging records keep them there: one family, two homes.
  {
    std::vector<std::uint32_t> start(n_persons + 1, 0);
    for (const Sighting& v : sightings) ++start[v.person + 1];
    for (std::size_t p = 0; p < n_persons; ++p) start[p + 1] += start[p];
    std::vector<Sighting> by_person(sightings.size());
    {
      std::vector<std::uint32_t> next(start.begin(), start.end() - 1);
      for (const Sighting& v : sightings) by_person[next[v.person]++] = v;
    }
    sightings.clear();
    sightings.shrink_to_fit();
    std::vector<std::pair<std::int32_t, bool>> seen;  // moved_on's scratch
    for (std::size_t p = 0; p < n_persons; ++p) {
      if (n_stays(p) < 2) continue;
      std::uint64_t other = 0;
      double other_w = 0;
      for (std::size_t i = begin[p]; i < begin[p + 1]; ++i) {
        const std::uint64_t key = stay_key[i];
        const double w = stay[i].w;
        if (key != own_key[p] && (other == 0 || w > other_w || (w == other_w && key < other))) other = key, other_w = w;
      }
      if (const auto v = moved_on(by_person.data() + start[p], by_person.data() + start[p + 1], own_key[p], other, as_of_day, seen))
        own_key[p] = v;
    }
  }
  // Somebody with no dated record near `as_of` (only a register's current row, or records long
  // before or after) lives wherever the people they live with now lived then: a family that moved
  // just after `as_of` is still at its old address, all of it. Somebody recorded at a home only
  // before its present occupants arrived is a former occupant, not one of them.
  constexpr double kLeader = 0.1;  // about a record within three half-lives of `as_of`
  constexpr std::int32_t kOverlapDays = 90;
  constexpr std::size_t kResidentsMax = 64;
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> leaders_now, leaders_at;
  for (std::size_t p = 0; p < n_persons; ++p) {
    if (strength[p] < kLeader) continue;
    if (current_key[p] != 0) leaders_now[current_key[p]].push_back(static_cast<std::uint32_t>(p));
    if (own_key[p] != 0) leaders_at[own_key[p]].push_back(static_cast<std::uint32_t>(p));
  }
  std::vector<std::uint64_t> person_key = own_key;
  std::vector<bool> former(n_persons, false);
  for (std::size_t p = 0; p < n_persons; ++p) {
    if (strength[p] >= kLeader || own_key[p] == 0) continue;
    const Stay& mine = stay_at(p, current_key[p]);
    std::unordered_map<std::uint64_t, double> then;  // the leaders' homes on `as_of`, by strength
    if (const auto it = leaders_now.find(current_key[p]); it != leaders_now.end() && it->second.size() <= kResidentsMax)
      for (const std::uint32_t q : it->second) {
        const Stay& theirs = stay_at(q, current_key[p]);
        // They live there now, so they overlap the person's stay unless they arrived after it.
        if (theirs.first <= mine.last + kOverlapDays) then[own_key[q]] += strength[q];
      }
    if (!then.empty()) {
      std::uint64_t best = 0;
      double best_w = -1;
      for (const auto& [key, w] : then)
        if (w > best_w || (w == best_w && key < best)) best = key, best_w = w;
      person_key[p] = best;
      continue;
    }
    const Stay& at = stay_at(p, own_key[p]);
    if (const auto it = leaders_at.find(own_key[p]); at.last != INT32_MIN && it != leaders_at.end())
      for (const std::uint32_t q : it->second)
        if (stay_at(q, own_key[p]).first > at.last + kOverlapDays) {
          former[p] = true;  // with the others who left before them, if any
          break;
        }
  }
  // key -> smallest person id, for present and for former occupants
  std::unordered_map<std::uint64_t, std::string> household_of_key[2];
  for (std::size_t p = 0; p < n_persons; ++p) {
    if (person_key[p] == 0) continue;
    auto& of_key = household_of_key[former[p] ? 1 : 0];
    auto it = of_key.find(person_key[p]);
    if (it == of_key.end()) of_key.emplace(person_key[p], person_ids[p]);
    else if (person_ids[p] < it->second) it->second = person_ids[p];
  }
  std::vector<HouseholdMembership> out(n_persons);
  std::unordered_map<std::string, bool> has_child;
  for (std::size_t p = 0; p < n_persons; ++p) {
    auto& m = out[p];
    m.person_id = person_ids[p];
    m.household_id = stable_id('H', person_key[p] == 0 ? person_ids[p] : household_of_key[former[p] ? 1 : 0][person_key[p]]);
    if (dob[p] == 0) m.role = "unknown";
    else {
      const int age = (as_of - dob[p]) / 10000;  // yyyymmdd arithmetic gives whole years
      m.role = age >= 18 ? "adult" : "child";
    }
    if (m.role == "child") has_child[m.household_id] = true;
  }
  for (auto& m : out) m.family = has_child.count(m.household_id) != 0;
  return out;
}

}  // namespace earlyhelp::linkage
