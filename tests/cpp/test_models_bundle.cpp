// SPDX-License-Identifier: Apache-2.0
// Linear models, scorecards, calibration, bands, and the model bundle's storage: round trips,
// signatures, and truncated / corrupt / tampered / wrong-key / unknown-version files.

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/io/envelope.hpp"
#include "earlyhelp/models/model.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>

namespace {

using earlyhelp::RowMatrixXd;
using namespace earlyhelp::models;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TreeEnsemble small_trees() {
  // Two stumps on features 0 and 2, binary logistic.
  std::vector<TreeArrays> trees(2);
  for (int t = 0; t < 2; ++t) {
    TreeArrays& a = trees[static_cast<std::size_t>(t)];
    a.left = {1, -1, -1};
    a.right = {2, -1, -1};
    a.feature = {t * 2, 0, 0};
    a.threshold = {0.5, 0, 0};
    a.default_left = {1, 0, 0};
    a.value = {0, -0.4 + t, 0.7};
    a.cover = {10, 6, 4};
  }
  trees[1].categories = {{3, 4}, {}, {}};  // tree 1's root is categorical
  return TreeEnsemble(trees, 3, 1, Objective::binary_logistic, 0.3);
}

Model full_model() {
  Model m(small_trees(), {"absence", "arrears", "housing"});
  m.set_labels({{"absence", "School absence"}, {"housing", "Housing instability"}});
  m.set_calibration(Calibration::platt(-1.2, 0.1));
  m.set_bands(RiskBands{{0.2, 0.5}, {"low", "medium", "high"}});
  m.set_thresholds({{"alert", 0.5}});
  ModelInfo info;
  info.name = "early-help";
  info.version = "1.0";
  info.domain = "safeguarding";
  info.evaluation = {{"auc", 0.81}};
  m.set_info(info);
  return m;
}

RowMatrixXd sample_rows() {
  RowMatrixXd x(6, 3);
  x << 0, 1, 3,  //
      1, kNaN, 4,  //
      kNaN, 0, 0,  //
      0.5, 2, 7,   //
      2, 1, kNaN,  //
      -1, 0, 4.9;
  return x;
}

}  // namespace

