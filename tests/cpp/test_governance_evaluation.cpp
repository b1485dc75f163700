// SPDX-License-Identifier: Apache-2.0
// Evaluation metrics, fairness by group and the evaluation writers: hand-computed cases.
// Agreement with scikit-learn on random inputs is tested in tests/python/test_evaluation.py.
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/governance/evaluation.hpp"
#include "earlyhelp/governance/evaluation_report.hpp"
#include "earlyhelp/governance/fairness.hpp"
#include "earlyhelp/governance/metrics.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

using namespace earlyhelp;
using namespace earlyhelp::governance;

namespace {
Eigen::VectorXd vec(std::initializer_list<double> v) {
  Eigen::VectorXd out(static_cast<Index>(v.size()));
  Index i = 0;
  for (double x : v) out[i++] = x;
  return out;
}
// Six rows with a positive and a negative tied at 0.5.
const Eigen::VectorXd y6 = vec({0, 1, 0, 1, 1, 0});
const Eigen::VectorXd s6 = vec({0.2, 0.5, 0.5, 0.9, 0.1, 0.3});
}  // namespace

TEST_SUITE("governance") {
  TEST_CASE("governance.metrics: ROC AUC, average precision and Brier score by hand, ties included") {
    // Positive-negative pairs ordered right: 0.5 beats 0.2 and 0.3 and ties 0.5 (half); 0.9 beats
    // all three; 0.1 none: (2.5 + 3 + 0) / 9.
    CHECK(roc_auc(y6, s6) == doctest::Approx(5.5 / 9).epsilon(1e-12));
    // Thresholds 0.9 (R 1/3, P 1), 0.5 (R 2/3, P 2/3), 0.3 and 0.2 (no recall gained), 0.1 (R 1, P 1/2).
    CHECK(average_precision(y6, s6) == doctest::Approx(1.0 / 3 + 2.0 / 9 + 1.0 / 6).epsilon(1e-12));
    CHECK(brier_score(y6, s6) == doctest::Approx(1.45 / 6).epsilon(1e-12));
    CHECK(roc_auc(vec({0, 1}), vec({0.3, 0.3})) == doctest::Approx(0.5));
    CHECK(roc_auc(vec({0, 0, 1}), vec({-5, 2, 7})) == doctest::Approx(1.0));  // any real scores
  }

  TEST_CASE("governance.metrics: integer weights equal repeated rows") {
    const Eigen::VectorXd w = vec({1, 2, 1, 3, 1, 2});
    std::vector<double> yy, ss;
    for (Index i = 0; i < 6; ++i)
      for (int r = 0; r < static_cast<int>(w[i]); ++r) {
        yy.push_back(y6[i]);
        ss.push_back(s6[i]);
      }
    const Eigen::Map<const Eigen::VectorXd> y(yy.data(), to_index(yy.size())), s(ss.data(), to_index(ss.size()));
    CHECK(roc_auc(y6, s6, w) == doctest::Approx(roc_auc(y, s)).epsilon(1e-12));
    CHECK(average_precision(y6, s6, w) == doctest::Approx(average_precision(y, s)).epsilon(1e-12));
    CHECK(brier_score(y6, s6, w) == doctest::Approx(brier_score(y, s)).epsilon(1e-12));
    CHECK(expected_calibration_error(y6, s6, 4, Binning::uniform, w) ==
          doctest::Approx(expected_calibration_error(y, s, 4)).epsilon(1e-12));
  }

  TEST_CASE("governance.metrics: selection at a threshold and at top k, tied places shared") {
    const Confusion at = confusion(y6, threshold_selection(s6, 0.5));
    CHECK(at.true_positives == 2);
    CHECK(at.false_positives == 1);
    CHECK(at.precision() == doctest::Approx(2.0 / 3));
    CHECK(at.recall() == doctest::Approx(2.0 / 3));
    // Top 2: 0.9 is in; the two rows at 0.5 share the one place left, half each.
    const Eigen::VectorXd sel = top_k_selection(s6, 2);
    CHECK(sel[3] == 1.0);
    CHECK(sel[1] == 0.5);
    CHECK(sel[2] == 0.5);
    CHECK(sel.sum() == 2.0);
    const Confusion top = confusion(y6, sel);
    CHECK(top.precision() == doctest::Approx(0.75));
    CHECK(top.recall() == doctest::Approx(0.5));
    CHECK(top.false_positive_rate() == doctest::Approx(0.5 / 3));
    CHECK(top.false_negative_rate() == doctest::Approx(0.5));
    CHECK(top.selection_rate() == doctest::Approx(2.0 / 6));
    // Row order does not change the figures.
    const Eigen::VectorXd y_rev = y6.reverse(), s_rev = s6.reverse();
    CHECK(confusion(y_rev, top_k_selection(s_rev, 2)).precision() == doctest::Approx(0.75));
    // Nothing selected: precision undefined (NaN), recall 0.
    const Confusion none = confusion(y6, threshold_selection(s6, 2.0));
    CHECK(std::isnan(none.precision()));
    CHECK(none.recall() == 0.0);
    CHECK(top_k_selection(s6, 50).sum() == 6.0);
    CHECK(Selection::top(100).label() == "top 100");
    CHECK(Selection::at_threshold(0.3).label() == "score >= 0.3");
    CHECK_THROWS_AS(Selection::top(0), InvalidArgument);
    CHECK_THROWS_AS(top_k_selection(s6, 0), InvalidArgument);
    CHECK_THROWS_AS(threshold_selection(s6, std::nan("")), InvalidArgument);
  }

  TEST_CASE("governance.metrics: calibration curve and ECE by hand") {
    // Two equal-width bins: [0, 0.5] holds 0.2, 0.5, 0.5, 0.1, 0.3 (a score on an edge goes to
    // the bin below, as numpy.searchsorted); (0.5, 1] holds 0.9.
    const CalibrationCurve c = calibration_curve(y6, s6, 2);
    REQUIRE(c.bins.size() == 2);
    CHECK(c.bins[0].rows == 5);
    CHECK(c.bins[0].mean_score == doctest::Approx(0.32));
    CHECK(c.bins[0].observed_rate == doctest::Approx(0.4));
    CHECK(c.bins[1].rows == 1);
    CHECK(c.bins[1].upper == 1.0);
    CHECK(c.ece == doctest::Approx(5.0 / 6 * 0.08 + 1.0 / 6 * 0.1).epsilon(1e-12));
    // Empty bins are kept, with NaN means, and do not count in the ECE.
    const CalibrationCurve c10 = calibration_curve(y6, s6, 10);
    CHECK(c10.bins[7].rows == 0);
    CHECK(std::isnan(c10.bins[7].mean_score));
    // Quantile bins hold equal counts: edges at the percentiles of the six scores.
    const CalibrationCurve q = calibration_curve(y6, s6, 3, Binning::quantile);
    CHECK(q.bins[0].rows == 2);
    CHECK(q.bins[1].rows + q.bins[2].rows == 4);
    CHECK(binning_from_string("quantile") == Binning::quantile);
    CHECK_THROWS_AS(binning_from_string("equal"), InvalidArgument);
  }

  TEST_CASE("governance.metrics: degenerate input is a clear InvalidArgument, never a crash") {
    CHECK_THROWS_WITH_AS(roc_auc(vec({0, 0}), vec({0.1, 0.2})),
                         "roc_auc: y_true holds only negatives (n=2); the AUC needs both outcomes", InvalidArgument);
    CHECK_THROWS_AS(roc_auc(vec({1, 1}), vec({0.1, 0.2})), InvalidArgument);
    CHECK_THROWS_AS(average_precision(vec({0, 0}), vec({0.1, 0.2})), InvalidArgument);
    CHECK_THROWS_WITH_AS(roc_auc(vec({0, 1, 1}), vec({0.1, 0.2, std::nan("")})),
                         "roc_auc: score[2] is nan, expected a finite number", InvalidArgument);
    CHECK_THROWS_WITH_AS(brier_score(vec({0, 2}), vec({0.1, 0.2})), "brier_score: y_true[1] is 2, expected 0 or 1",
                         InvalidArgument);
    CHECK_THROWS_AS(brier_score(vec({0, 1}), vec({0.1, 1.5})), InvalidArgument);
    CHECK_THROWS_AS(roc_auc(vec({0, 1}), vec({0.1})), InvalidArgument);
    CHECK_THROWS_AS(roc_auc(Eigen::VectorXd(), Eigen::VectorXd()), InvalidArgument);
    CHECK_THROWS_AS(roc_auc(vec({0, 1}), vec({0.1, 0.2}), vec({1, -1})), InvalidArgument);
    CHECK_THROWS_AS(roc_auc(vec({0, 1}), vec({0.1, 0.2}), vec({0, 0})), InvalidArgument);
    CHECK_THROWS_AS(calibration_curve(y6, s6, 0), InvalidArgument);
  }

  TEST_CASE("governance.fairness: groups too small are reported with counts, not hidden") {
    // 40 rows: group "A" holds 30 with 12 positives; "B" 8 with 3 positives; 2 rows unlabelled.
    std::vector<double> yy, ss;
    GroupColumn col{"sex", {}};
    for (int i = 0; i < 40; ++i) {
      const bool a = i < 30, missing = i >= 38;
      col.values.push_back(missing ? "" : (a ? "A" : "B"));
      yy.push_back((a && i % 5 < 2) || (!a && i % 3 == 0) ? 1.0 : 0.0);
      ss.push_back(0.01 + 0.02 * (i % 17) + 0.3 * yy.back());
    }
    const Eigen::Map<const Eigen::VectorXd> y(yy.data(), 40), s(ss.data(), 40);
    const auto rows = metrics_by_group(y, s, col, {Selection::top(10), Selection::at_threshold(0.3)});
    REQUIRE(rows.size() == 6);  // A, B, (missing) x two rules
    CHECK(rows[0].group == "A");
    CHECK(rows[0].selection == "top 10");
    CHECK(rows[0].judged);
    CHECK(rows[0].rows == 30);
    CHECK(rows[0].positives == 12);
    CHECK(rows[0].auc == doctest::Approx(1.0));  // every positive scores 0.3 above its negatives
    CHECK(rows[0].calibration_in_the_large == doctest::Approx(rows[0].mean_score - 0.4));
    CHECK(rows[2].group == "B");
    CHECK_FALSE(rows[2].judged);
    CHECK(rows[2].rows == 8);
    CHECK(rows[2].positives == 3);
    CHECK(rows[2].note == "3 positives, fewer than 10");
    CHECK(std::isnan(rows[2].rates.precision));
    CHECK(std::isnan(rows[2].auc));
    CHECK(rows[4].group == kMissingGroup);
    CHECK(rows[4].rows == 2);
    double selected = 0;
    for (std::size_t i = 0; i < rows.size(); i += 2) selected += rows[i].selected;
    CHECK(selected == doctest::Approx(10.0));  // the top 10 are shared out among the groups
    // The same rates as the overall functions on the group's rows.
    std::vector<double> ya, sa;
    for (int i = 0; i < 30; ++i) {
      ya.push_back(yy[static_cast<std::size_t>(i)]);
      sa.push_back(ss[static_cast<std::size_t>(i)]);
    }
    const Eigen::Map<const Eigen::VectorXd> y_a(ya.data(), 30), s_a(sa.data(), 30);
    const Confusion c = confusion(y_a, threshold_selection(s_a, 0.3));
    CHECK(rows[1].rates.precision == doctest::Approx(c.precision()));
    CHECK(rows[1].rates.false_positive_rate == doctest::Approx(c.false_positive_rate()));
    // Lower minimums judge B too.
    const auto loose = metrics_by_group(y, s, col, {}, FairnessOptions{3, 3});
    CHECK(loose[1].judged);
    CHECK(loose[1].selection.empty());
    CHECK_THROWS_AS(metrics_by_group(y, s, GroupColumn{"x", {"a"}}, {}), InvalidArgument);
  }

  TEST_CASE("governance.fairness: numeric group labels in numeric order") {
    GroupColumn decile{"decile", {"10", "2", "1", "2", "10", "1"}};
    const auto rows = metrics_by_group(y6, s6, decile, {}, FairnessOptions{1, 1});
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].group == "1");
    CHECK(rows[1].group == "2");
    CHECK(rows[2].group == "10");
  }

  TEST_CASE("governance.evaluation: overall, selections, groups; scores that are not probabilities") {
    EvaluationOptions opt;
    opt.selections = {Selection::top(2), Selection::at_threshold(0.5)};
    opt.n_bins = 2;
    opt.fairness = FairnessOptions{1, 1};
    const Evaluation e = evaluate(y6, s6, {GroupColumn{"g", {"a", "a", "a", "b", "b", "b"}}}, opt);
    CHECK(e.rows == 6);
    CHECK(e.positives == 3);
    CHECK(e.base_rate == 0.5);
    CHECK(e.roc_auc == doctest::Approx(5.5 / 9));
    CHECK(e.pr_auc == doctest::Approx(13.0 / 18));
    CHECK(e.calibration.ece == doctest::Approx(5.0 / 6 * 0.08 + 1.0 / 6 * 0.1));
    REQUIRE(e.selections.size() == 2);
    CHECK(e.selections[0].rates.precision == doctest::Approx(0.75));
    CHECK(e.selections[0].selected == 2.0);
    CHECK(e.selections[1].rates.recall == doctest::Approx(2.0 / 3));
    CHECK(e.by_group.size() == 4);
    // An activity count is a score but not a probability: no Brier or calibration.
    const Evaluation counts = evaluate(y6, vec({1, 4, 4, 9, 0, 2}), {}, opt);
    CHECK_FALSE(counts.probabilities);
    CHECK(std::isnan(counts.brier));
    CHECK(std::isnan(counts.calibration.ece));
    CHECK(counts.roc_auc == doctest::Approx(5.5 / 9));
    CHECK_THROWS_AS(evaluate(vec({0, 0}), vec({0.1, 0.2}), {}), InvalidArgument);
  }

  TEST_CASE("governance.evaluation_report: JSON with nulls for NaN, Markdown with too-small groups") {
    EvaluationOptions opt;
    opt.selections = {Selection::top(2)};
    opt.n_bins = 2;
    const Evaluation e = evaluate(y6, s6, {GroupColumn{"sex", {"F", "F", "F", "M", "M", "M|X"}}}, opt);
    const std::string json = evaluation_to_json(e, {{"domain", "asb"}}, -1);
    CHECK(json.find("\"format\":\"earlyhelp.evaluation\",\"version\":1,\"context\":{\"domain\":\"asb\"}") !=
          std::string::npos);
    CHECK(json.find("\"roc_auc\":0.6111111111111112") != std::string::npos);
    CHECK(json.find("\"rule\":\"top_k\",\"k\":2,\"threshold\":null") != std::string::npos);
    CHECK(json.find("\"judged\":false,\"note\":\"2 positives, fewer than 10\",\"base_rate\":null") !=
          std::string::npos);
    CHECK(json.find("nan") == std::string::npos);
    const std::string md = evaluation_to_markdown(e, "ASB");
    CHECK(md.rfind("## ASB\n", 0) == 0);
    CHECK(md.find("| ROC AUC | 0.6111 |") != std::string::npos);
    CHECK(md.find("| top 2 | 2 | 0.7500 | 0.5000 | 0.1667 | 0.5000 |") != std::string::npos);
    CHECK(md.find("| F | top 2 | 3 | 1 | 1 | too small: 1 positive, fewer than 10 |") != std::string::npos);
    CHECK(md.find("| M\\|X |") != std::string::npos);
  }
}
