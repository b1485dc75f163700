// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The assessment history behind the alert policy (alerts.hpp), kept in an SQLite file so that
/// each run can compare a subject with their previous assessment and last alert.
///
/// - **One transaction per run.** A run's assessments, alerts and run record are written in one
///   `BEGIN IMMEDIATE ... COMMIT`: a run that fails, throws or is killed midway leaves the history
///   exactly as it was before the run (SQLite's journal rolls an interrupted write back when the
///   file is next opened).
/// - **Idempotent.** Rerunning a domain's as-of date decides against the same past (everything
///   strictly before the date), replaces that date's assessments and adds no alert already
///   recorded for the date: the same input gives the same alerts and adds none. An alert once
///   recorded is never removed (it may have been read).
/// - **Forward in time.** A run dated before the domain's latest recorded run is refused (a
///   StateError): later decisions were made without it.
/// - **Versioned.** A `schema_version` table holds the layout's version; opening applies the
///   migrations up to this build's version (kHistorySchemaVersion), each in its own transaction.
///   A file written by a newer earlyhelp, or that is not an earlyhelp history, is refused with a
///   FormatError; one that cannot be opened is an IOError.
///
/// Not thread-safe: one AlertHistory per thread (SQLite serialises writers across processes;
/// a writer waits up to 5 s for another's transaction).
///
/// Example:
/// @code
/// earlyhelp::profiling::AlertHistory history("alerts.sqlite");
/// auto result = history.record(run, earlyhelp::profiling::AlertPolicy{});
/// for (const auto& alert : result.decisions.alerts) show(alert);
/// @endcode

#include "earlyhelp/core/date.hpp"
#include "earlyhelp/profiling/alerts.hpp"

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace earlyhelp::profiling {

/// The history layout this build writes (and the newest it reads).
inline constexpr int kHistorySchemaVersion = 1;

/// What record() did.
struct RecordResult {
  RunDecisions decisions;    ///< as decide_alerts: every subject's rules, and the alerts
  bool rerun = false;        ///< the domain's as-of date was already recorded
  std::size_t alerts_added = 0;  ///< alerts new to the history (0 on an identical rerun)
};

/// One recorded run.
struct RunRecord {
  std::string domain;
  Date as_of;
  SubjectKind subject_kind = SubjectKind::person;
  ModelIdentity model;
  double threshold = 0;
  AlertPolicy policy;
  std::size_t subjects = 0;
  std::size_t alerts = 0;     ///< alerts recorded for this date
  std::string recorded_utc;   ///< when it was (last) recorded
};

/// An assessment history file.
class AlertHistory {
 public:
  /// Opens (creating if absent) and migrates the history at `path`.
  /// @throws IOError when the file cannot be opened or created; FormatError when it is not an
  ///         earlyhelp alert history or was written by a newer version.
  explicit AlertHistory(const std::string& path);
  ~AlertHistory();
  AlertHistory(AlertHistory&& other) noexcept;
  AlertHistory& operator=(AlertHistory&& other) noexcept;
  AlertHistory(const AlertHistory&) = delete;
  AlertHistory& operator=(const AlertHistory&) = delete;

  /// The layout version of the open file (kHistorySchemaVersion after opening).
  int schema_version() const;
  const std::string& path() const noexcept { return path_; }

  /// What each subject's history was before `as_of` in `domain`.
  std::map<std::string, PreviousState> previous_states(const std::string& domain, Date as_of,
                                                       const std::vector<std::string>& subject_ids) const;

  /// Decides without recording (a dry run): decide_alerts against this history.
  /// @throws InvalidArgument as decide_alerts.
  RunDecisions decide(const AssessmentRun& run, const AlertPolicy& policy = {}) const;

  /// Decides and records the run in one transaction.
  /// @param progress called with the number of subjects stored so far, inside the transaction;
  ///        an exception thrown from it aborts the run and rolls it back
  /// @throws InvalidArgument as decide_alerts; StateError for a run dated before the domain's
  ///         latest run; Error for an SQLite failure (the run is rolled back).
  RecordResult record(const AssessmentRun& run, const AlertPolicy& policy = {},
                      const std::function<void(std::size_t)>& progress = {});

  /// Alerts recorded, oldest first; of one domain, or all when `domain` is empty.
  std::vector<Alert> alerts(const std::string& domain = {}) const;
  /// Runs recorded, by domain then date.
  std::vector<RunRecord> runs() const;

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
};

}  // namespace earlyhelp::profiling
