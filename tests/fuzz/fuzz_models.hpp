// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// What the model fuzz targets do with a model that loaded: score, explain, and store it, and
/// check the properties every model keeps (one row at a time agrees with the batch kernels bit
/// for bit; a saved bundle loads back with the same predictions).

#include "earlyhelp/models/model.hpp"

#include "fuzz_support.hpp"

#include <string>
#include <vector>

namespace earlyhelp::fuzz {

/// Scores, explains and round-trips `m`; aborts when a property fails.
inline void exercise(const models::Model& m) {
  // A model may declare far more features than a fuzz input could describe; scoring it then
  // only measures the caller's matrix.
  if (m.n_features() > 4096) return;
  const RowMatrixXd x = probe_rows(m.n_features());
  const RowMatrixXd p = m.predict(x, 1);
  const RowMatrixXd margin = m.predict_margin(x, 1);
  check(p.rows() == x.rows() && p.cols() == m.n_outputs(), "predict has n x n_outputs()");
  check(margin.cols() == m.n_groups(), "predict_margin has n x n_groups()");
  // Every probe value is exact in float32, so a float32 matrix must score the same.
  const RowMatrixXd pf = m.predict(RowMatrixXf(x.cast<float>()), 1);
  for (Index i = 0; i < x.rows(); ++i) {
    for (Index k = 0; k < p.cols(); ++k) {
      check(same(pf(i, k), p(i, k)), "float32 input scores as float64 input");
    }
  }
  std::vector<double> one(static_cast<std::size_t>(std::max(m.n_outputs(), m.n_groups())));
  for (Index i = 0; i < x.rows(); ++i) {
    m.predict_one(x.row(i).data(), one.data(), true);
    for (Index g = 0; g < m.n_groups(); ++g) {
      check(same(one[static_cast<std::size_t>(g)], margin(i, g)),
            "predict_one margin equals the batch margin");
    }
    m.predict_one(x.row(i).data(), one.data(), false);
    for (Index k = 0; k < m.n_outputs(); ++k) {
      check(same(one[static_cast<std::size_t>(k)], p(i, k)), "predict_one equals predict");
    }
  }
  const RowMatrixXd phi = m.explain(x, 1);
  check(phi.cols() == m.n_groups() * (m.n_features() + 1), "explain has n x K(F + 1)");
  if (m.n_outputs() == 1) (void)m.band(x, 1);
  (void)m.reasons(x, 3, 0, 1);

  const models::Model back = models::Model::from_bytes(m.to_bytes());
  const RowMatrixXd p2 = back.predict(x, 1);
  for (Index i = 0; i < p.rows(); ++i) {
    for (Index k = 0; k < p.cols(); ++k) {
      check(same(p(i, k), p2(i, k)), "a saved bundle loads back with the same predictions");
    }
  }
}

}  // namespace earlyhelp::fuzz
