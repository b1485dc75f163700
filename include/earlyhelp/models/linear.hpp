// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Linear / logistic models and points-based scorecards. Both explain exactly: a feature's
/// contribution is its term of the margin (coefficient x standardised value, or its points
/// divided by the points-per-unit-log-odds factor), and the bias column holds the rest.

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

/// margin_k = intercept_k + sum_j coef_kj * z_j with z_j = (x_j - center_j) / scale_j, and
/// z_j = fill_j when x_j is NaN (fill_j = NaN propagates: the prediction is NaN).
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

  Index n_features() const noexcept { return coef_.cols(); }
  int n_groups() const noexcept { return static_cast<int>(coef_.rows()); }
  int n_outputs() const noexcept { return n_groups(); }
  Link link() const noexcept { return link_; }
  const RowMatrixXd& coef() const noexcept { return coef_; }
  const Eigen::VectorXd& intercept() const noexcept { return intercept_; }
  const Eigen::VectorXd& center() const noexcept { return center_; }
  const Eigen::VectorXd& scale() const noexcept { return scale_; }
  const Eigen::VectorXd& fill() const noexcept { return fill_; }

  /// Margins of one row (n_groups values).
  void margin_one(const double* row, double* out) const noexcept;
  /// Link applied to one row of margins.
  void transform(const double* margin, double* out) const noexcept;
  /// Contributions of one row: K x (F + 1), bias last; phi_kj = coef_kj * z_j.
  void explain_one(const double* row, double* out) const noexcept;

 private:
  RowMatrixXd coef_;
  Eigen::VectorXd intercept_, center_, scale_, fill_;
  Link link_;
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
