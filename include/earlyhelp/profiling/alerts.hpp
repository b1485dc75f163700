// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The alert policy: who, among the persons or families scored in one domain on one as-of date,
/// is brought to a professional's attention. A subject is alerted only when every rule holds:
///
/// 1. **above threshold** — the score is at or above the domain's alert threshold;
/// 2. **changed** — circumstances changed since the subject's previous assessment: the score
///    rose by at least `AlertPolicy::min_rise`, or an alerting feature is present that was not
///    (a first assessment, with nothing to compare, is a baseline and does not alert unless
///    `alert_on_first_assessment`);
/// 3. **in contact** — the subject is already in contact with a service (a contact, open case or
///    service record within the ContactRule window, computed by the caller; see contact.hpp);
/// 4. **outside the cool-down** — no alert for the same subject and domain in the
///    `cooldown_days` before the as-of date.
///
/// An alert carries the as-of date, score, band, the previous score and its date, what changed,
/// the top reasons as plain sentences, and the model bundle's name, version and SHA-256 — and
/// never a recommended action: the decision stays with the professional.
///
/// decide_alerts() is the pure rule; AlertHistory (alert_history.hpp) keeps the assessments and
/// alerts between runs in SQLite and calls it.
///
/// Example:
/// @code
/// using namespace earlyhelp::profiling;
/// AssessmentRun run{"asb", SubjectKind::person, *earlyhelp::parse_date("2024-03-31"),
///                   ModelIdentity{"asb-reference", "1.0.0", sha256_hex}, 0.3, {}};
/// run.assessments.push_back({"p-17", 0.42, "high", {"asb_incidents_90d"},
///                            {"3 anti-social behaviour incidents in the last 90 days"}, true});
/// RunDecisions d = decide_alerts(run, {{"p-17", PreviousState{...}}}, AlertPolicy{});
/// @endcode

#include "earlyhelp/core/date.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace earlyhelp::profiling {

/// What a domain scores: persons or families (households).
enum class SubjectKind { person, family };
/// "person" or "family".
std::string_view to_string(SubjectKind k) noexcept;
/// Parses "person" or "family". @throws InvalidArgument otherwise.
SubjectKind subject_kind_from_string(std::string_view s);

/// The model bundle that produced the scores.
struct ModelIdentity {
  std::string name;
  std::string version;
  std::string sha256;  ///< of the bundle file, 64 lower-case hex digits
};

/// One subject's assessment on the as-of date.
struct Assessment {
  std::string subject_id;                      ///< person_id or family_id (pseudonymised)
  double score = 0;                            ///< finite
  std::string band;                            ///< e.g. "high"
  std::vector<std::string> alerting_features;  ///< names of the alerting features present
  std::vector<std::string> reasons;            ///< top reasons, plain sentences with values
  bool in_contact = false;                     ///< in contact with a service within the window
};

/// Every assessment of one domain on one as-of date.
struct AssessmentRun {
  std::string domain;  ///< "safeguarding", "homelessness", "asb", "debt", ...
  SubjectKind subject_kind = SubjectKind::person;
  Date as_of;
  ModelIdentity model;
  double threshold = 0;  ///< the domain's alert threshold (score >= threshold)
  std::vector<Assessment> assessments;
};

/// The policy's parameters.
struct AlertPolicy {
  /// The least rise of the score since the previous assessment that counts as a change, in score
  /// units (probability points for a calibrated model); compared to within 1e-12.
  double min_rise = 0.05;
  /// No second alert for a subject and domain until this many days after the last one.
  int cooldown_days = 90;
  /// Alert only subjects already in contact with a service (rule 3).
  bool require_contact = true;
  /// A subject's first assessment counts as a change (by default it is only a baseline, so the
  /// first run does not alert everyone already above the threshold).
  bool alert_on_first_assessment = false;
};

/// What the history knows of a subject before the as-of date.
struct PreviousState {
  std::optional<Date> assessed_on;             ///< the latest assessment before the date, if any
  double score = 0;                            ///< its score
  std::vector<std::string> alerting_features;  ///< its alerting features
  std::optional<Date> last_alert_on;           ///< the latest alert before the date, if any
};

/// An alert for a professional. It holds no recommended action, by design.
struct Alert {
  std::string domain;
  SubjectKind subject_kind = SubjectKind::person;
  std::string subject_id;
  Date as_of;
  double score = 0;
  std::string band;
  std::optional<double> previous_score;  ///< absent on an alerted first assessment
  std::optional<Date> previous_as_of;
  std::vector<std::string> new_features;  ///< alerting features not present before
  std::vector<std::string> reasons;
  ModelIdentity model;
};

/// How each rule came out for one subject.
struct Decision {
  std::string subject_id;
  bool above_threshold = false;
  bool changed = false;           ///< rose by min_rise or a new alerting feature (or an alerted first)
  bool first_assessment = false;  ///< no assessment before the date
  bool in_contact = false;        ///< as given, or true when the policy does not require contact
  bool outside_cooldown = false;
  bool alert = false;             ///< all four rules hold
  /// The rules that blocked the alert, in rule order: "below_threshold", "no_change",
  /// "first_assessment", "not_in_contact", "cooldown". Empty when alerted.
  std::vector<std::string> blocked_by() const;
};

/// Decisions for every assessment (input order) and the alerts among them.
struct RunDecisions {
  std::vector<Decision> decisions;
  std::vector<Alert> alerts;
};

/// Applies the policy to a run given what is known of each subject before its date (`previous`,
/// keyed by subject id; a subject absent from it has no history).
/// @throws InvalidArgument for an empty domain or model name, a SHA-256 that is not 64 hex
///         digits, a non-finite threshold or score, an empty or repeated subject id (naming the
///         row), a negative min_rise or cool-down. Complexity O(n log n) in the features.
RunDecisions decide_alerts(const AssessmentRun& run, const std::map<std::string, PreviousState>& previous,
                           const AlertPolicy& policy = {});

/// Checks a run as decide_alerts does, without deciding. @throws InvalidArgument.
void check_run(const AssessmentRun& run, const AlertPolicy& policy);

}  // namespace earlyhelp::profiling
