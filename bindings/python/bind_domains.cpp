// SPDX-License-Identifier: Apache-2.0
// earlyhelp._core.domains: the risk domains (Domain) and their training tables. Thin: arguments
// converted with the GIL, reading and computing without it, numpy columns built after
// (earlyhelp/domains.py makes the DataFrame).

#include "bind.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/features/compute.hpp"
#include "earlyhelp/features/load.hpp"
#include "earlyhelp/profiling/domain.hpp"

#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

namespace py = pybind11;

namespace earlyhelp::python {

void bind_domains(py::module_& parent) {
  namespace pf = earlyhelp::profiling;
  py::module_ m = parent.def_submodule("domains", "Risk domains: populations, outcomes and training tables.");

  py::class_<pf::Domain>(m, "Domain", "A risk domain: population, features, outcome and horizon, groups.")
      .def_static("builtin", &pf::Domain::builtin, py::arg("name"), "safeguarding, homelessness, asb or debt.")
      .def_static("builtin_names", &pf::Domain::builtin_names)
      .def_static(
          "from_json", [](const std::string& text, const std::string& source) { return pf::Domain::from_json(text, schema::Schema::builtin(), source); },
          py::arg("text"), py::arg("source") = "<string>")
      .def_static("from_file", [](const std::string& path) { return pf::Domain::from_file(path); }, py::arg("path"))
      .def_property_readonly("name", &pf::Domain::name)
      .def_property_readonly("title", &pf::Domain::title)
      .def_property_readonly("level", [](const pf::Domain& d) { return std::string(features::to_string(d.level())); })
      .def_property_readonly("population", &pf::Domain::population)
      .def_property_readonly("features", &pf::Domain::features)
      .def_property_readonly("groups", &pf::Domain::groups)
      .def_property_readonly("horizon_months", [](const pf::Domain& d) { return d.outcome().horizon_months; })
      .def("__repr__", [](const pf::Domain& d) {
        return "<earlyhelp.Domain '" + d.name() + "': " + std::string(features::to_string(d.level())) + ", " +
               std::to_string(d.features().size()) + " features, " + std::to_string(d.outcome().horizon_months) +
               "-month outcome>";
      });

  m.def(
      "training_table",
      [](const pf::Domain& domain, const std::string& data, const py::object& persons, const py::object& households,
         const std::string& as_of, const std::string& evaluation_start, int threads) {
        const std::vector<Date> dates = features::parse_as_of(as_of);
        std::optional<Date> eval;
        if (!evaluation_start.empty()) {
          eval = parse_date(evaluation_start);
          EH_CHECK(eval.has_value(), "training_table: evaluation_start '{}' is not a date (yyyy-mm-dd)", evaluation_start);
        }
        features::Linkage links = make_linkage(domain.feature_set().schema(), persons, households);
        pf::DomainTable t;
        {
          py::gil_scoped_release nogil;
          features::LoadOptions lo;
          lo.n_threads = threads;
          const features::EventStore store = features::load_events(domain.feature_set(), data, links, lo);
          t = pf::training_table(domain, store, dates, eval, threads);
        }
        py::array_t<std::int32_t> days(static_cast<py::ssize_t>(t.as_of.size()));
        py::array_t<std::int8_t> outcome(static_cast<py::ssize_t>(t.outcome.size()));
        for (std::size_t i = 0; i < t.as_of.size(); ++i) {
          days.mutable_at(static_cast<py::ssize_t>(i)) = t.as_of[i].days;
          outcome.mutable_at(static_cast<py::ssize_t>(i)) = t.outcome[i];
        }
        py::dict out;
        out["id_column"] = std::string(t.id_column());
        out["ids"] = t.ids;
        out["as_of_days"] = days;
        out["columns"] = t.columns;
        out["values"] = py::cast(std::move(t.values));
        out["outcome"] = outcome;
        return out;
      },
      py::arg("domain"), py::arg("data"), py::arg("persons"), py::arg("households"), py::arg("as_of"),
      py::arg("evaluation_start") = "", py::arg("threads") = 0,
      "The domain's population on each date with its features and the outcome over the horizon, derived from later "
      "events in the extracts. Returns columns for a DataFrame.");
}

}  // namespace earlyhelp::python
