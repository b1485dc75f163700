// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/evaluate.hpp"

#include "earlyhelp/core/error.hpp"

#include <unordered_map>

namespace earlyhelp::linkage {

namespace {

std::vector<std::uint32_t> encode(const std::vector<std::string>& labels) {
  std::unordered_map<std::string, std::uint32_t> ids;
  std::vector<std::uint32_t> out(labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i)
    out[i] = ids.emplace(labels[i], static_cast<std::uint32_t>(ids.size())).first->second;
  return out;
}

// Pairs inside groups: all pairs, or only pairs across sources.
struct PairCounter {
  std::unordered_map<std::uint64_t, std::uint64_t> size;                 // group -> records
  std::unordered_map<std::uint64_t, std::uint64_t> group_source;         // (group, source) -> count
  void add(std::uint64_t group, std::uint32_t source, bool cross) {
    ++size[group];
    if (cross) ++group_source[group * 1000003ULL + source];
  }
  std::uint64_t pairs(bool cross) {
    std::uint64_t total = 0;
    for (const auto& [g, n] : size) total += n * (n - 1) / 2;
    if (!cross) return total;
    std::uint64_t same = 0;
    for (const auto& [gs, c] : group_source) same += c * (c - 1) / 2;
    return total - same;
  }
};

}  // namespace

Evaluation evaluate_clusters(const std::vector<std::string>& predicted, const std::vector<std::string>& truth,
                             const std::vector<std::string>* sources) {
  EH_CHECK(predicted.size() == truth.size(), "evaluate: {} predicted labels but {} truth labels",
           predicted.size(), truth.size());
  EH_CHECK(sources == nullptr || sources->size() == truth.size(),
           "evaluate: {} sources but {} truth labels", sources ? sources->size() : 0, truth.size());
  const std::size_t n = truth.size();
  Evaluation ev;
  if (n == 0) return ev;
  const auto p = encode(predicted), t = encode(truth);
  const std::vector<std::uint32_t> s = sources ? encode(*sources) : std::vector<std::uint32_t>(n, 0);
  const bool cross = sources != nullptr;
  PairCounter cp, ct, cc;
  for (std::size_t i = 0; i < n; ++i) {
    cp.add(p[i], s[i], cross);
    ct.add(t[i], s[i], cross);
    cc.add(std::uint64_t{p[i]} << 32 | t[i], s[i], cross);
  }
  ev.predicted_pairs = cp.pairs(cross);
  ev.true_pairs = ct.pairs(cross);
  ev.true_positives = cc.pairs(cross);
  ev.precision = ev.predicted_pairs ? static_cast<double>(ev.true_positives) / static_cast<double>(ev.predicted_pairs) : 1.0;
  ev.recall = ev.true_pairs ? static_cast<double>(ev.true_positives) / static_cast<double>(ev.true_pairs) : 1.0;
  ev.f1 = ev.precision + ev.recall > 0 ? 2 * ev.precision * ev.recall / (ev.precision + ev.recall) : 0.0;
  double bp = 0, br = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double both = static_cast<double>(cc.size[std::uint64_t{p[i]} << 32 | t[i]]);
    bp += both / static_cast<double>(cp.size[p[i]]);
    br += both / static_cast<double>(ct.size[t[i]]);
  }
  ev.bcubed_precision = bp / static_cast<double>(n);
  ev.bcubed_recall = br / static_cast<double>(n);
  ev.bcubed_f1 = 2 * ev.bcubed_precision * ev.bcubed_recall / (ev.bcubed_precision + ev.bcubed_recall);
  return ev;
}

double households_correct(const std::vector<std::string>& predicted, const std::vector<std::string>& truth) {
  EH_CHECK(predicted.size() == truth.size(), "households_correct: {} predicted labels but {} true labels",
           predicted.size(), truth.size());
  if (predicted.empty()) return 1.0;
  // Member i is right when its predicted and true groups are one set: both as large as their
  // intersection.
  const std::vector<std::uint32_t> p = encode(predicted), t = encode(truth);
  std::vector<std::size_t> n_pred(predicted.size(), 0), n_truth(truth.size(), 0);
  std::unordered_map<std::uint64_t, std::size_t> n_both;
  auto both = [&](std::size_t i) { return (std::uint64_t{p[i]} << 32) | t[i]; };
  for (std::size_t i = 0; i < p.size(); ++i) {
    ++n_pred[p[i]];
    ++n_truth[t[i]];
    ++n_both[both(i)];
  }
  std::size_t ok = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const std::size_t b = n_both[both(i)];
    ok += b == n_pred[p[i]] && b == n_truth[t[i]];
  }
  return static_cast<double>(ok) / static_cast<double>(predicted.size());
}

}  // namespace earlyhelp::linkage
