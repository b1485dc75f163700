// SPDX-License-Identifier: Apache-2.0
// The paired bootstrap of comparison.hpp. Each score is sorted once; a resample is a count per
// row, and both metrics are one sweep over the sorted rows with weight x count, the same
// arithmetic as roc_auc() and average_precision() (so counts of 1 give their figures exactly).
#include "earlyhelp/governance/comparison.hpp"

#include "earlyhelp/governance/metrics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <utility>

namespace earlyhelp::governance {
namespace {

// One score sorted once: rows by descending score (as ranked_curve) and where each run of tied
// scores ends.
class Ranked {
 public:
  explicit Ranked(ConstVectorRef score) : order_(detail::descending_order(score)), last_(order_.size()) {
    for (std::size_t j = 0; j < order_.size(); ++j)
      last_[j] = j + 1 == order_.size() || score[order_[j + 1]] != score[order_[j]];
    const auto groups = static_cast<std::size_t>(std::count(last_.begin(), last_.end(), true));
    tps_.resize(groups);
    fps_.resize(groups);
  }

  // (ROC AUC, average precision) with row weights `w`, as roc_auc() and average_precision().
  std::pair<double, double> metrics(ConstVectorRef y, const std::vector<double>& w) {
    double tp = 0, fp = 0;
    std::size_t g = 0;
    for (std::size_t j = 0; j < order_.size(); ++j) {
      const Index i = order_[j];
      tp += y[i] * w[to_size(i)];
      fp += (1.0 - y[i]) * w[to_size(i)];
      if (last_[j]) {
        tps_[g] = tp;
        fps_[g] = fp;
        ++g;
      }
    }
    const double p = tps_.back(), n = fps_.back();
    double area = 0, tp0 = 0, fp0 = 0, ap = 0, recall0 = 0;
    for (std::size_t k = 0; k < tps_.size(); ++k) {
      area += (fps_[k] - fp0) * (tps_[k] + tp0) / 2;
      tp0 = tps_[k];
      fp0 = fps_[k];
      const double recall = tps_[k] / p;
      const double selected = tps_[k] + fps_[k];
      ap += (recall - recall0) * (selected != 0 ? tps_[k] / selected : 0.0);
      recall0 = recall;
    }
    return {area / (p * n), ap};
  }

