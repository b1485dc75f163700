// SPDX-License-Identifier: Apache-2.0
// One subject's score and reasons from a feature row (profiling/score_row.hpp).
#include "earlyhelp/profiling/score_row.hpp"

#include "earlyhelp/core/error.hpp"

namespace earlyhelp::profiling {

std::vector<std::string> reason_sentences(const features::FeatureSet& set, const float* row,
                                          const std::vector<models::Reason>& reasons) {
  std::vector<std::string> out;
  out.reserve(reasons.size());
  for (const auto& r : reasons) {
    const auto j = set.find(r.name);
    out.push_back(j ? set.describe(*j, row) : r.label);
  }
  return out;
}

RowScore score_row(const models::Model& model, const features::FeatureSet& set, const double* row,
                   std::size_t n_values, int k) {
  EH_CHECK(row != nullptr || n_values == 0, "score_row: row is NULL");
  EH_CHECK(n_values == set.size(), "score_row: the row has {} values, the feature set '{}' has {} features", n_values,
           set.name(), set.size());
  EH_CHECK(k >= 0, "score_row: k is {}, expected 0 or more", k);
  EH_CHECK(!model.feature_names().empty(), "score_row: the bundle has no feature names to take from the row");
  EH_CHECK(model.n_outputs() == 1, "score_row: the bundle gives {} outputs, expected one risk score", model.n_outputs());
  RowMatrixXd x(1, model.n_features());
  for (std::size_t c = 0; c < model.feature_names().size(); ++c) {
    const auto j = set.find(model.feature_names()[c]);
    EH_CHECK(j.has_value(), "score_row: the bundle needs feature '{}', which feature set '{}' does not have",
             model.feature_names()[c], set.name());
    x(0, static_cast<Index>(c)) = row[*j];
  }
  RowScore out;
  model.predict_one(x.data(), &out.score);
  const int b = model.bands().empty() ? -1 : model.bands().band(out.score);
  if (b >= 0) out.band = model.bands().names[static_cast<std::size_t>(b)];
  const auto t = model.thresholds().find("alert");
  out.above_threshold = t != model.thresholds().end() && out.score >= t->second;
  if (k > 0) {
    const std::vector<float> values(row, row + n_values);
    out.reasons = reason_sentences(set, values.data(), model.reasons(x, k).front());
  }
  return out;
}

}  // namespace earlyhelp::profiling
