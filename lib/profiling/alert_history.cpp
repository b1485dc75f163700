// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/profiling/alert_history.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/governance/audit.hpp"
#include "earlyhelp/profiling/detail/history_migrations.hpp"
#include "sqlite_db.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <utility>

namespace earlyhelp::profiling {
namespace {

using detail::Statement;

// Most subjects have no alerting feature: "[]" skips the JSON library both ways.
std::string to_json_list(const std::vector<std::string>& items) {
  if (items.empty()) return "[]";
  return nlohmann::json(items).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<std::string> from_json_list(const std::string& text, const std::string& path) {
  if (text == "[]") return {};
  const auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_array()) throw FormatError(fmt::format("alert history {}: a stored list is not a JSON array", path));
  std::vector<std::string> out;
  for (const auto& v : j) {
    if (!v.is_string()) throw FormatError(fmt::format("alert history {}: a stored list holds a non-string", path));
    out.push_back(v.get<std::string>());
  }
  return out;
}

Date stored_date(const std::string& text, const std::string& path) {
  const auto d = parse_date(text);
  if (!d) throw FormatError(fmt::format("alert history {}: a stored date is not yyyy-mm-dd", path));
  return *d;
}

}  // namespace

AlertHistory::AlertHistory(const std::string& path) : path_(path) {
  const int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    const std::string msg = fmt::format("alert history {}: cannot open: {}", path,
                                        db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
    sqlite3_close(db_);
    db_ = nullptr;
    throw IOError(msg);
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, 5000);
  try {
    detail::migrate(db_, path_, detail::history_migrations());
  } catch (...) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw;
  }
}

AlertHistory::~AlertHistory() { sqlite3_close(db_); }

AlertHistory::AlertHistory(AlertHistory&& other) noexcept
    : path_(std::move(other.path_)), db_(std::exchange(other.db_, nullptr)) {}

