// SPDX-License-Identifier: Apache-2.0
// The paired bootstrap of a score against a baseline (governance/comparison.hpp): cases with a
// known answer, determinism, and the comparison in the evaluation's JSON and Markdown.
// Its interval against a naive Python bootstrap with scikit-learn: tests/python/test_evaluation.py.
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/governance/comparison.hpp"
#include "earlyhelp/governance/evaluation.hpp"
#include "earlyhelp/governance/evaluation_report.hpp"
#include "earlyhelp/governance/metrics.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

using namespace earlyhelp;
using namespace earlyhelp::governance;

namespace {
// n cases, every fifth with the outcome; `perfect` scores 1 for them and 0 otherwise; `noise` is
// a uniform score unrelated to the outcome.
struct Cases {
  Eigen::VectorXd y, perfect, noise;
  explicit Cases(Index n) : y(n), perfect(n), noise(n) {
    std::mt19937_64 rng(7);
    for (Index i = 0; i < n; ++i) {
      y[i] = i % 5 == 0 ? 1.0 : 0.0;
      perfect[i] = y[i];
      noise[i] = static_cast<double>(rng() >> 11) * 0x1.0p-53;
    }
  }
};
}  // namespace

TEST_SUITE("governance") {
  TEST_CASE("governance.comparison: identical scores give the interval [0, 0], not clearly beaten") {
    const Cases c(200);
    const BaselineComparison r = compare_with_baseline(c.y, c.noise, c.noise, "itself");
    CHECK(r.roc_auc.difference == 0.0);
    CHECK(r.roc_auc.lower == 0.0);
    CHECK(r.roc_auc.upper == 0.0);
    CHECK(r.pr_auc.lower == 0.0);
    CHECK(r.pr_auc.upper == 0.0);
    CHECK(r.verdict == Verdict::not_clearly_beaten);
    CHECK(r.rows == 200);
    CHECK(r.positives == 40);
    CHECK(r.resamples == 1000);
  }

  TEST_CASE("governance.comparison: a perfect score beats noise and noise does not beat a perfect score") {
    const Cases c(300);
    const BaselineComparison r = compare_with_baseline(c.y, c.perfect, c.noise, "noise");
    CHECK(r.roc_auc.score == 1.0);
    CHECK(r.roc_auc.baseline == doctest::Approx(roc_auc(c.y, c.noise)).epsilon(1e-15));
    CHECK(r.pr_auc.baseline == doctest::Approx(average_precision(c.y, c.noise)).epsilon(1e-15));
    CHECK(r.roc_auc.lower > 0.3);
    CHECK(r.pr_auc.lower > 0.5);
    CHECK(r.roc_auc.verdict == Verdict::beaten);
    CHECK(r.verdict == Verdict::beaten);
    const BaselineComparison back = compare_with_baseline(c.y, c.noise, c.perfect, "perfect");
    CHECK(back.roc_auc.upper < 0);
    CHECK(back.verdict == Verdict::not_beaten);
    CHECK(back.roc_auc.lower == doctest::Approx(-r.roc_auc.upper).epsilon(1e-12));  // same draws, mirrored
    // A margin the difference does not reach keeps it from "beaten".
    BootstrapOptions far;
    far.min_difference = 0.9;
    CHECK(compare_with_baseline(c.y, c.perfect, c.noise, "noise", far).roc_auc.verdict ==
          Verdict::not_clearly_beaten);
  }

  TEST_CASE("governance.comparison: one positive and one negative: every resample is the sample") {
    // Stratified draws of one row from one row: the interval collapses on the point difference,
    // so the resampled metrics equal roc_auc() and average_precision() exactly, ties included.
    Eigen::VectorXd y(2), tied(2), right(2);
    y[0] = 1;
    y[1] = 0;
    tied.setConstant(0.5);
    right[0] = 0.9;
    right[1] = 0.1;
    const BaselineComparison r = compare_with_baseline(y, right, tied, "tied");
    CHECK(r.roc_auc.difference == doctest::Approx(0.5));
    CHECK(r.roc_auc.lower == r.roc_auc.difference);
    CHECK(r.roc_auc.upper == r.roc_auc.difference);
    CHECK(r.pr_auc.difference == doctest::Approx(0.5));
    CHECK(r.pr_auc.lower == r.pr_auc.difference);
    CHECK(r.verdict == Verdict::beaten);
  }

  TEST_CASE("governance.comparison: the same seed gives the same interval, another seed another") {
    const Cases c(400);
    Eigen::VectorXd weak = c.noise + 0.3 * c.y;
    BootstrapOptions o;
    o.resamples = 200;
    o.seed = 42;
    const BaselineComparison a = compare_with_baseline(c.y, weak, c.noise, "noise", o);
    const BaselineComparison b = compare_with_baseline(c.y, weak, c.noise, "noise", o);
    CHECK(a.roc_auc.lower == b.roc_auc.lower);
    CHECK(a.roc_auc.upper == b.roc_auc.upper);
    CHECK(a.pr_auc.lower == b.pr_auc.lower);
    o.seed = 43;
    const BaselineComparison d = compare_with_baseline(c.y, weak, c.noise, "noise", o);
    CHECK(d.roc_auc.difference == a.roc_auc.difference);
    CHECK(d.roc_auc.lower != a.roc_auc.lower);
    CHECK(d.seed == 43);
  }

  TEST_CASE("governance.comparison: bad input is a clear InvalidArgument") {
    const Cases c(20);
    CHECK_THROWS_AS(compare_with_baseline(c.y, c.noise, c.noise.head(10), "short"), InvalidArgument);
    CHECK_THROWS_AS(compare_with_baseline(Eigen::VectorXd::Zero(20), c.noise, c.noise, "b"), InvalidArgument);
    BootstrapOptions o;
    o.resamples = 0;
    CHECK_THROWS_AS(compare_with_baseline(c.y, c.noise, c.noise, "b", o), InvalidArgument);
    o.resamples = 10;
    o.level = 1.0;
    CHECK_THROWS_AS(compare_with_baseline(c.y, c.noise, c.noise, "b", o), InvalidArgument);
    CHECK_THROWS_AS(overall_verdict({}), InvalidArgument);
    CHECK_THROWS_AS(verdict_from_string("won"), InvalidArgument);
    CHECK(verdict_from_string("not clearly beaten") == Verdict::not_clearly_beaten);
  }

  TEST_CASE("governance.comparison: clusters drawn whole widen the interval when the clusters disagree") {
    // Eight clusters of 300 cases: in five the model ranks well and the baseline is noise, in three
    // the reverse. Pooled, the model is better, and a row bootstrap is sure of it; but which
    // clusters a council-like sample holds decides the sign, and the cluster bootstrap says so.
    const Index per = 300, g = 8, n = per * g;
    const Cases c(n);
    Eigen::VectorXd model(n), base(n);
    std::vector<Index> cluster(static_cast<std::size_t>(n));
    for (Index i = 0; i < n; ++i) {
      const Index k = i / per;
      cluster[static_cast<std::size_t>(i)] = 100 + 7 * k;  // any ids, not 0..g-1
      const bool model_good = k < 5;
      model[i] = model_good ? c.y[i] + 0.5 * c.noise[i] : c.noise[i];
      base[i] = model_good ? c.noise[i] : c.y[i] + 0.5 * c.noise[i];
    }
    BootstrapOptions o;
    o.resamples = 200;
    const BaselineComparison rows = compare_with_baseline(c.y, model, base, "b", o);
    const BaselineComparison whole = compare_with_baseline(c.y, model, base, "b", o, Eigen::VectorXd(), cluster);
    CHECK(rows.clusters == 0);
    CHECK(whole.clusters == g);
    CHECK(whole.roc_auc.difference == rows.roc_auc.difference);  // the point figures are the sample's
    CHECK(whole.pr_auc.difference == rows.pr_auc.difference);
    CHECK(rows.roc_auc.difference > 0);
    CHECK(rows.verdict == Verdict::beaten);
    CHECK(whole.roc_auc.lower < 0);
    CHECK(whole.verdict == Verdict::not_clearly_beaten);
    CHECK(whole.roc_auc.upper - whole.roc_auc.lower > 3 * (rows.roc_auc.upper - rows.roc_auc.lower));
    CHECK(describe(whole).find("200 paired resamples of 8 clusters (seed 0)") != std::string::npos);
    CHECK(verdict_sentence({whole}).find("interval from 200 paired resamples of 8 clusters; 480 positives") !=
          std::string::npos);
    // Each case its own cluster: an unstratified row bootstrap, as sure as the stratified one here.
    std::vector<Index> own(static_cast<std::size_t>(n));
    for (Index i = 0; i < n; ++i) own[static_cast<std::size_t>(i)] = i;
    CHECK(compare_with_baseline(c.y, c.perfect, c.noise, "noise", o, Eigen::VectorXd(), own).verdict ==
          Verdict::beaten);
    // Bad clusters: not one per row, or a single cluster.
    CHECK_THROWS_AS(compare_with_baseline(c.y, model, base, "b", o, Eigen::VectorXd(), std::vector<Index>(10, 0)),
                    InvalidArgument);
    CHECK_THROWS_WITH_AS(
        compare_with_baseline(c.y, model, base, "b", o, Eigen::VectorXd(), std::vector<Index>(cluster.size(), 3)),
        doctest::Contains("at least 2"), InvalidArgument);
    // In the JSON, read back; a file written before clusters reads as rows resampled.
    Evaluation e = evaluate(c.y, model, {});
    e.baselines.push_back(whole);
    const std::string json = evaluation_to_json(e, {}, -1);
    CHECK(json.find("\"clusters\":8,") != std::string::npos);
    CHECK(evaluation_from_json(json).evaluation.baselines.at(0).clusters == 8);
    std::string older = json;
    older.erase(older.find("\"clusters\":8,"), std::string("\"clusters\":8,").size());
    CHECK(evaluation_from_json(older).evaluation.baselines.at(0).clusters == 0);
    CHECK(evaluation_to_markdown(e).find("from 200 paired bootstrap resamples of 8 clusters, each drawn whole") !=
          std::string::npos);
  }

  TEST_CASE("governance.comparison: in the evaluation's JSON (read back the same) and Markdown") {
    const Cases c(100);
    Evaluation e = evaluate(c.y, c.perfect, {});
    BootstrapOptions o;
    o.resamples = 50;
    e.baselines.push_back(compare_with_baseline(c.y, c.perfect, c.noise, "activity, person", o));
    e.baselines.push_back(compare_with_baseline(c.y, c.perfect, c.perfect, "itself", o));
    CHECK(overall_verdict(e.baselines) == Verdict::not_clearly_beaten);
    const std::string json = evaluation_to_json(e, {}, -1);
    CHECK(json.find("\"baselines\":[{\"baseline\":\"activity, person\",\"rows\":100,\"positives\":20,"
                    "\"clusters\":0,\"resamples\":50,\"seed\":0,\"level\":0.95,\"min_difference\":0.0,\"verdict\":\"beaten\"") !=
          std::string::npos);
    CHECK(json.find("\"verdict\":\"not clearly beaten\"}") != std::string::npos);
    const EvaluationDocument d = evaluation_from_json(json);
    REQUIRE(d.evaluation.baselines.size() == 2);
    CHECK(d.evaluation.baselines[0].roc_auc.lower == e.baselines[0].roc_auc.lower);
    CHECK(evaluation_to_json(d.evaluation, {}, -1) == json);
    const std::string md = evaluation_to_markdown(e);
    CHECK(md.find("| activity, person | ROC AUC | 1.0000 |") != std::string::npos);
    CHECK(md.find("| itself | PR AUC | 1.0000 | 1.0000 | +0.0000 | +0.0000 to +0.0000 | not clearly beaten |") !=
          std::string::npos);
    CHECK(md.find("Verdict: the baseline is not clearly beaten.") != std::string::npos);
    CHECK(describe(e.baselines[0]).rfind("beaten: ROC AUC 1.0000 vs ", 0) == 0);
    CHECK(verdict_sentence(e.baselines, "the activity baseline")
              .rfind("the model does not clearly beat the activity baseline (difference model - baseline, 95% "
                     "interval from 50 paired resamples; 20 positives in 100 rows): activity, person: ROC AUC +",
                     0) == 0);
    CHECK(verdict_sentence(e.baselines).find("; itself: ROC AUC +0.0000 (+0.0000 to +0.0000)") != std::string::npos);
    // A file without comparisons reads and writes as before (no "baselines" key).
    CHECK(evaluation_to_json(evaluate(c.y, c.noise, {}), {}, -1).find("baselines") == std::string::npos);
  }
}