TEST_SUITE("models") {
  TEST_CASE("models.linear: margins, links and exact contributions") {
    RowMatrixXd coef(1, 2);
    coef << 2.0, -1.0;
    Eigen::VectorXd b(1), center(2), scale(2), fill(2);
    b << 0.5;
    center << 1.0, 0.0;
    scale << 2.0, 1.0;
    fill << 0.0, kNaN;  // feature 1 missing propagates
    const LinearModel lm(coef, b, Link::logit, center, scale, fill);
    const Model m(lm);
    RowMatrixXd x(3, 2);
    x << 3, 1, kNaN, 2, 0, kNaN;
    const RowMatrixXd margin = m.predict_margin(x);
    CHECK(margin(0, 0) == doctest::Approx(0.5 + 2.0 * 1.0 - 1.0));
    CHECK(margin(1, 0) == doctest::Approx(0.5 - 2.0));
    CHECK(std::isnan(margin(2, 0)));
    CHECK(m.predict(x)(0, 0) == doctest::Approx(1.0 / (1.0 + std::exp(-1.5))));
    const RowMatrixXd phi = m.explain(x.topRows(2));
    CHECK(phi(0, 0) == doctest::Approx(2.0));
    CHECK(phi(0, 1) == doctest::Approx(-1.0));
    CHECK(phi(0, 2) == doctest::Approx(0.5));
    CHECK(phi.row(1).sum() == doctest::Approx(margin(1, 0)));
    CHECK_THROWS_AS(LinearModel(coef, b, Link::softmax), earlyhelp::InvalidArgument);
  }

  TEST_CASE("models.scorecard: bins, points to odds, contributions") {
    const Scorecard card({{{18, 30}, {10, 5, 0}, 7}, {{1}, {0, 20}, 20}}, 100, 600, 1.0 / 50, 20);
    const Model m(card);
    RowMatrixXd x(3, 2);
    x << 17, 0, 18, 1, kNaN, 5;
    CHECK(card.points_one(x.row(0).data()) == 110);
    CHECK(card.points_one(x.row(1).data()) == 125);  // 18 is the lower edge of bin 1
    CHECK(card.points_one(x.row(2).data()) == 127);
    // 600 points = odds 1:50; every 20 points doubles the odds.
    CHECK(card.points_to_margin(600) == doctest::Approx(std::log(1.0 / 50)));
    CHECK(card.points_to_margin(620) == doctest::Approx(std::log(2.0 / 50)));
    const RowMatrixXd phi = m.explain(x);
    const RowMatrixXd margin = m.predict_margin(x);
    for (int i = 0; i < 3; ++i) CHECK(phi.row(i).sum() == doctest::Approx(margin(i, 0)));
    CHECK_THROWS_AS(Scorecard({{{2, 1}, {0, 0, 0}, 0}}, 0, 600, 1, 20), earlyhelp::InvalidArgument);
  }

  TEST_CASE("models.calibration: Platt, isotonic and bands") {
    const Calibration p = Calibration::platt(-2, 1);
    CHECK(p.apply(0.5) == doctest::Approx(0.5));
    const Calibration iso = Calibration::isotonic({0.1, 0.5, 0.9}, {0.0, 0.4, 1.0});
    CHECK(iso.apply(0.0) == 0.0);
    CHECK(iso.apply(0.3) == doctest::Approx(0.2));
    CHECK(iso.apply(0.7) == doctest::Approx(0.7));
    CHECK(iso.apply(2.0) == 1.0);
    CHECK(std::isnan(iso.apply(kNaN)));
    CHECK_THROWS_AS(Calibration::isotonic({0.1, 0.5}, {0.5, 0.4}), earlyhelp::InvalidArgument);
    std::vector<double> scores;
    for (int i = 0; i < 100; ++i) scores.push_back(i / 100.0);
    const RiskBands v = RiskBands::quantiles(scores, 20);
    CHECK(v.thresholds.size() == 19);
    CHECK(v.names.front() == "1");
    CHECK(v.band(0.0) == 0);
    CHECK(v.band(0.99) == 19);
    CHECK(v.band(kNaN) == -1);
    const RiskBands named{{0.2, 0.5}, {"low", "medium", "high"}};
    CHECK(named.band(0.2) == 1);
    CHECK(named.band(0.19) == 0);
  }

  TEST_CASE("models.bundle: round trip keeps every prediction and the metadata") {
    const Model m = full_model();
    const RowMatrixXd x = sample_rows();
    const Model back = Model::from_bytes(m.to_bytes());
    CHECK(back.predict(x) == m.predict(x));
    CHECK(back.explain(x) == m.explain(x));
    CHECK(back.feature_names() == m.feature_names());
    CHECK(back.labels().at("housing") == "Housing instability");
    CHECK(back.info().evaluation.at("auc") == 0.81);
    CHECK(back.bands().names == m.bands().names);
    CHECK(back.band(x) == m.band(x));
    // Calibration is applied on top of the margin.
    const RowMatrixXd raw = m.predict_margin(x);
    CHECK(m.predict(x)(0, 0) == doctest::Approx(1.0 / (1.0 + std::exp(-1.2 * raw(0, 0) + 0.1))));
    // Reason codes use the labels and only positive contributions.
    const auto reasons = m.reasons(x, 2);
    const RowMatrixXd phi = m.explain(x);
    for (std::size_t i = 0; i < reasons.size(); ++i) {
      for (const Reason& r : reasons[i]) {
        CHECK(r.contribution > 0);
        CHECK(r.contribution == phi(static_cast<Eigen::Index>(i), r.feature));
      }
    }
    for (const Model& other : {Model(LinearModel(RowMatrixXd::Ones(1, 3), Eigen::VectorXd::Ones(1), Link::logit)),
                               Model(Scorecard({{{0}, {1, 2}, 3}, {{}, {0}, 1}, {{1, 2}, {0, 1, 2}, 0}}, 5, 600, 1, 20))}) {
      const Model copy = Model::from_bytes(other.to_bytes());
      CHECK(copy.kind() == other.kind());
      CHECK(copy.predict(x).isApprox(other.predict(x)));
    }
  }

  TEST_CASE("models.bundle: signatures") {
    const Model m = full_model();
    const std::string key = "council-approval-key";
    const std::string signed_bytes = m.to_bytes(key);
    CHECK(Model::from_bytes(signed_bytes, key).predict(sample_rows()) == m.predict(sample_rows()));
    CHECK(Model::from_bytes(signed_bytes).n_features() == 3);  // no key: integrity only
    CHECK_THROWS_WITH_AS(Model::from_bytes(signed_bytes, "wrong"),
                         doctest::Contains("signature does not match"), earlyhelp::FormatError);
    CHECK_THROWS_WITH_AS(Model::from_bytes(m.to_bytes(), key), doctest::Contains("not signed"),
                         earlyhelp::FormatError);
  }

  TEST_CASE("models.bundle: truncated, corrupt, tampered and unknown-version files fail cleanly") {
    const Model m = full_model();
    const RowMatrixXd x = sample_rows();
    const RowMatrixXd expected = m.predict(x);
    for (const std::string key : {"", "k"}) {
      const std::string good = m.to_bytes(key);
      for (std::size_t n = 0; n < good.size(); n += (n < 200 ? 1 : 37)) {
        CAPTURE(n);
        CHECK_THROWS_AS(Model::from_bytes(good.substr(0, n), key), earlyhelp::FormatError);
      }
      CHECK_THROWS_AS(Model::from_bytes(good + "x", key), earlyhelp::FormatError);
      // Any single flipped byte is an error or (a flag bit without a key) changes nothing.
      for (std::size_t i = 0; i < good.size(); ++i) {
        std::string bad = good;
        bad[i] = static_cast<char>(bad[i] ^ 0x5a);
        try {
          const Model loaded = Model::from_bytes(bad, key);
          CHECK(loaded.predict(x) == expected);
        } catch (const earlyhelp::FormatError&) {
        }
      }
    }
    std::string v99 = m.to_bytes();
    v99[8] = 99;
    CHECK_THROWS_WITH_AS(Model::from_bytes(v99), doctest::Contains("format version 99 is not supported"),
                         earlyhelp::FormatError);
    CHECK_THROWS_WITH_AS(Model::from_bytes("EHMODEL"), doctest::Contains("shorter than"),
                         earlyhelp::FormatError);
    // A well-sealed but foreign or cut payload (hash valid) is still a clean error.
    const std::string good = m.to_bytes();
    const std::string payload = good.substr(earlyhelp::io::kEnvelopeHeaderSize);
    for (std::size_t n : {std::size_t{0}, std::size_t{10}, std::size_t{40}, payload.size() / 2, payload.size() - 1}) {
      CAPTURE(n);
      CHECK_THROWS_AS(Model::from_bytes(earlyhelp::io::seal(payload.substr(0, n), kModelMagic, 1)),
                      earlyhelp::FormatError);
    }
    CHECK_THROWS_AS(Model::load("/nonexistent/model.ehm"), earlyhelp::IOError);
  }
}
