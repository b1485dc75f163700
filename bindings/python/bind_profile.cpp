// SPDX-License-Identifier: Apache-2.0
// earlyhelp._core.profile: risk profiling on a date (profiling::profile), and the linkage a
// verb-like call starts from. Thin: arguments converted with the GIL, the work without it, the
// columns built after (earlyhelp/profiling.py makes the DataFrames).

#include "bind.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/profiling/domain_row.hpp"
#include "earlyhelp/profiling/link_extracts.hpp"
#include "earlyhelp/features/compute.hpp"
#include "earlyhelp/profiling/profile.hpp"
#include "earlyhelp/profiling/score_row.hpp"
#include "earlyhelp/profiling/train.hpp"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <limits>
#include <optional>
#include <tuple>
#include <map>
#include <string>
#include <vector>

namespace py = pybind11;

namespace earlyhelp::python {

features::Linkage linkage_for_run(const char* fn, const schema::Schema& sch, const std::string& data,
                                  const py::object& persons, const py::object& households, Date as_of,
                                  const std::string& link_out, int threads, const Progress& progress) {
  namespace pf = earlyhelp::profiling;
  features::Linkage links(sch);
  if (persons.is_none()) {
    EH_CHECK(!link_out.empty(), "{}: without persons the extracts are linked: give link_out, the file to write them to",
             fn);
    py::gil_scoped_release nogil;
    links = pf::link_extracts(data, as_of, link_out, threads, progress);
  } else if (py::isinstance<py::str>(persons) && (households.is_none() || py::isinstance<py::str>(households))) {
    const std::string p = persons.cast<std::string>();
    const std::string h = households.is_none() ? std::string() : households.cast<std::string>();
    py::gil_scoped_release nogil;
    links = pf::read_linkage(p, h);
  } else {
    links = make_linkage(sch, persons, households);
  }
  return links;
}

namespace {

py::dict alert_columns(const profiling::ProfileResult& r) {
  std::vector<std::string> person, family, domain, band, reasons, model, sha, version, prev_as_of, new_features;
  std::vector<double> score, prev;
  for (const auto& d : r.domains)
    for (const auto& a : d.decisions.alerts) {
      const bool is_person = a.subject_kind == profiling::SubjectKind::person;
      person.push_back(is_person ? a.subject_id : std::string());
      family.push_back(is_person ? std::string() : a.subject_id);
      domain.push_back(a.domain);
      score.push_back(a.score);
      band.push_back(a.band);
      prev.push_back(a.previous_score ? *a.previous_score : std::numeric_limits<double>::quiet_NaN());
      std::string text;
      for (std::size_t k = 0; k < a.reasons.size(); ++k) text += (k ? "; " : "") + a.reasons[k];
      reasons.push_back(std::move(text));
      model.push_back(a.model.name);
      sha.push_back(a.model.sha256);
      version.push_back(a.model.version);
      prev_as_of.push_back(a.previous_as_of ? format_date(*a.previous_as_of) : std::string());
      std::string nf;
      for (std::size_t k = 0; k < a.new_features.size(); ++k) nf += (k ? ";" : "") + a.new_features[k];
      new_features.push_back(std::move(nf));
    }
  py::dict out;
  out["person_id"] = person;
  out["family_id"] = family;
  out["domain"] = domain;
  out["score"] = score;
  out["band"] = band;
  out["previous_score"] = prev;
  out["reasons"] = reasons;
  out["model"] = model;
  out["model_sha256"] = sha;
  out["previous_as_of"] = prev_as_of;
  out["new_features"] = new_features;
  out["model_version"] = version;
  return out;
}

py::dict score_columns(const profiling::ProfileResult& r) {
  std::vector<std::string> person, family, domain, band;
  std::vector<double> score;
  for (const auto& d : r.domains)
    for (const auto& s : d.scores) {
      person.push_back(s.person_id);
      family.push_back(s.family_id);
      domain.push_back(d.domain);
      score.push_back(s.score);
      band.push_back(s.band);
    }
  py::dict out;
  out["person_id"] = person;
  out["family_id"] = family;
  out["domain"] = domain;
  out["score"] = score;
  out["band"] = band;
  return out;
}

py::list summaries(const profiling::ProfileResult& r) {
  py::list out;
  for (const auto& d : r.domains)
    out.append(py::dict(py::arg("domain") = d.domain,
                        py::arg("subject_kind") = std::string(profiling::to_string(d.subject_kind)),
                        py::arg("subjects") = d.subjects, py::arg("above_threshold") = d.above_threshold,
                        py::arg("in_contact") = d.in_contact, py::arg("alerts") = d.decisions.alerts.size(),
                        py::arg("threshold") = d.threshold, py::arg("model") = d.model.name,
                        py::arg("model_version") = d.model.version, py::arg("model_sha256") = d.model.sha256,
                        py::arg("rerun") = d.rerun));
  return out;
}

}  // namespace

void bind_profile(py::module_& parent) {
  namespace pf = earlyhelp::profiling;
  py::module_ m = parent.def_submodule("profile", "Risk profiling on a date: scores, reasons and alerts.");
  m.def(
      "run",
      [](const std::string& data, const std::string& as_of_text, const py::object& persons,
         const py::object& households, const std::vector<std::string>& domains,
         const std::map<std::string, std::string>& models, const std::string& history, const pf::AlertPolicy& policy,
         int contact_months, int reasons, const std::string& link_out, int threads, const std::string& rejects,
         const py::object& progress, const std::optional<pf::Framework>& families) {
        const auto as_of = parse_date(as_of_text);
        EH_CHECK(as_of.has_value(), "profile: as_of '{}' is not a date (yyyy-mm-dd)", as_of_text);
        const Progress on_progress = progress_from(progress);
        features::Linkage links = linkage_for_run("profile", schema::Schema::builtin(), data, persons, households,
                                                  *as_of, link_out, threads, on_progress);
        pf::ProfileOptions o;
        o.progress = on_progress;
        o.domains = domains;
        o.models = models;
        o.history = history;
        o.policy = policy;
        o.contact.window_months = contact_months;
        o.reasons = reasons;
        o.n_threads = threads;
        o.rejects_dir = rejects;
        o.families = families;
        pf::ProfileResult r;
        {
          py::gil_scoped_release nogil;
          r = pf::profile(data, links, *as_of, o);
        }
        py::dict out;
        out["as_of"] = format_date(r.as_of);
        out["alerts"] = alert_columns(r);
        out["scores"] = score_columns(r);
        out["domains"] = summaries(r);
        out["load_report"] = r.load.to_text();
        if (r.families) out["families"] = families_columns(*r.families);
        return out;
      },
      py::arg("data"), py::arg("as_of"), py::arg("persons"), py::arg("households"), py::arg("domains"),
      py::arg("models"), py::arg("history"), py::arg("policy"), py::arg("contact_months") = 12,
      py::arg("reasons") = 3, py::arg("link_out") = "", py::arg("threads") = 0, py::arg("rejects") = "",
      py::arg("progress") = py::none(), py::arg("families") = py::none(),
      "Scores the domains on `as_of` and decides the alerts (profiling::profile). Returns columns for DataFrames. "
      "progress: None or a callable(stage, done, total) told the linking (fit, predict, cluster, when persons is "
      "None), load and score stages. families: None, or the Framework whose families are assessed as well, from "
      "the same reading of the extracts (then 'families' holds the columns _tf.assess returns).");

  m.def(
      "score_row",
      [](const std::string& domain, const std::string& model_path, const std::map<std::string, double>& row,
         int reasons) {
        const pf::Domain d = pf::resolve_domain(domain);
        const features::FeatureSet& set = d.feature_set();
        const std::vector<double> values = pf::domain_row(d, row);
        const pf::DomainModel dm = model_path.empty() ? pf::DomainModel::reference(d.name()) : pf::DomainModel::load(model_path);
        pf::RowScore s;
        {
          py::gil_scoped_release nogil;
          s = pf::score_row(dm.model, set, values.data(), values.size(), reasons);
        }
        py::dict out;
        out["score"] = s.score;
        out["band"] = s.band;
        out["above_threshold"] = s.above_threshold;
        out["reasons"] = s.reasons;
        out["model"] = dm.identity.name + " " + dm.identity.version;
        out["model_sha256"] = dm.identity.sha256;
        return out;
      },
      py::arg("domain"), py::arg("model_path"), py::arg("row"), py::arg("reasons") = 3,
      "One subject's score, band and reasons from a row {feature name: value} of the domain's features (the "
      "built-in ones and the domain's own; profiling::domain_row, profiling::score_row), with the domain's "
      "reference bundle or the bundle at model_path.");

  m.def(
      "train",
      [](const pf::Domain& domain, const std::string& data, const py::object& persons, const py::object& households,
         const std::string& as_of, const std::string& evaluation_start, double l2, const std::string& name,
         const std::string& version, const std::string& owner, const std::string& link_out, int threads) {
        pf::TrainOptions o;
        o.as_of = features::parse_as_of(as_of);
        if (!evaluation_start.empty()) {
          o.evaluation_start = parse_date(evaluation_start);
          EH_CHECK(o.evaluation_start.has_value(), "train_domain_model: evaluation_start '{}' is not a date",
                   evaluation_start);
        }
        o.l2 = l2;
        o.name = name;
        o.version = version;
        o.owner = owner;
        o.n_threads = threads;
        const Date link_date = *std::max_element(o.as_of.begin(), o.as_of.end());
        features::Linkage links = linkage_for_run("train_domain_model", domain.feature_set().schema(), data, persons,
                                                  households, link_date, link_out, threads);
        py::gil_scoped_release nogil;
        pf::TrainedModel t = pf::train_domain_model(domain, data, links, o);
        return std::make_tuple(std::move(t.model), t.rows, t.positives, t.iterations);
      },
      py::arg("domain"), py::arg("data"), py::arg("persons"), py::arg("households"), py::arg("as_of"),
      py::arg("evaluation_start"), py::arg("l2") = 1.0, py::arg("name") = "", py::arg("version") = "1",
      py::arg("owner") = "", py::arg("link_out") = "", py::arg("threads") = 0,
      "Retrains the domain's model on the council's history (profiling::train_domain_model): (model, rows, "
      "positives, iterations).");
}

}  // namespace earlyhelp::python
