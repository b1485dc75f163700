// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The intervention scenario's reach from the safeguarding model's flags (scenario.hpp,
/// `intervention:prevent=P:scores=FILE[:band=B|:threshold=T][:cost=C]`).
///
/// The scores are those `earlyhelp profile --scores FILE` writes (person_id, family_id, domain,
/// as_of, score, band; only the `safeguarding` rows are read) or the same rows computed in the
/// library. A child is flagged when its band is `band` (default "high") or, with a threshold,
/// when its score is at least `threshold`. The scores are calibrated probabilities that the
/// child starts a children's social care episode within the model's horizon, so the expected
/// share of those children who are flagged (the model's recall at that flag) is
///
///     recall = sum of the flagged children's scores / sum of all the children's scores,
///
/// and the scenario prevents a share P of the entries to care of flagged children: entries to
/// care fall by P x recall (this assumes entries to care are spread over the flagged and the
/// others as episodes in general are). The programme works with the flagged families (distinct
/// family_id; a child without one counts as a family) each year, at C pounds each.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace earlyhelp::forecast {

/// One child's safeguarding score.
struct FlagInput {
  std::string person_id, family_id;
  double score = 0;   ///< probability, 0 to 1
  std::string band;   ///< e.g. "high"; may be empty
};

/// Which children are flagged.
struct FlagRule {
  std::string band = "high";        ///< flagged when band == this (unless threshold is set)
  std::optional<double> threshold;  ///< flagged when score >= threshold
};

/// What the flags give the scenario.
struct FlagSummary {
  std::size_t children = 0, flagged = 0, flagged_families = 0;
  double expected_entrants = 0;  ///< sum of scores
  double recall = 0;             ///< flagged share of expected_entrants
};

/// Summarises the flags. @throws InvalidArgument for a score outside [0, 1] or no children.
FlagSummary summarise_flags(const std::vector<FlagInput>& scores, const FlagRule& rule);

/// Reads the safeguarding rows of a scores CSV (earlyhelp profile --scores).
/// @throws IOError if unreadable; SchemaError naming the file for a missing column;
/// InvalidArgument naming the file, row and field for a score that is not a number in [0, 1]
/// (a bad row is never skipped: the scenario would be wrong).
std::vector<FlagInput> read_safeguarding_scores(const std::string& path);

}  // namespace earlyhelp::forecast
