// SPDX-License-Identifier: Apache-2.0
// earlyhelp._core.profiling: the alert policy and its SQLite history. Assessments come in as
// columns (earlyhelp/alerts.py turns a DataFrame into them); decisions and alerts go out as lists
// of records for DataFrames. The run is decided and recorded with the GIL released.

#include "bind.hpp"
#include "earlyhelp/core/date.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/profiling/alert_history.hpp"
#include "earlyhelp/profiling/alerts.hpp"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace py = pybind11;

namespace earlyhelp::python {
namespace {

namespace pf = earlyhelp::profiling;

Date date_arg(const std::string& text, const char* what) {
  const auto d = parse_date(text);
  EH_CHECK(d.has_value(), "alerts: {} '{}' is not a date (yyyy-mm-dd)", what, text);
  return *d;
}

py::object date_or_none(const std::optional<Date>& d) {
  return d ? py::object(py::str(format_date(*d))) : py::object(py::none());
}

/// The run from columns: subject_id, score, band, alerting_features, reasons (lists of str per
/// subject) and in_contact, as earlyhelp/alerts.py builds them from a DataFrame.
pf::AssessmentRun make_run(const std::string& domain, const std::string& subject_kind, const std::string& as_of,
                           const std::vector<std::string>& model, double threshold, const py::dict& c) {
  EH_CHECK(model.size() == 3, "alerts: model needs name, version and sha256 ({} values given)", model.size());
  auto ids = c["subject_id"].cast<std::vector<std::string>>();
  const auto scores = c["score"].cast<py::array_t<double, py::array::c_style | py::array::forcecast>>();
  auto bands = c["band"].cast<std::vector<std::string>>();
  auto features = c["alerting_features"].cast<std::vector<std::vector<std::string>>>();
  auto reasons = c["reasons"].cast<std::vector<std::vector<std::string>>>();
  const auto contact = c["in_contact"].cast<py::array_t<bool, py::array::c_style | py::array::forcecast>>();
  const std::size_t n = ids.size();
  EH_CHECK(static_cast<std::size_t>(scores.size()) == n && bands.size() == n && features.size() == n &&
               reasons.size() == n && static_cast<std::size_t>(contact.size()) == n,
           "alerts: the assessment columns differ in length ({} subject ids)", n);
  pf::AssessmentRun run;
  run.domain = domain;
  run.subject_kind = pf::subject_kind_from_string(subject_kind);
  run.as_of = date_arg(as_of, "as_of");
  run.model = pf::ModelIdentity{model[0], model[1], model[2]};
  run.threshold = threshold;
  run.assessments.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    pf::Assessment& a = run.assessments[i];
    a.subject_id = std::move(ids[i]);
    a.score = scores.at(static_cast<py::ssize_t>(i));
    a.band = std::move(bands[i]);
    a.alerting_features = std::move(features[i]);
    a.reasons = std::move(reasons[i]);
    a.in_contact = contact.at(static_cast<py::ssize_t>(i));
  }
  return run;
}

// Decisions go out as columns, the rule flags as numpy bool arrays: one per subject of the
// population, so building a Python object per value would cost more than deciding.
py::dict decision_columns(const pf::RunDecisions& d) {
  const std::size_t n = d.decisions.size();
  py::dict out;
  std::vector<std::string> ids(n), blocked(n);
  for (std::size_t i = 0; i < n; ++i) {
    ids[i] = d.decisions[i].subject_id;
    for (const std::string& rule : d.decisions[i].blocked_by()) blocked[i] += (blocked[i].empty() ? "" : ";") + rule;
  }
  out["subject_id"] = ids;
  static const std::pair<const char*, bool pf::Decision::*> flags[] = {
      {"alert", &pf::Decision::alert},
      {"above_threshold", &pf::Decision::above_threshold},
      {"changed", &pf::Decision::changed},
      {"first_assessment", &pf::Decision::first_assessment},
      {"in_contact", &pf::Decision::in_contact},
      {"outside_cooldown", &pf::Decision::outside_cooldown}};
  for (const auto& [name, member] : flags) {
    py::array_t<bool> column(static_cast<py::ssize_t>(n));
    auto v = column.mutable_unchecked<1>();
    for (std::size_t i = 0; i < n; ++i) v(static_cast<py::ssize_t>(i)) = d.decisions[i].*member;
    out[name] = column;
  }
  out["blocked_by"] = blocked;
  return out;
}

py::list alert_records(const std::vector<pf::Alert>& alerts) {
  py::list out;
  for (const pf::Alert& a : alerts) {
    py::dict r;
    r["subject_id"] = a.subject_id;
    r["subject_kind"] = std::string(pf::to_string(a.subject_kind));
    r["domain"] = a.domain;
    r["as_of"] = format_date(a.as_of);
    r["score"] = a.score;
    r["band"] = a.band;
    r["previous_score"] = a.previous_score;
    r["previous_as_of"] = date_or_none(a.previous_as_of);
    r["new_features"] = a.new_features;
    r["reasons"] = a.reasons;
    r["model"] = a.model.name;
    r["model_version"] = a.model.version;
    r["model_sha256"] = a.model.sha256;
    out.append(r);
  }
  return out;
}

}  // namespace

