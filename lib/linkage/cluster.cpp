// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/cluster.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace earlyhelp::linkage {

void ConstrainedUnionFind::resize(std::size_t n) {
  const std::size_t old = parent_.size();
  parent_.resize(n);
  rank_.resize(n, 0);
  cannot_.resize(n);
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

bool ConstrainedUnionFind::conflicts(std::uint32_t a, std::uint32_t b) noexcept {
  std::uint32_t ra = find(a), rb = find(b);
  if (ra == rb) return false;
  if (cannot_[ra].size() > cannot_[rb].size()) std::swap(ra, rb);
  for (std::size_t i = 0; i < cannot_[ra].size(); ++i)
    if (find(cannot_[ra][i]) == rb) return true;
  return false;
}

bool ConstrainedUnionFind::unite(std::uint32_t a, std::uint32_t b) {
  std::uint32_t ra = find(a), rb = find(b);
  if (ra == rb) return true;
  if (conflicts(ra, rb)) return false;
  if (rank_[ra] < rank_[rb]) std::swap(ra, rb);
  parent_[rb] = ra;
  if (rank_[ra] == rank_[rb]) ++rank_[ra];
  closed_[ra] = static_cast<std::uint8_t>(closed_[ra] | closed_[rb]);
  auto& into = cannot_[ra];
  auto& from = cannot_[rb];
  into.insert(into.end(), from.begin(), from.end());
  std::vector<std::uint32_t>().swap(from);
  // Compact now and then so lists of merged groups do not grow without bound.
  if (into.size() > 64) {
    for (auto& x : into) x = find(x);
    std::sort(into.begin(), into.end());
    into.erase(std::unique(into.begin(), into.end()), into.end());
  }
  return true;
}

void cluster_edges(std::vector<Edge>& edges, ConstrainedUnionFind& uf, bool keep_closed_apart) {
  std::sort(edges.begin(), edges.end(), [](const Edge& x, const Edge& y) {
    if (x.weight != y.weight) return x.weight > y.weight;
    if (x.a != y.a) return x.a < y.a;
    return x.b < y.b;
  });
  for (const Edge& e : edges) {
    if (keep_closed_apart && uf.find(e.a) != uf.find(e.b) && uf.closed(e.a) && uf.closed(e.b)) continue;
    uf.unite(e.a, e.b);
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