AlertHistory& AlertHistory::operator=(AlertHistory&& other) noexcept {
  if (this != &other) {
    sqlite3_close(db_);
    path_ = std::move(other.path_);
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}

int AlertHistory::schema_version() const {
  if (db_ == nullptr) throw StateError("AlertHistory: used after being moved from");
  Statement st(db_, "SELECT version FROM schema_version", path_);
  return st.step() ? static_cast<int>(st.integer(0)) : 0;
}

std::map<std::string, PreviousState> AlertHistory::previous_states(const std::string& domain, Date as_of,
                                                                   const std::vector<std::string>& subject_ids) const {
  if (db_ == nullptr) throw StateError("AlertHistory: used after being moved from");
  // Outside record()'s transaction, read in one of our own: per-statement locking costs more than
  // the lookups themselves.
  std::optional<detail::Transaction> read;
  if (sqlite3_get_autocommit(db_) != 0) read.emplace(db_, path_, "BEGIN");
  const std::string date = format_date(as_of);
  std::map<std::string, PreviousState> out;
  bool none = false;  // no assessment and no alert of the domain before the date (a first run)
  {
    Statement any(db_,
                  "SELECT EXISTS (SELECT 1 FROM assessments WHERE domain = ?1 AND as_of < ?2) "
                  "OR EXISTS (SELECT 1 FROM alerts WHERE domain = ?1 AND as_of < ?2)",
                  path_);
    any.bind(1, domain).bind(2, date);
    none = any.step() && any.integer(0) == 0;
  }
  if (!none) {
    // Two primary-key lookups per subject: the latest assessment before the date, and the date of
    // the latest alert before it.
    Statement last(db_,
                   "SELECT as_of, score, alerting_features FROM assessments "
                   "WHERE domain = ?1 AND subject_id = ?2 AND as_of < ?3 ORDER BY as_of DESC LIMIT 1",
                   path_);
    Statement alerted(db_, "SELECT max(as_of) FROM alerts WHERE domain = ?1 AND subject_id = ?2 AND as_of < ?3",
                      path_);
    for (const std::string& id : subject_ids) {
      PreviousState s;
      last.reset();
      last.bind(1, domain).bind(2, id).bind(3, date);
      if (last.step()) {
        s.assessed_on = stored_date(last.text(0), path_);
        s.score = last.real(1);
        s.alerting_features = from_json_list(last.text(2), path_);
      }
      alerted.reset();
      alerted.bind(1, domain).bind(2, id).bind(3, date);
      if (alerted.step() && !alerted.is_null(0)) s.last_alert_on = stored_date(alerted.text(0), path_);
      if (s.assessed_on || s.last_alert_on) out.emplace(id, std::move(s));
    }
  }  // statements finished before the read transaction ends
  if (read) read->commit();
  return out;
}

RunDecisions AlertHistory::decide(const AssessmentRun& run, const AlertPolicy& policy) const {
  check_run(run, policy);
  std::vector<std::string> ids;
  ids.reserve(run.assessments.size());
  for (const Assessment& a : run.assessments) ids.push_back(a.subject_id);
  return decide_alerts(run, previous_states(run.domain, run.as_of, ids), policy);
}

RecordResult AlertHistory::record(const AssessmentRun& run, const AlertPolicy& policy,
                                  const std::function<void(std::size_t)>& progress) {
  if (db_ == nullptr) throw StateError("AlertHistory: used after being moved from");
  check_run(run, policy);
  const std::string date = format_date(run.as_of);
  const std::string kind(to_string(run.subject_kind));
  detail::Transaction tx(db_, path_);
  RecordResult result;
  {
    Statement st(db_, "SELECT max(as_of) FROM runs WHERE domain = ?1", path_);
    st.bind(1, run.domain);
    if (st.step() && !st.is_null(0) && st.text(0) > date)
      throw StateError(fmt::format("AlertHistory::record: the history already holds a later run of domain '{}' "
                                   "({}, this run {}); runs move forward in time (a rerun of the same date is allowed)",
                                   run.domain, st.text(0), date));
    Statement k(db_, "SELECT subject_kind FROM runs WHERE domain = ?1 AND subject_kind <> ?2 LIMIT 1", path_);
    k.bind(1, run.domain).bind(2, kind);
    EH_CHECK(!k.step(), "AlertHistory::record: domain '{}' was recorded for {}s, this run scores {}s", run.domain,
             k.text(0), kind);
    Statement again(db_, "SELECT 1 FROM runs WHERE domain = ?1 AND as_of = ?2", path_);
    again.bind(1, run.domain).bind(2, date);
    result.rerun = again.step();
  }
  result.decisions = decide(run, policy);
  {
    Statement clear(db_, "DELETE FROM assessments WHERE domain = ?1 AND as_of = ?2", path_);
    clear.bind(1, run.domain).bind(2, date);
    clear.step();
  }
  {
    Statement ins(db_,
                  "INSERT INTO assessments (domain, subject_id, as_of, score, band, alerting_features, in_contact) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                  path_);
    for (std::size_t i = 0; i < run.assessments.size(); ++i) {
      const Assessment& a = run.assessments[i];
      ins.reset();
      ins.bind(1, run.domain).bind(2, a.subject_id).bind(3, date).bind(4, a.score).bind(5, a.band);
      ins.bind(6, to_json_list(a.alerting_features)).bind(7, std::int64_t{a.in_contact ? 1 : 0});
      ins.step();
      if (progress) progress(i + 1);
    }
  }
  const std::string now = governance::utc_now();
  {
    Statement ins(db_,
                  "INSERT OR IGNORE INTO alerts (domain, subject_id, as_of, subject_kind, score, band, previous_score, "
                  "previous_as_of, new_features, reasons, model_name, model_version, model_sha256, recorded_utc) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                  path_);
    for (const Alert& al : result.decisions.alerts) {
      ins.reset();
      ins.bind(1, al.domain).bind(2, al.subject_id).bind(3, date).bind(4, kind).bind(5, al.score).bind(6, al.band);
      if (al.previous_score) ins.bind(7, *al.previous_score);
      else ins.bind_null(7);
      if (al.previous_as_of) ins.bind(8, format_date(*al.previous_as_of));
      else ins.bind_null(8);
      ins.bind(9, to_json_list(al.new_features)).bind(10, to_json_list(al.reasons));
      ins.bind(11, al.model.name).bind(12, al.model.version).bind(13, al.model.sha256).bind(14, now);
      ins.step();
      result.alerts_added += static_cast<std::size_t>(sqlite3_changes(db_));
    }
  }
  {
    Statement ins(db_,
                  "INSERT OR REPLACE INTO runs (domain, as_of, subject_kind, model_name, model_version, model_sha256, "
                  "threshold, min_rise, cooldown_days, require_contact, alert_on_first_assessment, subjects, alerts, "
                  "recorded_utc) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                  "(SELECT count(*) FROM alerts WHERE domain = ?1 AND as_of = ?2), ?13)",
                  path_);
    ins.bind(1, run.domain).bind(2, date).bind(3, kind).bind(4, run.model.name).bind(5, run.model.version);
    ins.bind(6, run.model.sha256).bind(7, run.threshold).bind(8, policy.min_rise);
    ins.bind(9, std::int64_t{policy.cooldown_days}).bind(10, std::int64_t{policy.require_contact ? 1 : 0});
    ins.bind(11, std::int64_t{policy.alert_on_first_assessment ? 1 : 0});
    ins.bind(12, static_cast<std::int64_t>(run.assessments.size())).bind(13, now);
    ins.step();
  }
  tx.commit();
  return result;
}

std::vector<Alert> AlertHistory::alerts(const std::string& domain) const {
  if (db_ == nullptr) throw StateError("AlertHistory: used after being moved from");
  Statement st(db_,
               "SELECT domain, subject_kind, subject_id, as_of, score, band, previous_score, previous_as_of, "
               "new_features, reasons, model_name, model_version, model_sha256 FROM alerts "
               "WHERE ?1 = '' OR domain = ?1 ORDER BY as_of, domain, subject_id",
               path_);
  st.bind(1, domain);
  std::vector<Alert> out;
  while (st.step()) {
    Alert a;
    a.domain = st.text(0);
    a.subject_kind = subject_kind_from_string(st.text(1));
    a.subject_id = st.text(2);
    a.as_of = stored_date(st.text(3), path_);
    a.score = st.real(4);
    a.band = st.text(5);
    if (!st.is_null(6)) a.previous_score = st.real(6);
    if (!st.is_null(7)) a.previous_as_of = stored_date(st.text(7), path_);
    a.new_features = from_json_list(st.text(8), path_);
    a.reasons = from_json_list(st.text(9), path_);
    a.model = ModelIdentity{st.text(10), st.text(11), st.text(12)};
    out.push_back(std::move(a));
  }
  return out;
}

std::vector<RunRecord> AlertHistory::runs() const {
  if (db_ == nullptr) throw StateError("AlertHistory: used after being moved from");
  Statement st(db_,
               "SELECT domain, as_of, subject_kind, model_name, model_version, model_sha256, threshold, min_rise, "
               "cooldown_days, require_contact, alert_on_first_assessment, subjects, alerts, recorded_utc "
               "FROM runs ORDER BY domain, as_of",
               path_);
  std::vector<RunRecord> out;
  while (st.step()) {
    RunRecord r;
    r.domain = st.text(0);
    r.as_of = stored_date(st.text(1), path_);
    r.subject_kind = subject_kind_from_string(st.text(2));
    r.model = ModelIdentity{st.text(3), st.text(4), st.text(5)};
    r.threshold = st.real(6);
    r.policy.min_rise = st.real(7);
    r.policy.cooldown_days = static_cast<int>(st.integer(8));
    r.policy.require_contact = st.integer(9) != 0;
    r.policy.alert_on_first_assessment = st.integer(10) != 0;
    r.subjects = static_cast<std::size_t>(st.integer(11));
    r.alerts = static_cast<std::size_t>(st.integer(12));
    r.recorded_utc = st.text(13);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace earlyhelp::profiling
