// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Does a model beat a baseline score on the same cases, or is the difference within the noise
/// of the sample? A paired, outcome-stratified bootstrap of the difference in ROC AUC and in PR
/// AUC (average precision) between two scores of the same cases, with a percentile interval,
/// and the verdict read from the interval.
///
/// - Paired: each resample draws cases (the evaluation's units: persons for a person-level
///   domain, families for a family-level one) and scores both the model and the baseline on the
///   same draw, so what the two share (an easy or a hard sample) cancels in the difference.
/// - Stratified by outcome: the positives are drawn with replacement from the positives, the
///   negatives from the negatives, so every resample has as many of each as the sample (an AUC
///   needs both).
/// - Clustered (optional): when the cases come in clusters whose outcomes and scores move together
///   (the councils of a pooled evaluation, the members of a household), rows are not independent
///   and a row bootstrap makes the interval too narrow. Given a cluster per row, each resample
///   draws as many clusters as there are, with replacement, and takes every row of each drawn
///   cluster (not stratified: a cluster holds both outcomes). The top level of Davison and Hinkley
///   (1997) "Bootstrap Methods and their Application", section 3.8 (hierarchical data).
/// - Percentile interval: the (1 - level) / 2 and (1 + level) / 2 percentiles of the resampled
///   differences (numpy's linear percentile). The point difference is the full sample's.
/// - Reproducible: resamples come from std::mt19937_64 (its output is fixed by the standard) with
///   our own draw of an index, so a seed gives the same interval with any standard library.
///
/// The verdict (verdict_of): "beaten" when the interval's lower bound is above 0 (and the point
/// difference at least `min_difference`), "not beaten" when its upper bound is below 0 (the
/// baseline is clearly better), else "not clearly beaten" (the sample cannot tell them apart).
/// A comparison's verdict needs both metrics: beaten on both, not beaten if either is not
/// beaten, else not clearly beaten.
///
/// Reference: Efron and Tibshirani (1993) "An Introduction to the Bootstrap", ch. 13 (percentile
/// intervals) and 16 (paired differences).
///
/// Example:
/// @code
/// using namespace earlyhelp::governance;
/// BootstrapOptions opt;  // 1000 resamples, seed 0, 95%
/// BaselineComparison c = compare_with_baseline(y, model_score, activity_count, "activity", opt);
/// if (c.verdict == Verdict::beaten) ...;
/// std::string why = describe(c);  // the verdict with its numbers
/// @endcode

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/types.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace earlyhelp::governance {

/// How to bootstrap a difference.
struct BootstrapOptions {
  int resamples = 1000;        ///< B, at least 1
  std::uint64_t seed = 0;      ///< same seed, same interval
  double level = 0.95;         ///< the interval's coverage, in (0, 1)
  double min_difference = 0;   ///< "beaten" also needs the point difference at least this (>= 0)
};

/// Is the baseline beaten?
enum class Verdict {
  beaten,              ///< the interval lies above 0 (and the difference reaches min_difference)
  not_beaten,          ///< the interval lies below 0: the baseline is better
  not_clearly_beaten,  ///< the interval holds 0: too few cases to tell
};

/// "beaten", "not beaten" or "not clearly beaten".
std::string_view to_string(Verdict v) noexcept;
/// Parses what to_string writes. @throws InvalidArgument otherwise.
Verdict verdict_from_string(std::string_view s);

/// One metric of a paired comparison.
struct DifferenceInterval {
  double score = 0;       ///< the metric of the score (the model) on the whole sample
  double baseline = 0;    ///< the metric of the baseline on the whole sample
  double difference = 0;  ///< score - baseline
  double lower = 0, upper = 0;  ///< the percentile interval of the difference
  Verdict verdict = Verdict::not_clearly_beaten;
};

/// The verdict of one interval (see the file comment).
Verdict verdict_of(const DifferenceInterval& d, double min_difference = 0) noexcept;

/// A score against one baseline on the same cases.
struct BaselineComparison {
  std::string baseline;  ///< its name, e.g. "activity, household"
  Index rows = 0, positives = 0;
  Index clusters = 0;    ///< the clusters drawn whole by each resample; 0: rows, stratified by outcome
  int resamples = 0;
  std::uint64_t seed = 0;
  double level = 0.95, min_difference = 0;
  DifferenceInterval roc_auc, pr_auc;  ///< pr_auc: average precision
  Verdict verdict = Verdict::not_clearly_beaten;  ///< from both metrics (file comment)
};

/// Bootstraps the difference in ROC AUC and average precision between `score` and `baseline`
/// (each row one case; `weight` as in metrics.hpp, multiplied by each case's draw count).
/// `clusters`: empty (rows are resampled, stratified by outcome), or one cluster id per row (any
/// integers; the rows sharing one are drawn together: see the file comment).
/// The point figures equal roc_auc() and average_precision() (so scikit-learn's).
/// @throws InvalidArgument on bad input (metrics.hpp's checks for both scores), one outcome
///         class only, resamples < 1, a level outside (0, 1), min_difference < 0 or NaN, or
///         `clusters` not one per row or fewer than 2 distinct.
/// Complexity O(n log n + resamples x n).
BaselineComparison compare_with_baseline(ConstVectorRef y_true, ConstVectorRef score, ConstVectorRef baseline,
                                         std::string baseline_name, const BootstrapOptions& options = {},
                                         ConstVectorRef weight = Eigen::VectorXd(),
                                         const std::vector<Index>& clusters = {});

/// The worst verdict of several comparisons (not beaten < not clearly beaten < beaten): a model
/// beats "the baseline" only when it beats every baseline it is compared with.
/// @throws InvalidArgument when `comparisons` is empty.
Verdict overall_verdict(const std::vector<BaselineComparison>& comparisons);

/// The verdict in words with its numbers, e.g. "not clearly beaten: ROC AUC 0.6750 vs 0.6513,
/// difference +0.0237 (95% interval -0.0151 to +0.0624); PR AUC 0.0145 vs 0.0133, difference
/// +0.0012 (95% interval -0.0040 to +0.0061); 112 positives in 17005 rows, 1000 paired resamples"
/// (with clusters: "..., 1000 paired resamples of 64 clusters").
std::string describe(const BaselineComparison& c);

/// The overall verdict of several comparisons in one sentence, e.g. "the model does not clearly
/// beat the activity baseline (difference model - baseline, 95% interval from 1000 paired
/// resamples [of 64 clusters]; 112 positives in 17005 rows): person: ROC AUC +0.0237 (-0.0151 to +0.0624), PR AUC
/// +0.0012 (-0.0040 to +0.0061); household: ...". The verb is "beats", "does not beat" (an
/// interval below 0) or "does not clearly beat" (overall_verdict).
/// @param what what the baselines are, e.g. "the activity baseline"
/// @throws InvalidArgument when `comparisons` is empty.
std::string verdict_sentence(const std::vector<BaselineComparison>& comparisons,
                             std::string_view what = "the baseline");

}  // namespace earlyhelp::governance
