// SPDX-License-Identifier: Apache-2.0
// earlyhelp._core.troubled_families: a family programme's criteria on a date (Framework,
// assess). Thin: arguments converted with the GIL, linking/reading/assessing without it, the
// columns built after (earlyhelp/troubled_families.py makes DataFrames of them).

#include "bind.hpp"
#include "earlyhelp/core/date.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/features/case.hpp"
#include "earlyhelp/profiling/framework.hpp"
#include "earlyhelp/profiling/troubled_families.hpp"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace py = pybind11;

namespace earlyhelp::python {

py::dict families_columns(const profiling::FamiliesResult& r) {
  const std::size_t n = r.families.size();
  std::vector<std::string> ids(n), evidence(n);
  py::array_t<std::int32_t> count(static_cast<py::ssize_t>(n));
  py::array_t<bool> eligible(static_cast<py::ssize_t>(n)), near(static_cast<py::ssize_t>(n));
  py::array_t<double> travelled(static_cast<py::ssize_t>(n)), to_target(static_cast<py::ssize_t>(n));
  std::vector<py::array_t<std::int8_t>> met;
  for (std::size_t c = 0; c < r.criteria.size(); ++c) met.emplace_back(static_cast<py::ssize_t>(n));
  for (std::size_t i = 0; i < n; ++i) {
    const auto& f = r.families[i];
    const auto k = static_cast<py::ssize_t>(i);
    ids[i] = f.family_id;
    evidence[i] = r.evidence_text(i);
    count.mutable_at(k) = f.criteria_met;
    eligible.mutable_at(k) = f.eligible;
    near.mutable_at(k) = f.near_miss;
    travelled.mutable_at(k) = f.attendance_distance_travelled;
    to_target.mutable_at(k) = f.attendance_distance_to_target;
    for (std::size_t c = 0; c < met.size(); ++c) met[c].mutable_at(k) = static_cast<std::int8_t>(f.met[c]);
  }
  std::vector<std::string> mf, mp, mr;
  for (const auto& x : r.members) {
    mf.push_back(x.family_id);
    mp.push_back(x.person_id);
    mr.push_back(x.role);
  }
  py::dict out;
  out["criteria"] = r.criteria;
  out["family_id"] = ids;
  out["criteria_met"] = count;
  out["eligible"] = eligible;
  out["met"] = met;
  out["attendance_distance_travelled"] = travelled;
  out["attendance_distance_to_target"] = to_target;
  out["evidence"] = evidence;
  out["near_miss"] = near;
  out["members"] = py::make_tuple(mf, mp, mr);
  out["report"] = r.load.to_text();
  return out;
}

namespace {

}  // namespace

void bind_troubled_families(py::module_& parent) {
  namespace pf = earlyhelp::profiling;
  py::module_ m = parent.def_submodule("troubled_families", "Troubled Families (or a later framework's) criteria.");

  py::class_<pf::Framework>(m, "Framework", "A family programme's criteria (see README, Troubled Families).")
      .def_static("builtin", &pf::Framework::builtin, "The six Troubled Families headline problems, eligible with two.")
      .def_static(
          "from_json", [](const std::string& text, const std::string& source) { return pf::Framework::from_json(text, schema::Schema::builtin(), source); },
          py::arg("text"), py::arg("source") = "<string>")
      .def_static(
          "from_file", [](const std::string& path) { return pf::Framework::from_file(path); }, py::arg("path"))
      .def_property_readonly("name", &pf::Framework::name)
      .def_property_readonly("title", &pf::Framework::title)
      .def_property_readonly("version", &pf::Framework::version)
      .def_property_readonly("min_criteria", &pf::Framework::min_criteria)
      .def_property_readonly("criteria",
                             [](const pf::Framework& f) {
                               py::list out;
                               for (const auto& c : f.criteria()) out.append(py::dict(py::arg("name") = c.name, py::arg("label") = c.label, py::arg("feature") = c.feature));
                               return out;
                             })
      .def_property_readonly("attendance_target", [](const pf::Framework& f) { return f.attendance().target; })
      .def("__repr__", [](const pf::Framework& f) {
        return "<earlyhelp.Framework '" + f.name() + "': " + std::to_string(f.criteria().size()) + " criteria, at least " +
               std::to_string(f.min_criteria()) + ">";
      });

  m.def(
      "assess",
      [](const pf::Framework& fw, const std::string& data, const py::object& persons, const py::object& households,
         const std::string& as_of_text, const std::string& link_out, int threads, const std::string& rejects) {
        const auto as_of = parse_date(as_of_text);
        EH_CHECK(as_of.has_value(), "tf: as_of '{}' is not a date (yyyy-mm-dd)", as_of_text);
        features::Linkage links = linkage_for_run("tf", fw.feature_set().schema(), data, persons, households, *as_of,
                                                  link_out, threads);
        pf::FamiliesResult r;
        {
          py::gil_scoped_release nogil;
          pf::FamiliesOptions o;
          o.n_threads = threads;
          o.rejects_dir = rejects;
          r = pf::assess_families(fw, data, links, *as_of, o);
        }
        return families_columns(r);
      },
      py::arg("framework"), py::arg("data"), py::arg("persons"), py::arg("households"), py::arg("as_of"),
      py::arg("link_out") = "", py::arg("threads") = 0, py::arg("rejects") = "",
      "Families against the framework on `as_of`. Persons/households: a path or lists (see features.compute); "
      "a persons path without households is read as the households file too; persons None links the extracts "
      "and writes them to link_out. Returns columns for DataFrames.");

  m.def(
      "assess_family",
      [](const pf::Framework& fw, const std::vector<std::tuple<std::size_t, std::string, std::vector<std::string>,
                                                               std::vector<std::vector<std::string>>>>& rows,
         const std::map<std::size_t, std::string>& roles, const std::string& as_of_text, const std::string& family_id) {
        const auto as_of = parse_date(as_of_text);
        EH_CHECK(as_of.has_value(), "assess_family: as_of '{}' is not a date (yyyy-mm-dd)", as_of_text);
        features::CaseRecords records(fw.feature_set());
        std::size_t rejected = 0;
        pf::FamiliesResult r;
        {
          py::gil_scoped_release nogil;
          for (const auto& [member, stream, columns, values] : rows)
            rejected += records.add_rows(member, stream, columns, values);
          for (const auto& [member, role] : roles) {
            EH_CHECK(role == "adult" || role == "child" || role == "unknown",
                     "assess_family: member {}'s role must be adult, child or unknown", member);
            records.set_role(member, role == "adult"   ? features::Role::adult
                                     : role == "child" ? features::Role::child
                                                       : features::Role::unknown);
          }
          r = pf::assess_family(fw, records, *as_of, family_id);
        }
        py::dict out = families_columns(r);
        out["rows_rejected"] = rejected;
        return out;
      },
      py::arg("framework"), py::arg("rows"), py::arg("roles"), py::arg("as_of"), py::arg("family_id") = "family",
      "One family's assessment from the records a case system holds (profiling::assess_family, as the C API's "
      "eh_feature_case_tf).\n\nframework: the Framework. rows: (member, stream, columns, rows) tuples, member 0 "
      "the person asked about and 1, 2, ... the others of the household, rows lists of text cells. roles: "
      "{member: 'adult' | 'child' | 'unknown'} for members whose age is not known. as_of: YYYY-MM-DD. family_id: "
      "the id given to the family.\nReturns the columns of assess, plus rows_rejected (rows the schema "
      "rejected: not used).");
}

}  // namespace earlyhelp::python
