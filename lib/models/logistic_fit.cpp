// SPDX-License-Identifier: Apache-2.0
// A weighted, L2-regularised logistic regression by Newton's method (models/logistic_fit.hpp).

#include "earlyhelp/models/logistic_fit.hpp"

#include "earlyhelp/core/error.hpp"

#include <algorithm>
#include <cmath>

namespace earlyhelp::models {

LogisticFit fit_logistic(const Eigen::MatrixXd& z, const Eigen::VectorXd& y, const Eigen::VectorXd& w_in, double l2) {
  const Index n = z.rows(), f = z.cols();
  EH_CHECK(y.size() == n, "fit_logistic: y has {} values, z has {} rows", y.size(), n);
  EH_CHECK(w_in.size() == 0 || w_in.size() == n, "fit_logistic: w has {} values, z has {} rows", w_in.size(), n);
  EH_CHECK(l2 >= 0 && std::isfinite(l2), "fit_logistic: l2 must be finite and >= 0 ({})", l2);
  const Eigen::VectorXd w = w_in.size() ? w_in : Eigen::VectorXd::Ones(n);
  EH_CHECK((w.array() >= 0).all() && w.sum() > 0, "fit_logistic: weights must be >= 0 with a positive sum");
  Eigen::MatrixXd x(n, f + 1);
  x.leftCols(f) = z;
  x.col(f).setOnes();
  auto objective = [&](const Eigen::VectorXd& b) {
    const Eigen::VectorXd eta = x * b;
    double loss = 0;
    for (Index i = 0; i < n; ++i) {
      // -log-likelihood: log(1 + e^eta) - y * eta, without overflow
      const double e = eta(i);
      loss += w(i) * ((e > 0 ? e + std::log1p(std::exp(-e)) : std::log1p(std::exp(e))) - y(i) * e);
    }
    return loss + 0.5 * l2 * b.head(f).squaredNorm();
  };
  Eigen::VectorXd beta = Eigen::VectorXd::Zero(f + 1);
  const double base = std::clamp(w.dot(y) / w.sum(), 1e-6, 1 - 1e-6);
  beta(f) = std::log(base / (1 - base));
  double current = objective(beta);
  int it = 0;
  for (; it < 100; ++it) {
    const Eigen::VectorXd eta = x * beta;
    Eigen::VectorXd p(n), h(n);
    for (Index i = 0; i < n; ++i) {
      p(i) = 1 / (1 + std::exp(-eta(i)));
      h(i) = w(i) * std::max(p(i) * (1 - p(i)), 1e-12);
    }
    Eigen::VectorXd grad = x.transpose() * (w.cwiseProduct(p - y));
    Eigen::MatrixXd hess = x.transpose() * h.asDiagonal() * x;
    for (Index j = 0; j < f; ++j) {
      grad(j) += l2 * beta(j);
      hess(j, j) += l2;
    }
    hess.diagonal().array() += 1e-9;  // a constant column leaves its row of H zero
    const Eigen::VectorXd step = hess.ldlt().solve(grad);
    double t = 1;
    Eigen::VectorXd next = beta - step;
    double value = objective(next);
    while (!(value <= current) && t > 1e-10) {
      t *= 0.5;
      next = beta - t * step;
      value = objective(next);
    }
    if (!(value <= current)) break;  // no descent left: at the optimum to machine precision
    beta = next;
    const double gain = current - value;
    current = value;
    if ((t * step).cwiseAbs().maxCoeff() < 1e-8 || gain < 1e-10 * (1 + std::abs(current))) {
      ++it;
      break;
    }
  }
  EH_CHECK(beta.allFinite(), "fit_logistic: the fit did not converge");
  return {beta.head(f), beta(f), it};
}

}  // namespace earlyhelp::models
