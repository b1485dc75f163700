// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/cluster.hpp"

#include "earlyhelp/linkage/dates.hpp"
#include "earlyhelp/linkage/source_ages.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace earlyhelp::linkage {

void ConstrainedUnionFind::resize(std::size_t n) {
  const std::size_t old = parent_.size();
  parent_.resize(n);
  rank_.resize(n, 0);
  cannot_.resize(n);
  dobs_.resize(n);
  earliest_.resize(n, BirthWindow::kOpen);
  latest_.resize(n, INT32_MAX);
  persons_.resize(n);
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

void ConstrainedUnionFind::set_dob(std::uint32_t x, std::int32_t dob) {
  auto& d = dobs_[find(x)];
  if (dob != 0 && std::find(d.begin(), d.end(), dob) == d.end()) d.push_back(dob);
}

void ConstrainedUnionFind::set_birth_window(std::uint32_t x, std::int32_t earliest, std::int32_t latest) {
  const std::uint32_t root = find(x);
  earliest_[root] = std::max(earliest_[root], earliest);
  latest_[root] = std::min(latest_[root], latest);
}

namespace {

// Whether some date of birth of `dobs` may fall inside the window (true when there is none).
bool some_dob_within(const std::vector<std::int32_t>& dobs, std::int32_t earliest, std::int32_t latest) {
  if (dobs.empty() || (earliest == BirthWindow::kOpen && latest == INT32_MAX)) return true;
  return std::any_of(dobs.begin(), dobs.end(), [&](std::int32_t d) {
    const auto [lo, hi] = dob_days(d);
    return lo <= latest && hi >= earliest;
  });
}

}  // namespace

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
  if (std::max(earliest_[ra], earliest_[rb]) > std::min(latest_[ra], latest_[rb])) return true;
  if (!some_dob_within(dobs_[ra], earliest_[rb], latest_[rb]) || !some_dob_within(dobs_[rb], earliest_[ra], latest_[ra]))
    return true;
  if (dob_guard && !dobs_[ra].empty() && !dobs_[rb].empty()) {
    const auto& other = dobs_[rb];
    const bool one_person = std::any_of(dobs_[ra].begin(), dobs_[ra].end(), [&](std::int32_t x) {
      return std::any_of(other.begin(), other.end(), [&](std::int32_t y) { return could_be_one_dob(x, y); });
    });
    if (!one_person) return true;
  }
  if (cannot_[ra].size() > cannot_[rb].size()) std::swap(ra, rb);
  for (std::size_t i = 0; i < cannot_[ra].size(); ++i)
    if (find(cannot_[ra][i]) == rb) return true;
  return false;
}

bool ConstrainedUnionFind::unite(std::uint32_t a, std::uint32_t b, bool dob_guard, const PersonGuard* guard) {
  std::uint32_t ra = find(a), rb = find(b);
  if (ra == rb) return true;
  if (conflicts(ra, rb, dob_guard, guard)) return false;
  if (rank_[ra] < rank_[rb]) std::swap(ra, rb);
  parent_[rb] = ra;
  if (rank_[ra] == rank_[rb]) ++rank_[ra];
  closed_[ra] = static_cast<std::uint8_t>(closed_[ra] | closed_[rb]);
  earliest_[ra] = std::max(earliest_[ra], earliest_[rb]);
  latest_[ra] = std::min(latest_[ra], latest_[rb]);
  auto& into = cannot_[ra];
  auto& from = cannot_[rb];
  into.insert(into.end(), from.begin(), from.end());
  std::vector<std::uint32_t>().swap(from);
  // A group's dates of birth: a few distinct ones at most (typos), so a short list.
  constexpr std::size_t kDobsMax = 8;
  for (const std::int32_t d : dobs_[rb])
    if (dobs_[ra].size() < kDobsMax && std::find(dobs_[ra].begin(), dobs_[ra].end(), d) == dobs_[ra].end()) dobs_[ra].push_back(d);
  std::vector<std::int32_t>().swap(dobs_[rb]);
  for (const auto& entry : persons_[rb]) {  // not a structured binding: clang 14 cannot capture one
    const std::uint32_t e = entry.first;
    if (std::none_of(persons_[ra].begin(), persons_[ra].end(), [&](const auto& p) { return p.first == e; }))
      persons_[ra].push_back(entry);
  }
  std::vector<std::pair<std::uint32_t, std::uint32_t>>().swap(persons_[rb]);
  // Compact now and then so lists of merged groups do not grow without bound.
  if (into.size() > 64) {
    for (auto& x : into) x = find(x);
    std::sort(into.begin(), into.end());
    into.erase(std::unique(into.begin(), into.end()), into.end());
  }
  return true;
}

void cluster_edges(std::vector<Edge>& edges, ConstrainedUnionFind& uf, bool keep_closed_apart,
                   const std::vector<std::int32_t>* dob_of, const PersonGuard* guard) {
  std::sort(edges.begin(), edges.end(), [](const Edge& x, const Edge& y) {
    if (x.weight != y.weight) return x.weight > y.weight;
    if (x.a != y.a) return x.a < y.a;
    return x.b < y.b;
  });
  for (const Edge& e : edges) {
    if (keep_closed_apart && uf.find(e.a) != uf.find(e.b) && uf.closed(e.a) && uf.closed(e.b)) continue;
    const bool scored_on_dob = dob_of != nullptr && (*dob_of)[e.a] != 0 && (*dob_of)[e.b] != 0;
    uf.unite(e.a, e.b, !scored_on_dob, guard);
  }
}

std::string stable_id(char prefix, std::string_view key) {
  std::uint64_t h = 0xCBF29CE484222325ULL;
  for (const char c : key) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001B3ULL;
  }
  return fmt::format("{}{:016x}", prefix, h);
}

}  // namespace earlyhelp::linkage
