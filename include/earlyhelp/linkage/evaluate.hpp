// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Linkage quality against truth: pairwise precision, recall and F1 (every pair of records in a
/// predicted cluster is a predicted match) and B-cubed precision/recall/F1 (Bagga and Baldwin
/// 1998, "Entity-based cross-document coreferencing using the vector space model").

#include <cstdint>
#include <string>
#include <vector>

namespace earlyhelp::linkage {

/// Pairwise and B-cubed figures.
struct Evaluation {
  double precision = 0, recall = 0, f1 = 0;  ///< pairwise
  std::uint64_t true_positives = 0, predicted_pairs = 0, true_pairs = 0;
  double bcubed_precision = 0, bcubed_recall = 0, bcubed_f1 = 0;
};

/// Compares a predicted clustering with the truth, record by record (`predicted[i]` and
/// `truth[i]` are the cluster labels of record i). When `sources` is given, only pairs of records
/// from different sources count (linking two files); B-cubed always counts every record.
/// @throws InvalidArgument when the lengths differ. Complexity O(n) expected.
Evaluation evaluate_clusters(const std::vector<std::string>& predicted, const std::vector<std::string>& truth,
                             const std::vector<std::string>* sources = nullptr);

/// Share of members whose predicted household is exactly right: `predicted[i]` and `truth[i]`
/// are the household labels of member i (a person), and member i counts as correct when the
/// members sharing its predicted household are exactly those sharing its true one.
/// @throws InvalidArgument when the lengths differ. 1 for no members. Complexity O(n) expected.
double households_correct(const std::vector<std::string>& predicted, const std::vector<std::string>& truth);

}  // namespace earlyhelp::linkage
