// SPDX-License-Identifier: Apache-2.0
// Declared encodings of linear features (numeric / one-hot / ordinal, missing policies), exact
// explanations against their baseline, and loading bundles of the previous format (1).

#include "test_paths.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/models/model.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

namespace {

using earlyhelp::RowMatrixXd;
using namespace earlyhelp::models;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// age: numeric with a missing indicator; tenure: one-hot over three categories; band: ordinal
// with explicit values; debt: numeric, NaN propagates.
LinearModel encoded(std::vector<double> tenure_baseline = {}) {
  FeatureEncoding age;
  age.center = 40;
  age.scale = 10;
  age.missing = MissingPolicy::indicator;
  age.fill = 0.5;
  age.baseline = {0.25};
  FeatureEncoding tenure;
  tenure.encoding = Encoding::one_hot;
  tenure.categories = {"council", "private", "owner"};
  tenure.baseline = std::move(tenure_baseline);
  FeatureEncoding band;
  band.encoding = Encoding::ordinal;
  band.categories = {"low", "mid", "high"};
  band.ordinal_values = {0, 1, 3};
  band.center = 1;
  band.scale = 2;
  band.fill = -1;
  FeatureEncoding debt;
  debt.missing = MissingPolicy::propagate;
  RowMatrixXd coef(1, 2 + 4 + 1 + 1);
  coef << 0.3, 0.8, 0.5, 0.2, -0.4, 0.1, 0.6, 0.01;
  return LinearModel(coef, Eigen::VectorXd::Constant(1, -2.0), Link::identity,
                     {age, tenure, band, debt});
}

// The margin by hand, term by term, for the model above.
double by_hand(double age, double tenure, double band, double debt) {
  double m = -2.0;
  m += std::isnan(age) ? 0.3 * 0.5 + 0.8 : 0.3 * (age - 40) / 10;
  const double onehot[] = {0.5, 0.2, -0.4};
  m += (tenure == 0 || tenure == 1 || tenure == 2) ? onehot[static_cast<int>(tenure)] : 0.1;
  const double values[] = {0, 1, 3};
  m += (band == 0 || band == 1 || band == 2) ? 0.6 * (values[static_cast<int>(band)] - 1) / 2 : 0.6 * -1;
  m += 0.01 * debt;
  return m;
}

}  // namespace

