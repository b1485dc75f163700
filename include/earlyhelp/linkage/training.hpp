// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Training a Fellegi-Sunter model across blocking rules without labels, as Splink does
/// (linker_components/training.py, em_training_session.py; Linacre et al., ONS/MoJ): u from
/// uniformly sampled random pairs (estimate_u), then one EM session per blocking rule on that
/// rule's (possibly block-subsampled) pairs with the rule's own fields fixed, and the match prior
/// from the union of the rules' pairs, counted once each.
///
/// Which session's estimate of a field is trusted: person evidence (first name, date of birth,
/// sex) is learnt where household evidence is held fixed (within a postcode), household evidence
/// where the person is held fixed (same first initial and date of birth); a rule on a person
/// identifier controls both. Elsewhere EM can mistake a household for a person (a couple born in
/// the same year) or a person for a household (a father and his junior), so those estimates are
/// kept only as a fallback for a field no trusted session estimates.
///
/// In data with households (person_rules.hpp), EM can still take a household for a person: the
/// m-probabilities of the disagreement levels of person evidence (a different or loosely similar
/// first name, a date of birth in the same year or different) are then bounded by guard_max_m,
/// what a person's own records rarely show (person_evidence_bounds()).
///
/// A different town is a move: its m-probability is at least the postcode's times the share of
/// moves that cross a town among pairs that agree on full name and date of birth (town_from_moves()).
///
/// Example:
/// ```cpp
/// using namespace earlyhelp::linkage;
/// const Settings s;
/// const BlockingPlan plan = plan_blocking(table, s.blocking_rules, s.max_block_size, s.window);
/// ModelParameters p = train(table, plan, s);   // p.sessions: one per rule
/// ```

#include "earlyhelp/linkage/blocking.hpp"
#include "earlyhelp/linkage/fellegi_sunter.hpp"
#include "earlyhelp/linkage/records.hpp"
#include "earlyhelp/linkage/settings.hpp"

#include <cstdint>
#include <utility>
#include <vector>

namespace earlyhelp::linkage {

/// Trains u, m and the match prior on the candidate pairs of `plan` (built from `r` with
/// `settings.blocking_rules`); with `bound_person_evidence`, EM's m-probabilities are bounded by
/// person_evidence_bounds(settings). With fewer than two identities the defaults are returned
/// with a prior of 0.5. Identical for any thread count.
/// @return fitted parameters, with one TrainingSession per rule.
/// Complexity: O(u_sample_pairs + pairs of the rules, at most max_training_pairs per rule).
ModelParameters train(const PreparedRecords& r, const BlockingPlan& plan, const Settings& settings,
                      bool bound_person_evidence = false);

/// Whether a pair agrees exactly on first name, surname and date of birth, and neither sex nor a
/// person identifier disagrees: all but certainly one person (an anchor of town_from_moves()).
bool is_anchor(const ComparisonVector& v) noexcept;

/// Anchors at different postcodes with a town on both records needed by town_from_moves().
inline constexpr double kMinAnchorMoves = 30;

/// Raises the m-probability of a different town to at least that of a different postcode times
/// the share of anchors (is_anchor()) at different postcodes whose towns differ too (with half a
/// pair's smoothing), when at least kMinAnchorMoves such anchors are among the pattern counts `h`;
/// the town's other levels give up the difference in proportion. A different town is a different
/// postcode, a move: EM's independence model counts a move three times over (address, postcode and
/// town disagree together), can take a person's records at two homes for two people and learn
/// that true matches never show a different town (m at its floor, a weight near -20 bits that no
/// agreement on name and date of birth outweighs: every person who moved town split in two). The
/// postcode's estimate, and how often a person who moved also changed town, bound it without that
/// assumption. @return whether the town's m-probabilities changed. Complexity O(patterns of `h`).
bool town_from_moves(const PatternHistogram& h, ModelParameters& p);

/// Upper bounds on the m-probabilities of person evidence's disagreement levels (first name
/// jaro_winkler_0.80 and different; date of birth same_year and different): `max_m` each.
MBounds person_evidence_bounds(double max_m);

/// Replaces the m-probabilities of `p` by the level frequencies of labelled matching pairs of
/// identities of `r` (pairs of one identity are skipped); a field observed in fewer than five
/// pairs keeps its estimate.
void train_from_labels(const PreparedRecords& r, const std::vector<std::pair<std::uint32_t, std::uint32_t>>& matches,
                       ModelParameters& p);

}  // namespace earlyhelp::linkage
