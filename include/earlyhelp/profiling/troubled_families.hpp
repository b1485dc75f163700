// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Troubled Families (or a later framework's) criteria from linked data on an as-of date.
///
/// The criteria are features (profiling/framework.hpp) computed by the features component as of
/// the date, so they see only records dated before it. Per family (household with a member the
/// data knew before the date):
/// - which criteria are met, how many, and eligibility (at least `min_criteria`);
/// - the evidence: per criterion met, the records that show it, as "<stream>:<record_id>". They
///   are the records of the members meeting the criterion, of each feature its rule found true
///   (a condition "offences in 365 days >= 1" that holds gives the offences of those 365 days),
///   selected as the feature selects them (filters, window or last N terms, open episodes, the
///   latest snapshot per account);
/// - attendance, from the child of the household with the lowest attendance over the last three
///   terms: the distance travelled (that attendance minus the attendance over the three terms
///   before, in percentage points: positive is better) and the distance to the target (target
///   minus attendance, in percentage points: positive is below it, zero or negative at or above);
///   NaN when no child has attendance recorded; both rounded to 0.01 points;
/// - near miss: not eligible, one criterion short, the attendance criterion not met, and that
///   child's attendance within `near_miss_points` of the target (either side): the families whose
///   only missing criterion is attendance a few points from 90%.
/// Members: every person of those households known before the date, with their role on the date
/// (adult from the 18th birthday, else child; the households file's role when the age is unknown).
///
/// Example:
/// @code
/// auto fw = earlyhelp::profiling::Framework::builtin();
/// auto links = earlyhelp::features::read_persons_csv("households.csv", fw.feature_set().schema());
/// earlyhelp::features::read_households_csv(links, "households.csv");
/// auto r = earlyhelp::profiling::assess_families(fw, "council/", links, *earlyhelp::parse_date("2024-04-01"));
/// for (const auto& f : r.families) if (f.eligible) fmt::print("{} {}\n", f.family_id, f.criteria_met);
/// @endcode

#include "earlyhelp/core/date.hpp"
#include "earlyhelp/core/progress.hpp"
#include "earlyhelp/features/case.hpp"
#include "earlyhelp/features/events.hpp"
#include "earlyhelp/features/load.hpp"
#include "earlyhelp/profiling/framework.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace earlyhelp::profiling {

/// One family's assessment.
struct FamilyAssessment {
  std::string family_id;
  std::vector<char> met;            ///< per criterion of the framework: 1 when met
  int criteria_met = 0;
  bool eligible = false;
  double attendance_distance_travelled = 0.0;  ///< percentage points (NaN: not known)
  double attendance_distance_to_target = 0.0;  ///< percentage points (NaN: not known)
  bool near_miss = false;
  /// per criterion: the records evidencing it ("<stream>:<record_id>", sorted); empty when not met
  std::vector<std::vector<std::string>> evidence;
};

/// One member of a family on the date.
struct FamilyMember {
  std::string family_id, person_id;
  std::string role;  ///< "adult", "child" or "unknown"
};

/// The families and members on one date.
struct FamiliesResult {
  Date as_of;
  std::vector<std::string> criteria;       ///< the framework's criterion names, in order
  std::vector<FamilyAssessment> families;  ///< by family id
  std::vector<FamilyMember> members;       ///< by family id, then person id
  features::LoadReport load;               ///< what reading the extracts gave

  /// "crime_asb: youth_offending:Y1 asb_incidents:A7; domestic_abuse: ..." for family `i`.
  std::string evidence_text(std::size_t i) const;
};

/// Options of assess_families.
struct FamiliesOptions {
  int n_threads = 0;        ///< <= 0: all cores
  std::string rejects_dir;  ///< when set, rejected rows go to <dir>/<stream>.rejects.csv
  /// Progress (core/progress.hpp): "load" (streams), "family features" and "person features"
  /// (rows, after each block), "evidence" (the streams evidencing the criteria, read at once).
  Progress progress{};
};

/// Assesses every family from a folder of extracts and their linkage (which must have households).
/// @throws InvalidArgument when `links` has no households; as features::load_events for the extracts.
FamiliesResult assess_families(const Framework& framework, const std::string& data_dir, const features::Linkage& links,
                               Date as_of, const FamiliesOptions& options = {});

/// Assesses every family of an event store (no evidence: the store does not hold record ids).
/// @throws InvalidArgument when the store has no households or was built for other features.
FamiliesResult assess_families(const Framework& framework, const features::EventStore& store, Date as_of,
                               int n_threads = 0);

/// Assesses one family from the records a case system holds about its members (a
/// features::CaseRecords: member 0 and the others of the household, stream by stream), as
/// assess_families assesses each family of a folder: the same criteria, eligibility, attendance,
/// near miss, and the evidence ("<stream>:<record_id>") from the records given. The result has one
/// family, `family_id`, and its members with person ids "000000", "000001", ... by member number
/// (a member known only by a role, with no record dated before the date, is not a member on it).
/// The case's own feature set need not be the framework's: the records are read again for the
/// framework's features. The C API's eh_feature_case_tf is this function.
/// @throws SchemaError when the framework's schema lacks a stream the case holds.
FamiliesResult assess_family(const Framework& framework, const features::CaseRecords& family, Date as_of,
                             const std::string& family_id = "family");

}  // namespace earlyhelp::profiling
