// SPDX-License-Identifier: Apache-2.0
// earlyhelp._core.features: feature definitions (FeatureSet) and feature tables as of dates.
// Thin: arguments are converted with the GIL held, reading and computing run without it, and the
// numpy results are built after.

#include "bind.hpp"
#include "earlyhelp/features/compute.hpp"
#include "earlyhelp/features/definitions.hpp"
#include "earlyhelp/features/load.hpp"
#include "earlyhelp/schema/schema.hpp"

#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

namespace py = pybind11;

namespace earlyhelp::python {
namespace {

using namespace earlyhelp::features;

schema::Schema load_schema(const std::optional<std::string>& path) {
  return path ? schema::Schema::from_file(*path) : schema::Schema::builtin();
}

py::dict definition(const FeatureSet& set, std::size_t j) {
  const FeatureDef& f = set.features()[j];
  py::dict d;
  d["name"] = f.name;
  d["kind"] = std::string(to_string(f.kind));
  d["level"] = std::string(to_string(f.level));
  d["format"] = std::string(to_string(f.format));
  d["label"] = f.label;
  d["description"] = f.description;
  d["template"] = f.template_text;
  d["stream"] = f.stream;
  d["streams"] = f.streams;  // a records feature's streams (empty for the other kinds)
  d["domains"] = f.domains;
  d["alerting"] = f.alerting;
  return d;
}

}  // namespace

Linkage make_linkage(const schema::Schema& sch, const py::object& persons, const py::object& households) {
  Linkage links(sch);
  if (py::isinstance<py::str>(persons)) {
    const std::string path = persons.cast<std::string>();
    py::gil_scoped_release nogil;
    links = read_persons_csv(path, sch);
  } else {
    auto cols = persons.cast<std::tuple<std::vector<std::string>, std::vector<std::string>, std::vector<std::string>>>();
    py::gil_scoped_release nogil;
    links.add_records(std::get<0>(cols), std::get<1>(cols), std::get<2>(cols), "persons");
  }
  if (households.is_none()) return links;
  if (py::isinstance<py::str>(households)) {
    const std::string path = households.cast<std::string>();
    py::gil_scoped_release nogil;
    read_households_csv(links, path);
  } else {
    auto cols =
        households.cast<std::tuple<std::vector<std::string>, std::vector<std::string>, std::vector<std::string>>>();
    py::gil_scoped_release nogil;
    links.set_households(std::get<0>(cols), std::get<1>(cols), std::get<2>(cols), "households");
  }
  return links;
}

void bind_features(py::module_& parent) {
  py::module_ m = parent.def_submodule("features", "Features as of dates from linked extracts.");

  py::class_<FeatureSet>(m, "FeatureSet", "A checked set of feature definitions bound to a schema.")
      .def_static("builtin", &FeatureSet::builtin, "The built-in definitions (four domains, Troubled Families).")
      .def_static(
          "from_json",
          [](const std::string& text, const std::optional<std::string>& schema, const std::string& source) {
            return FeatureSet::from_json(text, load_schema(schema), source);
          },
          py::arg("text"), py::arg("schema") = py::none(), py::arg("source") = "<string>",
          "Parses definitions JSON against the schema (a file path; None: the built-in one).")
      .def_static(
          "from_file",
          [](const std::string& path, const std::optional<std::string>& schema) {
            return FeatureSet::from_file(path, load_schema(schema));
          },
          py::arg("path"), py::arg("schema") = py::none())
      .def_property_readonly("name", &FeatureSet::name)
      .def_property_readonly("version", &FeatureSet::version)
      .def("__len__", &FeatureSet::size)
      .def_property_readonly("names", [](const FeatureSet& s) { return s.column_names(Level::person); },
                             "Feature names in order.")
      .def(
          "columns", [](const FeatureSet& s, const std::string& level) { return s.column_names(parse_level(level)); },
          py::arg("level") = "person", "The columns of a table at that level.")
      .def(
          "definitions",
          [](const FeatureSet& s) {
            py::list out;
            for (std::size_t j = 0; j < s.size(); ++j) out.append(definition(s, j));
            return out;
          },
          "One dict per feature: name, kind, level, format, label, description, template, stream, streams (the streams "
          "a records feature counts), domains, alerting.")
      .def(
          "describe",
          [](const FeatureSet& s, std::size_t feature,
             py::array_t<float, py::array::c_style | py::array::forcecast> row) {
            EH_CHECK(row.ndim() == 1 && static_cast<std::size_t>(row.shape(0)) == s.size(),
                     "describe: row has shape ({},), expected ({},): one value per feature of the set",
                     row.ndim() == 1 ? row.shape(0) : -1, s.size());
            return s.describe(feature, row.data());
          },
          py::arg("feature"), py::arg("row"),
          "The feature's sentence with the values of `row` (float32, one value per feature, NaN missing).")
      .def("format_value", &FeatureSet::format_value, py::arg("feature"), py::arg("value"))
      .def("to_text", &FeatureSet::to_text)
      .def("to_markdown", &FeatureSet::to_markdown)
      .def("__repr__", [](const FeatureSet& s) {
        return "<earlyhelp.FeatureSet '" + s.name() + "': " + std::to_string(s.size()) + " features>";
      });

  m.def(
      "builtin_json", [] { return std::string(FeatureSet::builtin_json()); },
      "The text of the built-in definitions (to check them against another schema).");

  m.def(
      "compute",
      [](const FeatureSet& set, const std::string& data, const py::object& persons, const py::object& households,
         const std::string& as_of, const std::string& level_name, int threads, const std::string& rejects,
         const py::object& progress) {
        const Level level = parse_level(level_name);
        const Progress on_progress = progress_from(progress);
        const std::vector<Date> dates = parse_as_of(as_of);
        EH_CHECK(level == Level::person || !households.is_none(),
                 "features: level=\"family\" needs households (earlyhelp link --households)");
        Linkage links = make_linkage(set.schema(), persons, households);
        FeatureTable table;
        LoadReport report;
        {
          py::gil_scoped_release nogil;
          LoadOptions lo;
          lo.n_threads = threads;
          lo.rejects_dir = rejects;
          lo.progress = on_progress;
          const EventStore store = load_events(set, data, links, lo, &report);
          links = Linkage(set.schema());
          ComputeOptions co;
          co.n_threads = threads;
          co.progress = on_progress;
          table = compute(set, store, dates, level, co);
        }
        py::array_t<std::int32_t> days(static_cast<py::ssize_t>(table.as_of.size()));
        for (std::size_t i = 0; i < table.as_of.size(); ++i) days.mutable_at(static_cast<py::ssize_t>(i)) = table.as_of[i].days;
        py::list streams;
        for (const auto& s : report.streams) {
          if (s.file.empty()) continue;
          py::dict d;
          d["stream"] = s.stream;
          d["rows_read"] = s.rows_read;
          d["rows_clean"] = s.rows_clean;
          d["rows_rejected"] = s.rows_rejected;
          d["rows_unlinked"] = s.rows_unlinked;
          d["rejects_file"] = s.rejects_file;
          streams.append(d);
        }
        py::dict out;
        out["id_column"] = std::string(table.id_column());
        out["columns"] = table.columns;
        out["ids"] = table.ids;
        out["as_of_days"] = days;
        out["values"] = py::cast(std::move(table.values));  // float32, Fortran order: one column per feature
        out["report"] = report.to_text();
        out["streams"] = streams;
        return out;
      },
      py::arg("set"), py::arg("data"), py::arg("persons"), py::arg("households"), py::arg("as_of"),
      py::arg("level") = "person", py::arg("threads") = 0, py::arg("rejects") = "", py::arg("progress") = py::none(),
      "Features as of each date (`as_of`: 'YYYY-MM-DD' or several separated by commas). Persons and households: "
      "a file path or (a, b, c) lists of strings. Returns columns, ids, as_of_days, values (float32), report. progress: "
      "None or a callable(stage, done, total) told the load and features stages.");
}

}  // namespace earlyhelp::python