 private:
  std::vector<Index> order_;
  std::vector<bool> last_;
  std::vector<double> tps_, fps_;
};

// A uniform index in [0, n), n < 2^32, from the top 32 bits (Lemire's multiply-shift).
std::size_t draw_below(std::mt19937_64& rng, std::size_t n) noexcept {
  return static_cast<std::size_t>(((rng() >> 32) * static_cast<std::uint64_t>(n)) >> 32);
}

DifferenceInterval difference_interval(double score, double baseline, std::vector<double> diffs, const BootstrapOptions& o) {
  DifferenceInterval d;
  d.score = score;
  d.baseline = baseline;
  d.difference = score - baseline;
  std::sort(diffs.begin(), diffs.end());
  d.lower = detail::numpy_percentile(diffs, (1 - o.level) / 2);
  d.upper = detail::numpy_percentile(diffs, (1 + o.level) / 2);
  d.verdict = verdict_of(d, o.min_difference);
  return d;
}

// The rows of each cluster, the clusters numbered 0, 1, ... in the order of their ids.
std::vector<std::vector<std::size_t>> cluster_rows(const std::vector<Index>& clusters) {
  std::vector<Index> ids = clusters;
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<std::vector<std::size_t>> rows(ids.size());
  for (std::size_t i = 0; i < clusters.size(); ++i)
    rows[static_cast<std::size_t>(std::lower_bound(ids.begin(), ids.end(), clusters[i]) - ids.begin())].push_back(i);
  return rows;
}

// One resample's draw count per row: whole clusters with replacement, or (no clusters) the
// positives from the positives and the negatives from the negatives.
void draw_counts(std::mt19937_64& rng, const std::vector<std::vector<std::size_t>>& clusters,
                 const std::vector<std::size_t>& pos, const std::vector<std::size_t>& neg, std::vector<double>& w) {
  std::fill(w.begin(), w.end(), 0.0);
  if (!clusters.empty()) {
    for (std::size_t k = 0; k < clusters.size(); ++k)
      for (std::size_t i : clusters[draw_below(rng, clusters.size())]) w[i] += 1;
    return;
  }
  for (std::size_t k = 0; k < pos.size(); ++k) w[pos[draw_below(rng, pos.size())]] += 1;
  for (std::size_t k = 0; k < neg.size(); ++k) w[neg[draw_below(rng, neg.size())]] += 1;
}

std::string resamples_text(const BaselineComparison& c) {
  return c.clusters > 0 ? fmt::format("{} paired resamples of {} clusters", c.resamples, c.clusters)
                        : fmt::format("{} paired resamples", c.resamples);
}

int verdict_rank(Verdict v) noexcept { return v == Verdict::not_beaten ? 0 : (v == Verdict::not_clearly_beaten ? 1 : 2); }
Verdict worse(Verdict a, Verdict b) noexcept { return verdict_rank(a) <= verdict_rank(b) ? a : b; }

std::string metric_text(std::string_view name, const DifferenceInterval& d, double level) {
  return fmt::format("{} {:.4f} vs {:.4f}, difference {:+.4f} ({:g}% interval {:+.4f} to {:+.4f})", name, d.score,
                     d.baseline, d.difference, level * 100, d.lower, d.upper);
}

}  // namespace

std::string_view to_string(Verdict v) noexcept {
  switch (v) {
    case Verdict::beaten: return "beaten";
    case Verdict::not_beaten: return "not beaten";
    case Verdict::not_clearly_beaten: break;
  }
  return "not clearly beaten";
}

Verdict verdict_from_string(std::string_view s) {
  for (Verdict v : {Verdict::beaten, Verdict::not_beaten, Verdict::not_clearly_beaten})
    if (s == to_string(v)) return v;
  earlyhelp::detail::throw_error<InvalidArgument>(
      "verdict: '{}' is not a verdict, expected 'beaten', 'not beaten' or 'not clearly beaten'", s);
}

Verdict verdict_of(const DifferenceInterval& d, double min_difference) noexcept {
  if (d.lower > 0 && d.difference >= min_difference) return Verdict::beaten;
  if (d.upper < 0) return Verdict::not_beaten;
  return Verdict::not_clearly_beaten;
}

BaselineComparison compare_with_baseline(ConstVectorRef y_true, ConstVectorRef score, ConstVectorRef baseline,
                                         std::string baseline_name, const BootstrapOptions& options,
                                         ConstVectorRef weight, const std::vector<Index>& clusters) {
  detail::check_binary_inputs("compare_with_baseline", y_true, score, weight);
  detail::check_binary_inputs("compare_with_baseline (baseline)", y_true, baseline, weight);
  EH_CHECK(options.resamples >= 1, "compare_with_baseline: resamples is {}, expected at least 1", options.resamples);
  EH_CHECK(options.level > 0 && options.level < 1, "compare_with_baseline: level is {}, expected a value in (0, 1)",
           options.level);
  EH_CHECK(options.min_difference >= 0, "compare_with_baseline: min_difference is {}, expected a number >= 0",
           options.min_difference);
  const Index n = y_true.size();
  std::vector<std::size_t> pos, neg;
  for (Index i = 0; i < n; ++i) (y_true[i] == 1.0 ? pos : neg).push_back(to_size(i));
  EH_CHECK(!pos.empty() && !neg.empty(),
           "compare_with_baseline: y_true holds only {} (n={}); AUC and PR AUC need both outcomes",
           pos.empty() ? "negatives" : "positives", n);
  EH_CHECK(n < (Index{1} << 32), "compare_with_baseline: {} rows, at most 2^32 - 1 supported", n);
  EH_CHECK(clusters.empty() || static_cast<Index>(clusters.size()) == n,
           "compare_with_baseline: {} cluster ids for {} rows, expected one per row (or none)", clusters.size(), n);
  const auto groups = clusters.empty() ? std::vector<std::vector<std::size_t>>() : cluster_rows(clusters);
  EH_CHECK(clusters.empty() || groups.size() >= 2,
           "compare_with_baseline: every row is in one cluster; resampling clusters needs at least 2");

  BaselineComparison c;
  c.baseline = std::move(baseline_name);
  c.rows = n;
  c.positives = static_cast<Index>(pos.size());
  c.clusters = static_cast<Index>(groups.size());
  c.resamples = options.resamples;
  c.seed = options.seed;
  c.level = options.level;
  c.min_difference = options.min_difference;
  const double auc_s = roc_auc(y_true, score, weight), auc_b = roc_auc(y_true, baseline, weight);
  const double ap_s = average_precision(y_true, score, weight), ap_b = average_precision(y_true, baseline, weight);

  Ranked rs(score), rb(baseline);
  std::mt19937_64 rng(options.seed);
  std::vector<double> w(to_size(n)), d_auc, d_ap;
  d_auc.reserve(to_size(options.resamples));
  d_ap.reserve(to_size(options.resamples));
  for (int b = 0; b < options.resamples; ++b) {
    draw_counts(rng, groups, pos, neg, w);
    if (weight.size() > 0)
      for (Index i = 0; i < n; ++i) w[to_size(i)] *= weight[i];
    const auto [as, ps] = rs.metrics(y_true, w);
    const auto [ab, pb] = rb.metrics(y_true, w);
    // A weighted draw can leave one class with zero weight; such a resample has no AUC.
    if (std::isfinite(as) && std::isfinite(ab) && std::isfinite(ps) && std::isfinite(pb)) {
      d_auc.push_back(as - ab);
      d_ap.push_back(ps - pb);
    }
  }
  EH_CHECK(!d_auc.empty(), "compare_with_baseline: every resample left one outcome with zero weight");
  c.roc_auc = difference_interval(auc_s, auc_b, std::move(d_auc), options);
  c.pr_auc = difference_interval(ap_s, ap_b, std::move(d_ap), options);
  c.verdict = worse(c.roc_auc.verdict, c.pr_auc.verdict);
  return c;
}

Verdict overall_verdict(const std::vector<BaselineComparison>& comparisons) {
  EH_CHECK(!comparisons.empty(), "overall_verdict: no comparison");
  Verdict v = Verdict::beaten;
  for (const BaselineComparison& c : comparisons) v = worse(v, c.verdict);
  return v;
}

std::string describe(const BaselineComparison& c) {
  return fmt::format("{}: {}; {}; {} positives in {} rows, {} (seed {})", to_string(c.verdict),
                     metric_text("ROC AUC", c.roc_auc, c.level), metric_text("PR AUC", c.pr_auc, c.level),
                     c.positives, c.rows, resamples_text(c), c.seed);
}

std::string verdict_sentence(const std::vector<BaselineComparison>& comparisons, std::string_view what) {
  const Verdict v = overall_verdict(comparisons);
  const BaselineComparison& f = comparisons.front();
  const char* verb = v == Verdict::beaten ? "beats" : v == Verdict::not_beaten ? "does not beat" : "does not clearly beat";
  std::string s = fmt::format("the model {} {} (difference model - baseline, {:g}% interval from {}; "
                              "{} positives in {} rows):",
                              verb, what, f.level * 100, resamples_text(f), f.positives, f.rows);
  for (std::size_t i = 0; i < comparisons.size(); ++i) {
    const BaselineComparison& c = comparisons[i];
    s += fmt::format("{} {}: ROC AUC {:+.4f} ({:+.4f} to {:+.4f}), PR AUC {:+.4f} ({:+.4f} to {:+.4f})",
                     i == 0 ? "" : ";", c.baseline, c.roc_auc.difference, c.roc_auc.lower, c.roc_auc.upper,
                     c.pr_auc.difference, c.pr_auc.lower, c.pr_auc.upper);
  }
  return s;
}

}  // namespace earlyhelp::governance
