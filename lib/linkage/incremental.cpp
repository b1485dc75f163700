// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/incremental.hpp"

#include "earlyhelp/linkage/comparison.hpp"
#include "earlyhelp/linkage/pair_conflict.hpp"
#include "earlyhelp/linkage/person_rules.hpp"

#include <algorithm>

namespace earlyhelp::linkage {

CandidateIndex::CandidateIndex(const PreparedRecords& r, const std::vector<BlockingRule>& rules, const BlockingPlan& plan)
    : rules_(rules), index_(rules.size()) {
  for (std::size_t k = 0; k < rules_.size(); ++k) {
    const std::vector<std::uint64_t>* keys = k < plan.rules.size() ? &plan.rules[k].keys : nullptr;
    for (std::size_t x = 0; x < r.n_identities(); ++x) {
      const std::uint64_t key =
          keys && x < keys->size() ? (*keys)[x] : block_key(r, static_cast<std::uint32_t>(x), rules_[k]);
      if (key != 0) index_[k][key].push_back(static_cast<std::uint32_t>(x));
    }
  }
}

void CandidateIndex::add(const PreparedRecords& r, std::uint32_t x) {
  for (std::size_t k = 0; k < rules_.size(); ++k) {
    const std::uint64_t key = block_key(r, x, rules_[k]);
    if (key != 0) index_[k][key].push_back(x);
  }
}

std::vector<std::uint32_t> CandidateIndex::candidates(const PreparedRecords& r, std::uint32_t identity,
                                                      std::size_t max_block_size, bool link_only) const {
  std::vector<std::uint32_t> out;
  for (std::size_t k = 0; k < rules_.size(); ++k) {
    const std::uint64_t key = block_key(r, identity, rules_[k]);
    if (key == 0) continue;
    const auto it = index_[k].find(key);
    if (it == index_[k].end()) continue;
    // An oversized block is searched only by the rules that narrow it down.
    if (it->second.size() > max_block_size) continue;
    for (const std::uint32_t c : it->second)
      if (c != identity) out.push_back(c);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  if (link_only) {
    const std::uint32_t m = r.source_mask[identity];
    out.erase(std::remove_if(out.begin(), out.end(),
                             [&](std::uint32_t c) {
                               const std::uint32_t mc = r.source_mask[c];
                               return m != 0 && mc == m && (m & (m - 1)) == 0;
                             }),
              out.end());
  }
  return out;
}

namespace {

// A new identity joined to an existing person takes its id; the others form new persons named
// after their smallest record id.
void assign_new_persons(const PreparedRecords& r, std::size_t first_new, const std::vector<Edge>& new_edges,
                        ConstrainedUnionFind& uf, std::vector<std::uint32_t>& identity_person,
                        std::vector<std::string>& person_ids) {
  const std::size_t n = r.n_identities();
  // Propagated along joined edges.
  bool changed = true;
  while (changed) {
    changed = false;
    for (const Edge& e : new_edges) {
      if (uf.find(e.a) != uf.find(e.b)) continue;
      std::uint32_t& pa = identity_person[e.a];
      std::uint32_t& pb = identity_person[e.b];
      if (pa == UINT32_MAX && pb != UINT32_MAX) pa = pb, changed = true;
      else if (pb == UINT32_MAX && pa != UINT32_MAX) pb = pa, changed = true;
    }
  }
  std::unordered_map<std::uint32_t, std::string> smallest;
  for (std::size_t rec = 0; rec < r.record_ids.size(); ++rec) {
    const std::uint32_t id = r.identity_of[rec];
    if (id < first_new || identity_person[id] != UINT32_MAX) continue;
    const std::uint32_t root = uf.find(id);
    auto it = smallest.find(root);
    if (it == smallest.end()) smallest.emplace(root, r.record_ids[rec]);
    else if (r.record_ids[rec] < it->second) it->second = r.record_ids[rec];
  }
  std::unordered_map<std::uint32_t, std::uint32_t> root_person;
  for (std::size_t x = first_new; x < n; ++x) {
    if (identity_person[x] != UINT32_MAX) continue;
    const std::uint32_t root = uf.find(static_cast<std::uint32_t>(x));
    auto it = root_person.find(root);
    if (it == root_person.end()) {
      it = root_person.emplace(root, static_cast<std::uint32_t>(person_ids.size())).first;
      person_ids.push_back(stable_id('P', smallest[root]));
    }
    identity_person[x] = it->second;
  }
  for (std::size_t x = first_new; x < n; ++x) uf.close(static_cast<std::uint32_t>(x));
}

}  // namespace

void link_new_identities(const PreparedRecords& r, std::size_t first_new, const FellegiSunter& scorer,
                         const Settings& settings, CandidateIndex& index, ConstrainedUnionFind& uf,
                         std::vector<std::uint32_t>& identity_person, std::vector<std::string>& person_ids,
                         const PersonGuard* guard, const SourceAges* ages) {
  const std::size_t n = r.n_identities();
  uf.resize(n);
  for (std::size_t x = first_new; x < n; ++x) uf.set_dob(static_cast<std::uint32_t>(x), r.dob[x], r.source_mask[x]);
  if (ages != nullptr) {
    const std::vector<BirthWindow> windows = birth_windows(r, *ages, first_new);
    for (std::size_t x = first_new; x < n; ++x)
      if (windows[x].known()) uf.set_birth_window(static_cast<std::uint32_t>(x), windows[x].earliest, windows[x].latest);
  }
  if (guard != nullptr) {
    const std::vector<std::uint32_t> evidence = person_evidence_ids(r);
    for (std::size_t x = first_new; x < n; ++x)
      if (evidence[x] != 0) uf.set_person(static_cast<std::uint32_t>(x), evidence[x]);
    for (std::size_t x = first_new; x < n; ++x) {
      const auto xi = static_cast<std::uint32_t>(x);
      uf.set_name(xi, first_name_for_rules(r, xi), r.source_mask[x]);
    }
    const std::vector<DaySpan> spans = identity_spans(r, first_new);
    for (std::size_t x = first_new; x < n; ++x)
      uf.set_stay(static_cast<std::uint32_t>(x), spans[x].place, spans[x].first, spans[x].last);
  }
  identity_person.resize(n, UINT32_MAX);
  const double threshold = weight_from_probability(settings.match_threshold);
  const bool link_only = settings.link_type == LinkType::link_only;
  std::vector<Edge> edges;
  for (std::size_t x = first_new; x < n; ++x) {
    const auto xi = static_cast<std::uint32_t>(x);
    for (const std::uint32_t c : index.candidates(r, xi, settings.max_block_size, link_only)) {
      const ComparisonVector v = compare_identities(r, xi, c);
      double discount = 0;
      const double w = scorer.weight(r, xi, c, v, discount);
      if (w >= threshold) {
        if (guard == nullptr || !(*guard)(xi, c)) edges.push_back({c, xi, w});
      }
      else if (keep_apart(r, scorer, v, xi, c, guard != nullptr)) uf.cannot_link(c, xi);
    }
    index.add(r, xi);
  }
  cluster_edges(edges, uf, /*keep_closed_apart=*/true, &r.dob, guard);
  assign_new_persons(r, first_new, edges, uf, identity_person, person_ids);
}

}  // namespace earlyhelp::linkage
