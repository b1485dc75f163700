// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// One subject's advisory score with its reasons in plain sentences, from a row of feature values
/// — what a case system asks when it shows one person (the C API's eh_model_score_row, Python's
/// `earlyhelp.score_row`). The row holds one value per feature of a feature set, in the set's order
/// (features::FeatureSet, e.g. a row from features::CaseRecords or eh_feature_case_row), NaN where
/// not known; the bundle's features are taken from it by name. A domain's bundle needs the
/// domain's set (Domain::feature_set(): the built-in features plus its own; a row by feature name
/// from profiling/domain_row.hpp). Reasons are the features pushing the
/// score up most (exact TreeSHAP for trees, exact contributions for linear models), each written
/// with the feature's template and values ("named as the perpetrator of 2 anti-social behaviour
/// incidents in the last year").
///
/// Example:
/// @code
/// auto m = earlyhelp::profiling::DomainModel::reference("asb");
/// auto set = earlyhelp::features::FeatureSet::builtin();
/// std::vector<double> row = ...;  // set.size() values
/// auto s = earlyhelp::profiling::score_row(m.model, set, row.data(), row.size(), 3);
/// @endcode

#include "earlyhelp/features/definitions.hpp"
#include "earlyhelp/models/model.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace earlyhelp::profiling {

/// One subject's score.
struct RowScore {
  double score = 0;
  std::string band;                  ///< "" when the bundle has no bands
  bool above_threshold = false;      ///< at or above the bundle's `alert` threshold (false without one)
  std::vector<std::string> reasons;  ///< up to k plain sentences, strongest first
};

/// Scores a row of `set`'s features with `model` (see the file comment).
/// @throws InvalidArgument when `n_values` is not set.size(), a bundle feature is not in the set
///         (naming it), the bundle has no feature names or more than one output, or k < 0.
RowScore score_row(const models::Model& model, const features::FeatureSet& set, const double* row,
                   std::size_t n_values, int k);

/// The reasons as sentences: each reason's feature (by name) described with the values of `row`
/// (one per feature of `set`, NaN not known); the reason's label for a feature not in the set.
std::vector<std::string> reason_sentences(const features::FeatureSet& set, const float* row,
                                          const std::vector<models::Reason>& reasons);

}  // namespace earlyhelp::profiling
