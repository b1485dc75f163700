// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/linker.hpp"

#include "earlyhelp/core/date.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/parallel.hpp"
#include "earlyhelp/linkage/training.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <iterator>
#include <limits>
#include <map>
#include <tuple>
#include <unordered_set>

namespace earlyhelp::linkage {

namespace {

/// Days since the epoch of a yyyymmdd date (a missing day counts as the first).
std::int32_t day_number(std::int32_t yyyymmdd) {
  return from_civil(yyyymmdd / 10000, (yyyymmdd / 100) % 100, std::max(1, yyyymmdd % 100)).days;
}

/// A dated record placing its person at a home (see Linker::households()).
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

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

constexpr std::size_t kBlocksPerChunk = 32;

// Two different people who look alike (a person-level conflict between members of one family,
// or between namesakes): such a pair may never end in one cluster, whatever record would bridge
// them (a record with a name and nothing else matches every namesake).
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

}  // namespace

Linker::Linker(Settings settings) : settings_(std::move(settings)) {
  EH_CHECK(settings_.match_threshold > 0.0 && settings_.match_threshold < 1.0,
           "Linker: match_threshold must be in (0, 1) (got {})", settings_.match_threshold);
  EH_CHECK(!settings_.blocking_rules.empty(), "Linker: at least one blocking rule is needed");
  EH_CHECK(settings_.em_max_iterations >= 1, "Linker: em_max_iterations must be at least 1 (got {})",
           settings_.em_max_iterations);
}

void Linker::require_fitted(const char* what) const {
  if (!fitted_) throw StateError(fmt::format("{}: the linker is not fitted (call fit first)", what));
}

void Linker::rebuild_scorer() {
  scorer_ = FellegiSunter(params_, table_, settings_.tf_adjustment, settings_.household_guard, settings_.guard_max_m);
}

std::vector<std::string> Linker::add_records(const std::vector<Record>& records) {
  if (!clustered_) {
    table_.add(records);
    if (table_.n_empty > 0 && std::none_of(warnings_.begin(), warnings_.end(), [](const std::string& w) {
          return w.rfind("records with no identifying field", 0) == 0;
        }))
      warnings_.push_back("records with no identifying field: each becomes a person of its own");
    return {};
  }
  // Incremental: score the new identities against the index, join or start persons.
  const std::size_t first_record = table_.record_ids.size();
  const std::size_t first_new = table_.n_identities();
  table_.add(records);
  const std::size_t n = table_.n_identities();
  uf_.resize(n);
  for (std::size_t x = first_new; x < n; ++x) uf_.set_dob(static_cast<std::uint32_t>(x), table_.dob[x]);
  identity_person_.resize(n, UINT32_MAX);
  rebuild_scorer();
  const double threshold = weight_from_probability(settings_.match_threshold);
  std::vector<Edge> edges;
  for (std::size_t x = first_new; x < n; ++x) {
    const auto xi = static_cast<std::uint32_t>(x);
    for (const std::uint32_t c : candidates(xi)) {
      const ComparisonVector v = compare_identities(table_, xi, c);
      double discount = 0;
      const double w = scorer_.weight(table_, xi, c, v, discount);
      if (w >= threshold) edges.push_back({c, xi, w});
      else if (scorer_.conflict(v) && look_alike(v)) uf_.cannot_link(c, xi);
    }
    for (std::size_t k = 0; k < settings_.blocking_rules.size(); ++k) {
      const std::uint64_t key = block_key(table_, xi, settings_.blocking_rules[k]);
      if (key != 0) index_[k][key].push_back(xi);
    }
  }
  cluster_edges(edges, uf_, /*keep_closed_apart=*/true, &table_.dob);
  assign_new_persons(first_new, edges);
  std::vector<std::string> out;
  for (std::size_t rec = first_record; rec < table_.record_ids.size(); ++rec)
    out.push_back(persons_[identity_person_[table_.identity_of[rec]]]);
  stats_.records = table_.record_ids.size();
  stats_.identities = n;
  stats_.persons = persons_.size();
  return out;
}

void Linker::assign_new_persons(std::size_t first_new, const std::vector<Edge>& new_edges) {
  const std::size_t n = table_.n_identities();
  // A new identity joined to an existing person takes its id (propagated along joined edges).
  bool changed = true;
  while (changed) {
    changed = false;
    for (const Edge& e : new_edges) {
      if (uf_.find(e.a) != uf_.find(e.b)) continue;
      std::uint32_t& pa = identity_person_[e.a];
      std::uint32_t& pb = identity_person_[e.b];
      if (pa == UINT32_MAX && pb != UINT32_MAX) pa = pb, changed = true;
      else if (pb == UINT32_MAX && pa != UINT32_MAX) pb = pa, changed = true;
    }
  }
  // The others form new persons named after their smallest record id.
  std::unordered_map<std::uint32_t, std::string> smallest;
  for (std::size_t rec = 0; rec < table_.record_ids.size(); ++rec) {
    const std::uint32_t id = table_.identity_of[rec];
    if (id < first_new || identity_person_[id] != UINT32_MAX) continue;
    const std::uint32_t root = uf_.find(id);
    auto it = smallest.find(root);
    if (it == smallest.end()) smallest.emplace(root, table_.record_ids[rec]);
    else if (table_.record_ids[rec] < it->second) it->second = table_.record_ids[rec];
  }
  std::unordered_map<std::uint32_t, std::uint32_t> root_person;
  for (std::size_t x = first_new; x < n; ++x) {
    if (identity_person_[x] != UINT32_MAX) continue;
    const std::uint32_t root = uf_.find(static_cast<std::uint32_t>(x));
    auto it = root_person.find(root);
    if (it == root_person.end()) {
      it = root_person.emplace(root, static_cast<std::uint32_t>(persons_.size())).first;
      persons_.push_back(stable_id('P', smallest[root]));
    }
    identity_person_[x] = it->second;
  }
  for (std::size_t x = first_new; x < n; ++x) uf_.close(static_cast<std::uint32_t>(x));
}

void Linker::fit() {
  const auto t0 = std::chrono::steady_clock::now();
  EH_CHECK(!clustered_, "fit: records were already clustered; create a new Linker to refit");
  plan_ = plan_blocking(table_, settings_.blocking_rules, settings_.max_block_size, settings_.window);
  for (const auto& w : plan_.warnings) warnings_.push_back(w);
  stats_.records = table_.record_ids.size();
  stats_.identities = table_.n_identities();
  stats_.empty_records = table_.n_empty;
  params_ = train(table_, plan_, settings_);
  fitted_ = true;
  if (table_.n_identities() >= 2) stats_.lambda = params_.lambda;
  rebuild_scorer();
  stats_.fit_seconds = seconds_since(t0);
}

void Linker::fit_with_labels(const std::vector<std::pair<std::string, std::string>>& matches) {
  fit();
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
  pairs.reserve(matches.size());
  for (const auto& [x, y] : matches)
    pairs.emplace_back(identity_of_record(x, "fit_with_labels"), identity_of_record(y, "fit_with_labels"));
  train_from_labels(table_, pairs, params_);
  rebuild_scorer();
}

std::size_t Linker::predict() {
  require_fitted("predict");
  EH_CHECK(!clustered_, "predict: records were already clustered (new records are linked by add_records)");
  const auto t0 = std::chrono::steady_clock::now();
  if (plan_.rules.empty())
    plan_ = plan_blocking(table_, settings_.blocking_rules, settings_.max_block_size, settings_.window);
  const bool link_only = settings_.link_type == LinkType::link_only;
  const double threshold = weight_from_probability(settings_.match_threshold);
  links_.clear();
  conflicts_.clear();
  // One system recording somebody at two different homes for three months at once is
  // recording two people (namesakes in one district, each with their own council tax account):
  // such identities never join, however alike they look.
  homes_ = home_keys();
  // Where a system places an identity: its home, or for systems that record only a postcode
  // (schools, health), the postcode. A pupil on one school's roll at two postcodes for a year
  // is two pupils.
  auto postcode_place = [&](std::size_t x) {
    return table_.postcode_id[x] != 0 ? (std::uint64_t{1} << 61) | table_.postcode_id[x] : 0;
  };
  auto is_home = [](std::uint64_t key) { return (key >> 62) != 0; };  // home keys set bit 63 or 62
  std::vector<std::uint64_t> place(homes_.size(), 0);
  for (std::size_t x = 0; x < place.size(); ++x) place[x] = homes_[x] != 0 ? homes_[x] : postcode_place(x);
  struct Span {
    std::uint64_t key;  // identity << 32 | source
    std::int32_t first, last;
    bool operator<(const Span& o) const noexcept { return key < o.key; }
  };
  std::vector<Span> spans;
  for (std::size_t rec = 0; rec < table_.record_ids.size(); ++rec) {
    const std::int32_t d = table_.record_date[rec];
    const std::uint32_t x = table_.identity_of[rec];
    if (d == 0 || d == PreparedRecords::kCurrentDate || place[x] == 0) continue;
    const std::int32_t day = day_number(d);
    spans.push_back({(std::uint64_t{x} << 32) | table_.record_source[rec], day, day});
  }
  std::sort(spans.begin(), spans.end(), [](const Span& p, const Span& q) {
    return p.key != q.key ? p.key < q.key : p.first < q.first;
  });
  constexpr std::int32_t kOverlapDays = 90;
  {
    std::size_t w = 0;
    for (std::size_t i = 0; i < spans.size(); ++i) {
      if (w > 0 && spans[w - 1].key == spans[i].key) spans[w - 1].last = std::max(spans[w - 1].last, spans[i].last);
      else spans[w++] = spans[i];
    }
    spans.resize(w);
    // Only spans longer than the overlap can overlap by that much.
    spans.erase(std::remove_if(spans.begin(), spans.end(), [](const Span& t) { return t.last - t.first <= kOverlapDays; }),
                spans.end());
  }
  // Each identity's spans: spans[span_at[x], span_at[x + 1]).
  std::vector<std::uint32_t> span_at(place.size() + 1, 0);
  for (const Span& t : spans) ++span_at[(t.key >> 32) + 1];
  for (std::size_t x = 0; x < place.size(); ++x) span_at[x + 1] += span_at[x];
  auto two_homes = [&](std::uint32_t a, std::uint32_t c) {
    if (span_at[a] == span_at[a + 1] || span_at[c] == span_at[c + 1]) return false;
    std::uint64_t pa = place[a], pc = place[c];
    if (is_home(pa) != is_home(pc)) pa = postcode_place(a), pc = postcode_place(c);  // an address only sometimes: compare postcodes
    if (pa == 0 || pc == 0 || pa == pc) return false;
    for (std::uint32_t i = span_at[a]; i < span_at[a + 1]; ++i)
      for (std::uint32_t j = span_at[c]; j < span_at[c + 1]; ++j)
        if ((spans[i].key & 0xffffffffu) == (spans[j].key & 0xffffffffu) &&
            std::min(spans[i].last, spans[j].last) - std::max(spans[i].first, spans[j].first) > kOverlapDays)
          return true;
    return false;
  };
  std::uint64_t compared = 0;
  for (std::size_t k = 0; k < plan_.rules.size(); ++k) {
    const RulePlan& rp = plan_.rules[k];
    const std::size_t n_blocks = rp.blocks.size();
    const std::size_t n_chunks = (n_blocks + kBlocksPerChunk - 1) / kBlocksPerChunk;
    struct Out {
      std::vector<Edge> links;
      std::vector<std::pair<std::uint32_t, std::uint32_t>> conflicts;
      std::uint64_t compared = 0;
    };
    std::vector<Out> outs(n_chunks);
    parallel_for_chunks(n_blocks, settings_.n_threads, kBlocksPerChunk, [&](std::size_t b, std::size_t e) {
      Out& o = outs[b / kBlocksPerChunk];
      for (std::size_t bi = b; bi < e; ++bi) {
        for_each_block_pair(plan_, k, rp.blocks[bi], table_, link_only, settings_.window,
                            [&](std::uint32_t a, std::uint32_t c) {
                              ++o.compared;
                              const ComparisonVector v = compare_identities(table_, a, c);
                              double discount = 0;
                              const double w = scorer_.weight(table_, a, c, v, discount);
                              if (two_homes(a, c)) o.conflicts.emplace_back(a, c);
                              else if (w >= threshold) o.links.push_back({a, c, w});
                              else if (scorer_.conflict(v) && look_alike(v)) o.conflicts.emplace_back(a, c);
                            });
      }
    });
    for (Out& o : outs) {
      links_.insert(links_.end(), o.links.begin(), o.links.end());
      conflicts_.insert(conflicts_.end(), o.conflicts.begin(), o.conflicts.end());
      compared += o.compared;
    }
  }
  stats_.pairs_compared = compared;
  stats_.links = links_.size();
  stats_.conflicts = conflicts_.size();
  stats_.predict_seconds = seconds_since(t0);
  return links_.size();
}

std::vector<std::tuple<std::string, std::string, double>> Linker::links() const {
  std::vector<Edge> sorted_links = links_;
  std::sort(sorted_links.begin(), sorted_links.end(), [](const Edge& x, const Edge& y) {
    return x.weight != y.weight ? x.weight > y.weight : (x.a != y.a ? x.a < y.a : x.b < y.b);
  });
  std::vector<std::tuple<std::string, std::string, double>> out;
  out.reserve(sorted_links.size());
  for (const Edge& e : sorted_links)
    out.emplace_back(table_.record_ids[table_.first_record[e.a]], table_.record_ids[table_.first_record[e.b]],
                     probability_from_weight(e.weight));
  return out;
}

void Linker::cluster() {
  require_fitted("cluster");
  EH_CHECK(!clustered_, "cluster: already clustered");
  const auto t0 = std::chrono::steady_clock::now();
  const std::size_t n = table_.n_identities();
  uf_ = ConstrainedUnionFind();
  uf_.resize(n);
  for (std::size_t x = 0; x < n; ++x) uf_.set_dob(static_cast<std::uint32_t>(x), table_.dob[x]);
  for (const auto& [a, b] : conflicts_) uf_.cannot_link(a, b);
  cluster_edges(links_, uf_, /*keep_closed_apart=*/false, &table_.dob);
  stats_.orphans_absorbed = settings_.absorb_orphans ? absorb_orphans() : 0;
  // Stable ids: the smallest record id of each cluster, hashed.
  std::vector<std::uint32_t> smallest(n, UINT32_MAX);
  for (std::size_t rec = 0; rec < table_.record_ids.size(); ++rec) {
    const std::uint32_t root = uf_.find(table_.identity_of[rec]);
    if (smallest[root] == UINT32_MAX || table_.record_ids[rec] < table_.record_ids[smallest[root]])
      smallest[root] = static_cast<std::uint32_t>(rec);
  }
  persons_.clear();
  identity_person_.assign(n, UINT32_MAX);
  std::vector<std::uint32_t> root_person(n, UINT32_MAX);
  for (std::size_t x = 0; x < n; ++x) {
    const std::uint32_t root = uf_.find(static_cast<std::uint32_t>(x));
    if (root_person[root] == UINT32_MAX) {
      root_person[root] = static_cast<std::uint32_t>(persons_.size());
      persons_.push_back(stable_id('P', table_.record_ids[smallest[root]]));
    }
    identity_person_[x] = root_person[root];
  }
  for (std::size_t x = 0; x < n; ++x) uf_.close(static_cast<std::uint32_t>(x));
  clustered_ = true;
  build_index();
  std::vector<Edge>().swap(links_);
  std::vector<std::uint64_t>().swap(homes_);
  stats_.persons = persons_.size();
  stats_.cluster_seconds = seconds_since(t0);
}

std::size_t Linker::absorb_orphans() {
  // A record with only a name and an address (a council tax account at an old address) scores
  // below the threshold against its person when the address differs. It joins the established
  // person (one with a date of birth or an identifier) carrying its full name when nothing
  // conflicts and either nobody else could be them, or only one of them has family evidence: a
  // person who shares a home with the candidate was recorded at the orphan's address (or its
  // postcode under the same surname) while the orphan was, as when a family moves together and
  // only a council tax account is left behind. Other orphans with the name (the same person's
  // accounts at two old addresses) do not compete.
  constexpr std::uint32_t kMaxOrphanIdentities = 3;
  constexpr std::size_t kNameOnlyMax = 8;   // more namesakes than this: a name alone is not enough
  constexpr std::size_t kCandidatesMax = 256;
  constexpr std::size_t kPlaceMax = 256;    // a place with more identities (a hostel) is no evidence
  const std::size_t n = table_.n_identities();
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
    const std::uint32_t root = uf_.find(static_cast<std::uint32_t>(x));
    root_of[x] = root;
    Group& g = groups[root];
    ++g.identities;
    const std::int32_t d = table_.dob[x];
    if (d != 0 || table_.identifier_id[x] != 0) g.established = true;
    g.latest_dob = std::max(g.latest_dob, d);
    if (table_.born_by[x] != 0 && (g.born_by == 0 || table_.born_by[x] < g.born_by)) g.born_by = table_.born_by[x];
    if (table_.sex[x] != 0) g.sex = (g.sex == 0 || g.sex == table_.sex[x]) ? table_.sex[x] : '?';
    const std::uint32_t f = table_.first_id[x], s = table_.surname_id[x];
    if (f == 0 || s == 0 || table_.first_info[f].is_initial) continue;
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
  std::vector<std::int32_t> id_first(n, 0), id_last(n, 0);
  std::int32_t latest = 0;
  for (std::size_t rec = 0; rec < table_.record_ids.size(); ++rec) {
    const std::int32_t d = table_.record_date[rec];
    if (d == 0 || d == PreparedRecords::kCurrentDate) continue;
    const std::uint32_t x = table_.identity_of[rec];
    if (id_first[x] == 0 || d < id_first[x]) id_first[x] = d;
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
  // yyyymmdd arithmetic: a month's margin (a snapshot on the day of a move).
  constexpr std::int32_t kMargin = 100;
  auto elsewhere_meanwhile = [&](std::uint32_t orphan, std::uint32_t person) {
    const auto [ob, oe] = identities_of(orphan);
    const auto [pb, pe] = identities_of(person);
    for (auto o = ob; o != oe; ++o) {
      const std::uint32_t x = o->second;
      if (id_first[x] == 0 || table_.address_id[x] == 0) continue;
      for (auto q = pb; q != pe; ++q) {
        const std::uint32_t y = q->second;
        if (id_first[y] == 0 || table_.address_id[y] == 0 || table_.address_id[y] == table_.address_id[x]) continue;
        // Recorded elsewhere inside the orphan's span, or recorded elsewhere on both sides of it.
        if (std::max(id_first[x] + kMargin, id_first[y]) < std::min(id_last[x] - kMargin, id_last[y])) return true;
        if (std::max(id_first[x], id_first[y] + kMargin) <= std::min(id_last[x], id_last[y] - kMargin)) return true;
      }
    }
    return false;
  };
  // Places: an identity's home, and its postcode under its surname (systems that record only a
  // postcode, such as schools, still place a family).
  if (homes_.size() != n) homes_ = home_keys();
  const std::vector<std::uint64_t>& home = homes_;
  auto family_place = [&](std::size_t x) -> std::uint64_t {
    const std::uint32_t pc = table_.postcode_id[x], s = table_.surname_id[x];
    return pc != 0 && s != 0 ? ((std::uint64_t{pc} << 32) | s) : 0;
  };
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> at_home, at_family_place;
  for (std::size_t x = 0; x < n; ++x) {
    if (!groups[root_of[x]].established) continue;
    if (home[x] != 0) at_home[home[x]].push_back(static_cast<std::uint32_t>(x));
    if (const std::uint64_t fp = family_place(x); fp != 0) at_family_place[fp].push_back(static_cast<std::uint32_t>(x));
  }
  // Established groups recorded at the orphan's places during its span (half a year either side,
  // in yyyymmdd arithmetic; a register's current row counts when the orphan is recent).
  constexpr std::int32_t kNear = 600;
  auto witnesses = [&](std::uint32_t orphan) {
    std::vector<std::uint32_t> out;
    const auto [ob, oe] = identities_of(orphan);
    for (auto o = ob; o != oe; ++o) {
      const std::uint32_t x = o->second;
      const bool recent = id_last[x] == 0 || id_last[x] + 10000 >= latest;
      for (const auto* place : {&at_home, &at_family_place}) {
        const std::uint64_t key = place == &at_home ? home[x] : family_place(x);
        if (key == 0) continue;
        const auto it = place->find(key);
        if (it == place->end() || it->second.size() > kPlaceMax) continue;
        for (const std::uint32_t y : it->second) {
          const bool when = id_first[x] == 0 ? true
                            : id_first[y] == 0 ? recent
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
        for (const std::uint32_t r : roots)
          if (r != root && groups[r].established && std::find(candidates.begin(), candidates.end(), r) == candidates.end())
            candidates.push_back(r);  // other orphans do not compete
      }
      std::vector<std::uint32_t> possible;
      for (const std::uint32_t c : namesakes > kCandidatesMax ? std::vector<std::uint32_t>{} : candidates) {
        const Group& cg = groups[c];
        const bool sex_ok = g.sex == 0 || cg.sex == 0 || (g.sex == cg.sex && g.sex != '?');
        // The orphan's adults-only records need the person born by then.
        const bool age_ok = g.born_by == 0 || cg.latest_dob == 0 || cg.latest_dob <= g.born_by;
        if (sex_ok && age_ok && !uf_.conflicts(root, c) && !elsewhere_meanwhile(root, c)) possible.push_back(c);
      }
      if (possible.size() == 1 && namesakes < kNameOnlyMax) {
        joins.emplace_back(root, possible.front());
      } else if (!possible.empty()) {
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
  for (const auto& [orphan, person] : joins) joined += uf_.unite(orphan, person) ? 1 : 0;
  return joined;
}

void Linker::build_index() {
  index_.assign(settings_.blocking_rules.size(), {});
  for (std::size_t k = 0; k < settings_.blocking_rules.size(); ++k) {
    const std::vector<std::uint64_t>* keys = k < plan_.rules.size() ? &plan_.rules[k].keys : nullptr;
    for (std::size_t x = 0; x < table_.n_identities(); ++x) {
      const std::uint64_t key =
          keys && x < keys->size() ? (*keys)[x] : block_key(table_, static_cast<std::uint32_t>(x), settings_.blocking_rules[k]);
      if (key != 0) index_[k][key].push_back(static_cast<std::uint32_t>(x));
    }
  }
  // The per-rule key arrays are no longer needed: the index replaces them.
  plan_ = BlockingPlan();
}

std::vector<std::uint32_t> Linker::candidates(std::uint32_t identity) const {
  std::vector<std::uint32_t> out;
  for (std::size_t k = 0; k < settings_.blocking_rules.size(); ++k) {
    const std::uint64_t key = block_key(table_, identity, settings_.blocking_rules[k]);
    if (key == 0) continue;
    const auto it = index_[k].find(key);
    if (it == index_[k].end()) continue;
    // An oversized block is searched only by the rules that narrow it down.
    if (it->second.size() > settings_.max_block_size) continue;
    for (const std::uint32_t c : it->second)
      if (c != identity) out.push_back(c);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  if (settings_.link_type == LinkType::link_only) {
    const std::uint32_t m = table_.source_mask[identity];
    out.erase(std::remove_if(out.begin(), out.end(),
                             [&](std::uint32_t c) {
                               const std::uint32_t mc = table_.source_mask[c];
                               return m != 0 && mc == m && (m & (m - 1)) == 0;
                             }),
              out.end());
  }
  return out;
}

std::vector<std::string> Linker::person_ids() const {
  if (!clustered_) throw StateError("person_ids: records are not clustered yet (call cluster first)");
  std::vector<std::string> out;
  out.reserve(table_.record_ids.size());
  for (const std::uint32_t id : table_.identity_of) out.push_back(persons_[identity_person_[id]]);
  return out;
}

std::uint32_t Linker::identity_of_record(std::string_view record_id, const char* what) const {
  // Linear in the records: explanations are for people, not loops.
  for (std::size_t rec = 0; rec < table_.record_ids.size(); ++rec)
    if (table_.record_ids[rec] == record_id) return table_.identity_of[rec];
  throw InvalidArgument(fmt::format("{}: no record with that record_id", what));
}

Explanation Linker::explain(std::string_view record_a, std::string_view record_b) const {
  require_fitted("explain");
  const std::uint32_t a = identity_of_record(record_a, "explain");
  const std::uint32_t b = identity_of_record(record_b, "explain");
  const ComparisonVector v = compare_identities(table_, a, b);
  Explanation ex;
  ex.terms.push_back({"prior", "", scorer_.prior()});
  const bool same_first = v[static_cast<std::size_t>(Field::first_name)] == 0 && table_.first_id[a] == table_.first_id[b];
  const bool same_surname = v[static_cast<std::size_t>(Field::surname)] == 0 && table_.surname_id[a] == table_.surname_id[b];
  const bool full_name = same_first && same_surname && settings_.tf_adjustment;
  for (std::size_t f = 0; f < n_fields; ++f) {
    const auto field = static_cast<Field>(f);
    if (v[f] == null_level) {
      ex.terms.push_back({std::string(field_name(field)), "null", 0.0});
      continue;
    }
    const double w = scorer_.level_weight(field, v[f]);
    ex.terms.push_back({std::string(field_name(field)), level_names(field)[v[f]], w});
    if (v[f] == 0) {
      double tf = 0;
      if (field == Field::first_name && same_first && !full_name)
        tf = scorer_.tf_adjustment(field, table_.first_id[a]);
      else if (field == Field::surname && same_surname && !full_name)
        tf = scorer_.tf_adjustment(field, table_.surname_id[a]);
      else if (field == Field::postcode)
        tf = scorer_.tf_adjustment(field, table_.postcode_id[a]);
      if (tf != 0) ex.terms.push_back({std::string(field_name(field)) + " term frequency", "", tf});
    }
  }
  if (full_name && settings_.tf_adjustment)
    ex.terms.push_back({"full name term frequency", "", scorer_.full_name_tf_adjustment(table_.first_id[a], table_.surname_id[a])});
  double discount = 0;
  ex.weight = scorer_.weight(table_, a, b, v, discount);
  if (discount > 0) {
    ex.conflict = true;
    ex.terms.push_back({"household discount", "first name, surname or date of birth disagrees", -discount});
  }
  ex.probability = probability_from_weight(ex.weight);
  return ex;
}

std::vector<Match> Linker::lookup(const Record& record, std::size_t k) {
  if (!clustered_) throw StateError("lookup: records are not clustered yet (call cluster first)");
  const std::size_t n = table_.n_identities();
  const std::uint32_t x = table_.add_scratch(record);
  std::vector<Match> out;
  try {
    std::unordered_map<std::uint32_t, std::size_t> best;  // person -> index in out
    for (const std::uint32_t c : candidates(x)) {
      const ComparisonVector v = compare_identities(table_, x, c);
      double discount = 0;
      const double w = scorer_.weight(table_, x, c, v, discount);
      const std::uint32_t person = identity_person_[c];
      auto it = best.find(person);
      if (it == best.end()) {
        best.emplace(person, out.size());
        out.push_back({persons_[person], table_.record_ids[table_.first_record[c]], w, probability_from_weight(w)});
      } else if (w > out[it->second].weight) {
        out[it->second] = {persons_[person], table_.record_ids[table_.first_record[c]], w, probability_from_weight(w)};
      }
    }
  } catch (...) {
    table_.truncate_identities(n);
    throw;
  }
  table_.truncate_identities(n);
  std::sort(out.begin(), out.end(), [](const Match& p, const Match& q) {
    return p.weight != q.weight ? p.weight > q.weight : p.person_id < q.person_id;
  });
  if (out.size() > k) out.resize(k);
  return out;
}

std::vector<std::uint64_t> Linker::home_keys() const {
  const std::size_t n_ids = table_.n_identities();
  // A written address is keyed by its text and postcode district, so a typo in the inward code
  // does not make a second home; a missing or malformed postcode takes the district the same
  // text has elsewhere.
  std::vector<std::uint32_t> district_of_address(table_.address.size(), 0);
  {
    std::unordered_map<std::uint64_t, std::uint64_t> seen;  // (address, district) -> identities
    for (std::size_t x = 0; x < n_ids; ++x) {
      const std::uint32_t pc = table_.postcode_id[x];
      const std::uint32_t d = pc == 0 ? 0 : table_.postcode_info[pc].district;
      if (table_.address_id[x] != 0 && d != 0) ++seen[(std::uint64_t{table_.address_id[x]} << 32) | d];
    }
    std::vector<std::uint64_t> best_n(table_.address.size(), 0);
    for (const auto& [key, cnt] : seen) {
      const auto a = static_cast<std::uint32_t>(key >> 32);
      const auto d = static_cast<std::uint32_t>(key & 0xffffffffu);
      if (cnt > best_n[a] || (cnt == best_n[a] && d < district_of_address[a])) best_n[a] = cnt, district_of_address[a] = d;
    }
  }
  auto address_key = [&](std::size_t x) {
    const std::uint32_t pc = table_.postcode_id[x];
    std::uint32_t d = pc == 0 ? 0 : table_.postcode_info[pc].district;
    if (d == 0) d = district_of_address[table_.address_id[x]];
    // Outside the UK (no district) the whole postcode keeps apart equal texts.
    const std::uint64_t where = d != 0 ? d : (std::uint64_t{1} << 30) | pc;
    return (std::uint64_t{1} << 62) | (std::uint64_t{table_.address_id[x]} << 31) | where;
  };
  // The same text and full postcode: one street in one district may have namesakes in two
  // villages ("11 Priory Gardens", CM8 1DU and CM8 7GE), which only the inward code tells apart.
  auto exact_key = [&](std::size_t x) {
    return (std::uint64_t{table_.address_id[x]} << 32) | table_.postcode_id[x];
  };
  // An address written on a record without a UPRN resolves to the UPRN other records give it,
  // so "48 Albert Gardens" in one system and property 100090006356 in another are one home: the
  // UPRN given to the same text at the same postcode, else (a typo in the inward code) the one
  // given to it most often in the district.
  using Votes = std::unordered_map<std::uint64_t, std::unordered_map<std::uint32_t, std::uint64_t>>;
  Votes district_votes, exact_votes;
  for (std::size_t x = 0; x < n_ids; ++x)
    if (table_.uprn_id[x] != 0 && table_.address_id[x] != 0) {
      district_votes[address_key(x)][table_.uprn_id[x]] += table_.n_records[x];
      if (table_.postcode_id[x] != 0) exact_votes[exact_key(x)][table_.uprn_id[x]] += table_.n_records[x];
    }
  const auto most_voted = [](const Votes& votes) {
    std::unordered_map<std::uint64_t, std::uint32_t> out;
    for (const auto& [key, votes_of] : votes) {
      std::uint32_t best = 0;
      std::uint64_t best_n = 0;
      for (const auto& [u, n] : votes_of)
        if (n > best_n || (n == best_n && u < best)) best = u, best_n = n;
      out.emplace(key, best);
    }
    return out;
  };
  const auto uprn_in_district = most_voted(district_votes), uprn_at_postcode = most_voted(exact_votes);
  std::vector<std::uint64_t> home_of(n_ids, 0);
  for (std::size_t x = 0; x < n_ids; ++x) {
    if (table_.uprn_id[x] != 0) home_of[x] = (std::uint64_t{1} << 63) | table_.uprn_id[x];
    else if (table_.address_id[x] != 0) {
      const std::uint32_t* uprn = nullptr;
      if (const auto it = uprn_at_postcode.find(exact_key(x)); table_.postcode_id[x] != 0 && it != uprn_at_postcode.end())
        uprn = &it->second;
      else if (const auto jt = uprn_in_district.find(address_key(x)); jt != uprn_in_district.end())
        uprn = &jt->second;
      home_of[x] = uprn != nullptr ? ((std::uint64_t{1} << 63) | *uprn) : address_key(x);
    }
  }
  return home_of;
}

std::vector<double> Linker::address_lag_days(const std::vector<std::uint64_t>& home_of, double fallback,
                                             std::vector<bool>* dates_moves) const {
  // A system learns of a move some while after it, so each of its records shows the address as
  // it was a random delay before the record's date. Persons recorded at one home and then
  // another show that delay: from the first day any system records the new home, a system still
  // shows the old one after t days with probability eps + (1 - eps) exp(-t / lag), where eps
  // allows for records that are not about a move at all (a second home, a misplaced record).
  // Maximum likelihood of lag and eps per source.
  const std::size_t n_sources = table_.sources.size();
  const std::size_t n_persons = persons_.size();
  struct Home {
    std::uint64_t key = 0;
    std::int32_t first = INT32_MAX, last = INT32_MIN;
    std::uint32_t n = 0;
  };
  std::vector<std::array<Home, 2>> homes(n_persons);
  std::vector<std::uint8_t> n_homes(n_persons, 0);  // 3: more than two, or not one move
  const auto dated_home = [&](std::size_t rec, std::int32_t* day) {
    const std::uint64_t home = home_of[table_.identity_of[rec]];
    const std::int32_t d = table_.record_date[rec];
    if (home == 0 || d == 0 || d == PreparedRecords::kCurrentDate) return std::uint64_t{0};
    *day = day_number(d);
    return home;
  };
  for (std::size_t rec = 0; rec < table_.record_ids.size(); ++rec) {
    std::int32_t day = 0;
    const std::uint64_t home = dated_home(rec, &day);
    const std::uint32_t p = identity_person_[table_.identity_of[rec]];
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
  for (std::size_t rec = 0; rec < table_.record_ids.size(); ++rec) {
    std::int32_t day = 0;
    const std::uint64_t home = dated_home(rec, &day);
    const std::uint32_t p = identity_person_[table_.identity_of[rec]];
    if (home == 0 || n_homes[p] != 2) continue;
    const Home& moved_to = homes[p][later[p]];
    if (day <= moved_to.first) continue;
    const std::uint32_t s = table_.record_source[rec];
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
    for (std::size_t rec = 0; rec < table_.record_ids.size(); ++rec) {
      std::int32_t day = 0;
      const std::uint64_t home = dated_home(rec, &day);
      const std::uint32_t p = identity_person_[table_.identity_of[rec]];
      if (home == 0 || n_homes[p] != 2) continue;
      Seen& v = by[(std::uint64_t{p} << 32) | table_.record_source[rec]];
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

std::vector<std::pair<std::string, double>> Linker::address_lags() const {
  if (!clustered_) throw StateError("address_lags: records are not clustered yet (call cluster first)");
  const std::vector<double> lag = address_lag_days(home_keys(), -1);
  std::vector<std::pair<std::string, double>> out;
  for (std::size_t s = 1; s < lag.size(); ++s)
    if (lag[s] >= 0) out.emplace_back(table_.sources.values[s], lag[s]);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<HouseholdMembership> Linker::households(std::int32_t as_of) const {
  if (!clustered_) throw StateError("households: records are not clustered yet (call cluster first)");
  const std::size_t n_persons = persons_.size();
  const std::size_t n_ids = table_.n_identities();
  const std::vector<std::uint64_t> home_of = home_keys();
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
  std::int32_t latest = 0;
  for (const std::int32_t d : table_.record_date)
    if (d != PreparedRecords::kCurrentDate) latest = std::max(latest, d);
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
  std::vector<std::unordered_map<std::uint64_t, Stay>> stays(n_persons);
  const std::int32_t latest_day = latest == 0 ? as_of_day : day_number(latest);
  // Each dated record places its person at its home on its date less its source's lag.
  std::vector<bool> dates_moves;
  const std::vector<double> lag = address_lag_days(home_of, kLagDays, &dates_moves);
  std::vector<Sighting> sightings;
  for (std::size_t rec = 0; rec < table_.record_ids.size(); ++rec) {
    const std::uint32_t x = table_.identity_of[rec];
    if (home_of[x] == 0) continue;
    const std::int32_t d = table_.record_date[rec];
    Stay& st = stays[identity_person_[x]][home_of[x]];
    if (d == 0) {
      st.w += kUndated;
      continue;
    }
    const std::int32_t day = d == PreparedRecords::kCurrentDate ? latest_day : day_number(d);
    if (d != PreparedRecords::kCurrentDate)
      sightings.push_back({identity_person_[x], day - static_cast<std::int32_t>(std::lround(lag[table_.record_source[rec]])),
                           home_of[x], dates_moves[table_.record_source[rec]]});
    const double gap = std::abs(static_cast<double>(day - as_of_day) - kLagDays);
    const double w = std::max(std::exp2(-gap / kHalfLifeDays), 1e-9);  // very old records still break ties
    st.w += w;
    if (d != PreparedRecords::kCurrentDate) {
      st.dated_w += w;
      st.last_dated = std::max(st.last_dated, day);
      if (dates_moves[table_.record_source[rec]]) st.first_moved_in = std::min(st.first_moved_in, day);
    } else {
      st.current = true;
    }
    st.first = std::min(st.first, day);
    st.last = std::max(st.last, day);
  }
  std::vector<std::int32_t> dob(n_persons, 0);
  for (std::size_t x = 0; x < n_ids; ++x) {
    const std::uint32_t p = identity_person_[x];
    const std::int32_t d = table_.dob[x];
    if (d != 0 && d % 100 != 0 && (dob[p] == 0 || d < dob[p])) dob[p] = d;
  }
  // How many persons give each address: between equally weighted addresses a person lives at
  // the one shared with others (the family home, not a one-off address).
  std::unordered_map<std::uint64_t, std::uint32_t> sharers;
  for (const auto& v : stays)
    for (const auto& kv : v) ++sharers[kv.first];
  std::vector<std::uint64_t> own_key(n_persons, 0), current_key(n_persons, 0);
  std::vector<double> strength(n_persons, 0);  // the most dated evidence for one home
  // Where somebody lives now: a register's current row, else the latest record.
  const auto recency = [](const Stay& t) { return std::make_tuple(t.current, t.last, t.w); };
  for (std::size_t p = 0; p < n_persons; ++p) {
    std::uint64_t best = 0, now = 0;
    double best_w = 0;
    std::uint32_t best_s = 0;
    const Stay* now_stay = nullptr;
    for (const auto& [key, st] : stays[p]) {
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
      for (const auto& [key, st] : stays[p]) {
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
      if (stays[p].size() < 2) continue;
      std::uint64_t other = 0;
      double other_w = 0;
      for (const auto& [key, st] : stays[p])
        if (key != own_key[p] && (other == 0 || st.w > other_w || (st.w == other_w && key < other))) other = key, other_w = st.w;
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
    const Stay& mine = stays[p].at(current_key[p]);
    std::unordered_map<std::uint64_t, double> then;  // the leaders' homes on `as_of`, by strength
    if (const auto it = leaders_now.find(current_key[p]); it != leaders_now.end() && it->second.size() <= kResidentsMax)
      for (const std::uint32_t q : it->second) {
        const Stay& theirs = stays[q].at(current_key[p]);
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
    const Stay& at = stays[p].at(own_key[p]);
    if (const auto it = leaders_at.find(own_key[p]); at.last != INT32_MIN && it != leaders_at.end())
      for (const std::uint32_t q : it->second)
        if (stays[q].at(own_key[p]).first > at.last + kOverlapDays) {
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
    if (it == of_key.end()) of_key.emplace(person_key[p], persons_[p]);
    else if (persons_[p] < it->second) it->second = persons_[p];
  }
  std::vector<HouseholdMembership> out(n_persons);
  std::unordered_map<std::string, bool> has_child;
  for (std::size_t p = 0; p < n_persons; ++p) {
    auto& m = out[p];
    m.person_id = persons_[p];
    m.household_id = stable_id('H', person_key[p] == 0 ? persons_[p] : household_of_key[former[p] ? 1 : 0][person_key[p]]);
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

std::vector<std::string> Linker::household_ids(std::int32_t as_of) const {
  const std::vector<HouseholdMembership> h = households(as_of);
  std::vector<std::string> out;
  out.reserve(table_.record_ids.size());
  for (const std::uint32_t id : table_.identity_of) out.push_back(h[identity_person_[id]].household_id);
  return out;
}

std::vector<std::string> link(const std::vector<Record>& records, const Settings& settings,
                              std::vector<std::string>* warnings) {
  Linker linker(settings);
  linker.add_records(records);
  linker.fit();
  linker.predict();
  linker.cluster();
  if (warnings) *warnings = linker.warnings();
  return linker.person_ids();
}

}  // namespace earlyhelp::linkage
