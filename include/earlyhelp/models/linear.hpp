// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Linear / logistic models and points-based scorecards. Both explain exactly: a feature's
/// contribution is its term of the margin measured from a declared baseline (coefficient x
/// standardised value, as XGBoost's linear SHAP does with the centre as the mean; or its points
/// divided by the points-per-unit-log-odds factor), and the bias column holds the rest, so the
/// contributions of a row always sum to its margin.

#include "earlyhelp/core/types.hpp"

#include <string>
#include <vector>

namespace earlyhelp::models {

/// How a linear margin becomes an output.
enum class Link {
  identity,  ///< regression: the margin itself
  logit,     ///< binary: sigmoid(margin) (one output)
  softmax,   ///< multinomial: softmax over K margins
  ovr_logit  ///< one-vs-rest: sigmoid of each margin, normalised to sum 1 (sklearn "ovr")
};

/// How a linear feature reads its input column.
enum class Encoding {
  numeric,  ///< z = (x - center) / scale, one coefficient
  one_hot,  ///< a category code: one coefficient per declared category plus one for other/missing
  ordinal,  ///< a category code mapped to an ordered value, then treated as numeric
};

/// What a numeric or ordinal feature does with a missing (NaN) value; an ordinal feature treats
/// an unseen code as missing too.
enum class MissingPolicy {
  fill,       ///< z = fill (standardised; 0 is the centre)
  propagate,  ///< the margin, prediction and that feature's contribution are NaN
  indicator,  ///< z = fill, plus a second coefficient for "is missing"
};

/// The declared encoding of one linear feature.
///
/// Category codes: model input is a numeric matrix, so a categorical feature arrives as a code:
/// the 0-based index of the value in `categories`; NaN means missing; any other value (a code
/// beyond the list, a negative or fractional number) means a category not seen in training.
/// A one-hot feature scores its category's coefficient, or its last ("other/missing")
/// coefficient for missing and unseen values. From Python, pandas categorical and string
/// columns are mapped to these codes by category name (earlyhelp.Model.predict).
///
/// Explanation baseline: a numeric feature's contribution is coef x z (baseline z = 0, the
/// centre); an indicator adds coef_missing x (missing - baseline[0]); a one-hot feature's is
/// its active coefficient minus sum_l baseline[l] x coef_l over its levels (categories, then
/// other/missing), i.e. minus the baseline expectation when `baseline` holds the training
/// frequencies (all zero by default: the contribution is the active coefficient). The bias
/// column is intercept plus every baseline term, so contributions sum to the margin exactly.
struct FeatureEncoding {
  Encoding encoding = Encoding::numeric;
  double center = 0;  ///< numeric/ordinal: subtracted before scaling (finite)
  double scale = 1;   ///< numeric/ordinal: divides (finite, > 0)
  MissingPolicy missing = MissingPolicy::fill;
  double fill = 0;    ///< numeric/ordinal: standardised value of a missing input (finite)
  std::vector<std::string> categories;  ///< one_hot/ordinal: the declared categories, code order
  std::vector<double> ordinal_values;   ///< ordinal: value of each category (empty: 0, 1, ...)
  /// one_hot: weight of each level (categories..., other/missing) in the explanation baseline
  /// (empty: all 0); numeric/ordinal with an indicator: one value, the baseline missing rate.
  std::vector<double> baseline;

  /// Coefficients (design columns) the feature uses: 1 (+1 with an indicator), or
  /// categories + 1 for one_hot.
  Index width() const noexcept;
};

/// margin_k = intercept_k + sum_j term_kj(x_j) over the declared feature encodings (see
/// FeatureEncoding); for the default numeric encoding term_kj = coef_kj * z_j with
/// z_j = (x_j - center_j) / scale_j, and z_j = fill_j when x_j is NaN (fill_j = NaN propagates:
/// the prediction is NaN).
///
/// Example: a numeric feature standardised with a missing indicator, and a one-hot feature.
/// ```cpp
/// FeatureEncoding age{Encoding::numeric, 40, 10, MissingPolicy::indicator};
/// FeatureEncoding tenure{Encoding::one_hot};
/// tenure.categories = {"council", "private", "owner"};
/// RowMatrixXd coef(1, 2 + 4);  // age, age missing, council, private, owner, other
/// coef << 0.3, 0.8, 0.5, 0.2, -0.4, 0.0;
/// LinearModel m(coef, Eigen::VectorXd::Constant(1, -2.0), Link::logit, {age, tenure});
/// ```
class LinearModel {
 public:
  /// @param coef      K x F coefficients (K = 1 for regression and binary)
  /// @param intercept K intercepts
  /// @param link      output transform
  /// @param center    F means to subtract (empty: 0)
  /// @param scale     F positive scales to divide by (empty: 1)
  /// @param fill      F standardised values used for NaN inputs (empty: 0, the mean)
  /// @throws InvalidArgument on inconsistent sizes, non-finite coefficients, scale <= 0.
  LinearModel(RowMatrixXd coef, Eigen::VectorXd intercept, Link link, Eigen::VectorXd center = {},
              Eigen::VectorXd scale = {}, Eigen::VectorXd fill = {});

