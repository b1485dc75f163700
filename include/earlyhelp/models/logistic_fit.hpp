// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Fitting a weighted, L2-regularised logistic regression by Newton's method (iteratively
/// reweighted least squares), each step halved until the penalised objective falls (near-separable
/// data would otherwise overshoot into saturation). The intercept is not penalised.

#include "earlyhelp/core/types.hpp"

#include <Eigen/Dense>

namespace earlyhelp::models {

/// A fitted logistic regression on the design's columns.
struct LogisticFit {
  Eigen::VectorXd coef;  ///< one per design column
  double intercept = 0;
  int iterations = 0;    ///< Newton steps taken
};

/// Fits P(y = 1 | z) = 1 / (1 + exp(-(z b + b0))).
/// @param z  n x f design (standardise it first: the penalty treats every column alike)
/// @param y  n outcomes in [0, 1]
/// @param w  n non-negative row weights (empty: all 1)
/// @param l2 ridge penalty on coef (not the intercept)
/// @throws InvalidArgument on inconsistent sizes, no positive weight, or a fit that does not
/// converge to finite values. Complexity: O(iterations x n x f^2).
LogisticFit fit_logistic(const Eigen::MatrixXd& z, const Eigen::VectorXd& y, const Eigen::VectorXd& w = {},
                         double l2 = 1.0);

}  // namespace earlyhelp::models