TEST_SUITE("models") {
  TEST_CASE("models.linear: declared encodings score term by term") {
    const Model m(encoded());
    const double rows[][4] = {{52, 0, 2, 100},  {kNaN, 1, 0, 0},   {30, 2, 1, -5},
                              {41, kNaN, kNaN, 3}, {40, 3, 7, 1},   {40, -1, 0.5, 1},
                              {45, 1.5, -1, 2}};
    for (const auto& r : rows) {
      RowMatrixXd x(1, 4);
      x << r[0], r[1], r[2], r[3];
      CHECK(m.predict(x)(0, 0) == doctest::Approx(by_hand(r[0], r[1], r[2], r[3])).epsilon(1e-14));
    }
    RowMatrixXd x(1, 4);
    x << 50, 0, 0, kNaN;
    CHECK(std::isnan(m.predict(x)(0, 0)));
    const auto& l = std::get<LinearModel>(m.estimator());
    CHECK(l.n_features() == 4);
    CHECK(l.coef().cols() == 8);
    CHECK(l.encodings()[1].width() == 4);
  }

  TEST_CASE("models.linear: contributions sum to the margin and measure from the baseline") {
    const std::vector<double> freq{0.5, 0.3, 0.15, 0.05};
    const Model m(encoded(freq));
    RowMatrixXd x(3, 4);
    x << 52, 1, 2, 100, kNaN, 0, kNaN, 0, 30, 5, 1, -5;
    const RowMatrixXd phi = m.explain(x);
    const RowMatrixXd margin = m.predict_margin(x);
    REQUIRE(phi.cols() == 5);
    const double expectation = 0.5 * 0.5 + 0.3 * 0.2 + 0.15 * -0.4 + 0.05 * 0.1;
    for (Eigen::Index i = 0; i < 3; ++i) {
      CHECK(phi.row(i).sum() == doctest::Approx(margin(i, 0)).epsilon(1e-13));
      // bias: intercept + one-hot expectation + indicator coefficient x baseline missing rate
      CHECK(phi(i, 4) == doctest::Approx(-2.0 + expectation + 0.8 * 0.25).epsilon(1e-14));
    }
    // one-hot: the active category's coefficient minus the baseline expectation
    CHECK(phi(0, 1) == doctest::Approx(0.2 - expectation).epsilon(1e-14));
    CHECK(phi(2, 1) == doctest::Approx(0.1 - expectation).epsilon(1e-14));  // unseen code 5
    // numeric: coef x z; a missing value adds its indicator minus the baseline rate
    CHECK(phi(0, 0) == doctest::Approx(0.3 * 1.2 - 0.8 * 0.25).epsilon(1e-14));
    CHECK(phi(1, 0) == doctest::Approx(0.3 * 0.5 + 0.8 * 0.75).epsilon(1e-14));
    // ordinal: value 3 for "high", standardised
    CHECK(phi(0, 2) == doctest::Approx(0.6 * (3 - 1) / 2.0).epsilon(1e-14));
    CHECK(phi(1, 2) == doctest::Approx(-0.6).epsilon(1e-14));
    // without a declared baseline the one-hot contribution is the active coefficient
    const RowMatrixXd phi0 = Model(encoded()).explain(x);
    CHECK(phi0(0, 1) == doctest::Approx(0.2).epsilon(1e-14));
  }

  TEST_CASE("models.linear: encodings survive a bundle round trip") {
    Model m(encoded({0.5, 0.3, 0.15, 0.05}), {"age", "tenure", "band", "debt"});
    const Model back = Model::from_bytes(m.to_bytes());
    const auto& a = std::get<LinearModel>(m.estimator());
    const auto& b = std::get<LinearModel>(back.estimator());
    REQUIRE(b.encodings().size() == 4);
    CHECK(b.encodings()[1].categories == a.encodings()[1].categories);
    CHECK(b.encodings()[1].baseline == a.encodings()[1].baseline);
    CHECK(b.encodings()[2].ordinal_values == a.encodings()[2].ordinal_values);
    CHECK(b.encodings()[0].missing == MissingPolicy::indicator);
    CHECK(b.encodings()[3].missing == MissingPolicy::propagate);
    RowMatrixXd x(2, 4);
    x << 52, 1, 2, 100, kNaN, kNaN, 7, 0;
    CHECK(back.predict(x) == m.predict(x));
    CHECK(back.explain(x) == m.explain(x));
  }

  TEST_CASE("models.linear: invalid encodings are named") {
    FeatureEncoding oh;
    oh.encoding = Encoding::one_hot;
    CHECK_THROWS_WITH_AS(LinearModel(RowMatrixXd::Ones(1, 1), Eigen::VectorXd::Zero(1), Link::logit, {oh}),
                         doctest::Contains("needs categories"), earlyhelp::InvalidArgument);
    oh.categories = {"a", "b", "a"};
    CHECK_THROWS_WITH_AS(LinearModel(RowMatrixXd::Ones(1, 4), Eigen::VectorXd::Zero(1), Link::logit, {oh}),
                         doctest::Contains("duplicated category"), earlyhelp::InvalidArgument);
    oh.categories = {"a", "b"};
    CHECK_THROWS_WITH_AS(LinearModel(RowMatrixXd::Ones(1, 2), Eigen::VectorXd::Zero(1), Link::logit, {oh}),
                         doctest::Contains("need 3 coefficients per row, coef has 2"),
                         earlyhelp::InvalidArgument);
    oh.baseline = {1.0};
    CHECK_THROWS_WITH_AS(LinearModel(RowMatrixXd::Ones(1, 3), Eigen::VectorXd::Zero(1), Link::logit, {oh}),
                         doctest::Contains("baseline needs 3 weights"), earlyhelp::InvalidArgument);
    FeatureEncoding ord;
    ord.encoding = Encoding::ordinal;
    ord.categories = {"x", "y"};
    ord.ordinal_values = {1.0};
    CHECK_THROWS_WITH_AS(LinearModel(RowMatrixXd::Ones(1, 1), Eigen::VectorXd::Zero(1), Link::logit, {ord}),
                         doctest::Contains("1 ordinal values for 2 categories"),
                         earlyhelp::InvalidArgument);
    FeatureEncoding num;
    num.scale = 0;
    CHECK_THROWS_AS(LinearModel(RowMatrixXd::Ones(1, 1), Eigen::VectorXd::Zero(1), Link::logit, {num}),
                    earlyhelp::InvalidArgument);
  }

  TEST_CASE("models.linear: a format-1 bundle (saved before encodings existed) still loads") {
    const std::string src = eh_test::source_dir().string();
    // tests/data/linear_v1.ehm: Model.linear(coef [[0.8, -0.5, 0.25]], intercept [-1], logit,
    // center [1, 2, 0], scale [2, 0.5, 1], fill [0, 0.5, NaN]), saved by the format-1 build.
    const Model m = Model::load(src + "/tests/data/linear_v1.ehm");
    CHECK(m.feature_names() == std::vector<std::string>{"school_absence_rate", "rent_arrears_gbp",
                                                        "address_moves"});
    CHECK(m.labels().at("school_absence_rate") == "School absence");
    RowMatrixXd x(4, 3);
    x << 3, 1, 2, kNaN, 2.5, -1, 0, kNaN, 1, 1, 2, kNaN;
    const RowMatrixXd p = m.predict(x);
    // Figures printed by the format-1 build when the fixture was written.
    CHECK(p(0, 0) == doctest::Approx(0.7858349830425586).epsilon(1e-15));
    CHECK(p(1, 0) == doctest::Approx(0.14804719803168948).epsilon(1e-15));
    CHECK(p(2, 0) == doctest::Approx(0.19781611144141825).epsilon(1e-15));
    CHECK(std::isnan(p(3, 0)));
    const RowMatrixXd phi = m.explain(x);
    CHECK(phi(0, 0) == doctest::Approx(0.8));
    CHECK(phi(0, 1) == doctest::Approx(1.0));
    CHECK(phi(1, 1) == doctest::Approx(-0.5));
    CHECK(std::isnan(phi(3, 2)));
    const auto& l = std::get<LinearModel>(m.estimator());
    CHECK(l.encodings()[2].missing == MissingPolicy::propagate);
    // and re-saving writes the current format, which reads back identically
    CHECK(Model::from_bytes(m.to_bytes()).predict(x).row(0) == p.row(0));
  }
}