  /// A model over declared feature encodings.
  /// @param coef      K x D design coefficients, D = sum of the encodings' width(), in
  ///                  feature order (a one-hot feature's categories, then other/missing)
  /// @param encodings one per input column
  /// @throws InvalidArgument on inconsistent sizes, non-finite values, scale <= 0, an empty or
  ///         duplicated category list, or baseline / ordinal_values of the wrong length.
  LinearModel(RowMatrixXd coef, Eigen::VectorXd intercept, Link link,
              std::vector<FeatureEncoding> encodings);

  Index n_features() const noexcept { return to_index(encodings_.size()); }
  int n_groups() const noexcept { return static_cast<int>(coef_.rows()); }
  int n_outputs() const noexcept { return n_groups(); }
  Link link() const noexcept { return link_; }
  /// K x D design coefficients (K x F when every feature is numeric without an indicator).
  const RowMatrixXd& coef() const noexcept { return coef_; }
  /// The declared encoding of each feature.
  const std::vector<FeatureEncoding>& encodings() const noexcept { return encodings_; }
  /// Per-feature centre, scale and fill (0, 1, 0 for one-hot features; NaN fill = propagate).
  const Eigen::VectorXd& intercept() const noexcept { return intercept_; }
  const Eigen::VectorXd& center() const noexcept { return center_; }
  const Eigen::VectorXd& scale() const noexcept { return scale_; }
  const Eigen::VectorXd& fill() const noexcept { return fill_; }

  /// Margins of one row (n_groups values).
  void margin_one(const double* row, double* out) const noexcept;
  /// Link applied to one row of margins.
  void transform(const double* margin, double* out) const noexcept;
  /// Contributions of one row: K x (F + 1), bias last (see FeatureEncoding for the baseline).
  void explain_one(const double* row, double* out) const noexcept;

 private:
  void init();
  // Term of feature j for group g; `bias` receives nothing, explanations subtract base_.
  double term(Index g, Index j, double x) const noexcept;

  RowMatrixXd coef_;
  Eigen::VectorXd intercept_, center_, scale_, fill_;
  Link link_;
  std::vector<FeatureEncoding> encodings_;
  std::vector<Index> offset_;  // first design column of each feature
  RowMatrixXd base_;           // K x F baseline term of each feature (explanations)
  bool plain_ = true;          // every feature numeric without indicator: the fast path
};

/// One scorecard characteristic: bins by ascending edges, points per bin.
/// A value x falls in bin i = number of edges <= x (so edges are lower bounds of bins 1..n);
/// NaN scores missing_points.
struct ScorecardFeature {
  std::vector<double> edges;   ///< ascending, finite
  std::vector<double> points;  ///< edges.size() + 1 points
  double missing_points = 0;
};

/// Points-based scorecard: total = base_points + sum of each feature's bin points. Points map to
/// log-odds of the outcome linearly: `target_points` points mean odds `target_odds`, and every
/// `points_to_double_odds` more points double the odds (higher points = higher risk).
class Scorecard {
 public:
  /// @throws InvalidArgument on unsorted edges, a points list of the wrong length, odds <= 0 or
  ///         points_to_double_odds == 0.
  Scorecard(std::vector<ScorecardFeature> features, double base_points, double target_points,
            double target_odds, double points_to_double_odds);

  Index n_features() const noexcept { return to_index(features_.size()); }
  int n_groups() const noexcept { return 1; }
  int n_outputs() const noexcept { return 1; }
  const std::vector<ScorecardFeature>& features() const noexcept { return features_; }
  double base_points() const noexcept { return base_points_; }
  double target_points() const noexcept { return target_points_; }
  double target_odds() const noexcept { return target_odds_; }
  double points_to_double_odds() const noexcept { return pdo_; }

  /// Total points of one row.
  double points_one(const double* row) const noexcept;
  /// Points a single feature value earns.
  double feature_points(Index j, double x) const noexcept;
  /// Log-odds for a points total.
  double points_to_margin(double points) const noexcept;
  void margin_one(const double* row, double* out) const noexcept;
  void transform(const double* margin, double* out) const noexcept;
  /// Contributions in log-odds: points_j / factor; bias = (base_points - offset) / factor.
  void explain_one(const double* row, double* out) const noexcept;

 private:
  std::vector<ScorecardFeature> features_;
  double base_points_, target_points_, target_odds_, pdo_;
};

}  // namespace earlyhelp::models