void bind_profiling(py::module_& root) {
  auto m = root.def_submodule("profiling", "The alert policy and its assessment history.");

  py::class_<pf::AlertPolicy>(m, "AlertPolicy",
                              "The alert policy's parameters: min_rise (0.05), cooldown_days (90), "
                              "require_contact (True), alert_on_first_assessment (False).")
      .def(py::init([](double min_rise, int cooldown_days, bool require_contact, bool alert_on_first_assessment) {
             return pf::AlertPolicy{min_rise, cooldown_days, require_contact, alert_on_first_assessment};
           }),
           py::arg("min_rise") = 0.05, py::arg("cooldown_days") = 90, py::arg("require_contact") = true,
           py::arg("alert_on_first_assessment") = false)
      .def_readwrite("min_rise", &pf::AlertPolicy::min_rise)
      .def_readwrite("cooldown_days", &pf::AlertPolicy::cooldown_days)
      .def_readwrite("require_contact", &pf::AlertPolicy::require_contact)
      .def_readwrite("alert_on_first_assessment", &pf::AlertPolicy::alert_on_first_assessment)
      .def("__repr__", [](const pf::AlertPolicy& p) {
        return fmt::format("AlertPolicy(min_rise={}, cooldown_days={}, require_contact={}, "
                           "alert_on_first_assessment={})",
                           p.min_rise, p.cooldown_days, p.require_contact ? "True" : "False",
                           p.alert_on_first_assessment ? "True" : "False");
      });

  m.def(
      "decide_alerts",
      [](const std::string& domain, const std::string& subject_kind, const std::string& as_of,
         const std::vector<std::string>& model, double threshold, const py::dict& cols,
         const std::vector<std::string>& prev_ids, const std::vector<std::optional<std::string>>& prev_dates,
         const std::vector<double>& prev_scores, const std::vector<std::vector<std::string>>& prev_features,
         const std::vector<std::optional<std::string>>& last_alerts, const pf::AlertPolicy& policy) {
        const pf::AssessmentRun run = make_run(domain, subject_kind, as_of, model, threshold, cols);
        EH_CHECK(prev_dates.size() == prev_ids.size() && prev_scores.size() == prev_ids.size() &&
                     prev_features.size() == prev_ids.size() && last_alerts.size() == prev_ids.size(),
                 "decide_alerts: the previous-state columns differ in length ({} subject ids)", prev_ids.size());
        std::map<std::string, pf::PreviousState> previous;
        for (std::size_t i = 0; i < prev_ids.size(); ++i) {
          pf::PreviousState s;
          if (prev_dates[i]) s.assessed_on = date_arg(*prev_dates[i], "previous_as_of");
          s.score = prev_scores[i];
          s.alerting_features = prev_features[i];
          if (last_alerts[i]) s.last_alert_on = date_arg(*last_alerts[i], "last_alert_as_of");
          EH_CHECK(previous.emplace(prev_ids[i], std::move(s)).second,
                   "decide_alerts: previous-state row {} repeats the subject id of an earlier row", i);
        }
        pf::RunDecisions d;
        {
          py::gil_scoped_release nogil;
          d = pf::decide_alerts(run, previous, policy);
        }
        return py::make_tuple(decision_columns(d), alert_records(d.alerts));
      },
      py::arg("domain"), py::arg("subject_kind"), py::arg("as_of"), py::arg("model"), py::arg("threshold"),
      py::arg("columns"), py::arg("previous_ids"), py::arg("previous_as_of"), py::arg("previous_scores"),
      py::arg("previous_features"), py::arg("last_alert_as_of"), py::arg("policy"));

  py::class_<pf::AlertHistory>(m, "AlertHistory", "An assessment history file (SQLite).")
      .def(py::init<const std::string&>(), py::arg("path"))
      .def_property_readonly("path", &pf::AlertHistory::path)
      .def_property_readonly("schema_version", &pf::AlertHistory::schema_version)
      .def(
          "record",
          [](pf::AlertHistory& h, const std::string& domain, const std::string& subject_kind, const std::string& as_of,
             const std::vector<std::string>& model, double threshold, const py::dict& cols,
             const pf::AlertPolicy& policy, bool dry_run) {
            const pf::AssessmentRun run = make_run(domain, subject_kind, as_of, model, threshold, cols);
            pf::RecordResult r;
            {
              py::gil_scoped_release nogil;
              if (dry_run) r.decisions = h.decide(run, policy);
              else r = h.record(run, policy);
            }
            return py::make_tuple(decision_columns(r.decisions), alert_records(r.decisions.alerts), r.rerun,
                                  r.alerts_added);
          },
          py::arg("domain"), py::arg("subject_kind"), py::arg("as_of"), py::arg("model"), py::arg("threshold"),
          py::arg("columns"), py::arg("policy"), py::arg("dry_run"))
      .def(
          "alerts", [](const pf::AlertHistory& h, const std::string& domain) { return alert_records(h.alerts(domain)); },
          py::arg("domain") = std::string())
      .def("runs", [](const pf::AlertHistory& h) {
        py::list rows;
        for (const pf::RunRecord& r : h.runs()) {
          py::dict d;
          d["domain"] = r.domain;
          d["as_of"] = format_date(r.as_of);
          d["subject_kind"] = std::string(pf::to_string(r.subject_kind));
          d["model"] = r.model.name;
          d["model_version"] = r.model.version;
          d["model_sha256"] = r.model.sha256;
          d["threshold"] = r.threshold;
          d["min_rise"] = r.policy.min_rise;
          d["cooldown_days"] = r.policy.cooldown_days;
          d["require_contact"] = r.policy.require_contact;
          d["alert_on_first_assessment"] = r.policy.alert_on_first_assessment;
          d["subjects"] = r.subjects;
          d["alerts"] = r.alerts;
          d["recorded_utc"] = r.recorded_utc;
          rows.append(d);
        }
        return rows;
      });
}

}  // namespace earlyhelp::python
