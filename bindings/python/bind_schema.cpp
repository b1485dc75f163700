// SPDX-License-Identifier: Apache-2.0
// earlyhelp.Schema, Stream and Field: read-only views of the council data schema.
// Enums are exposed as their JSON names (strings), as in schema files.

#include "bind.hpp"
#include "earlyhelp/core/date.hpp"
#include "earlyhelp/schema/schema.hpp"

#include <pybind11/stl.h>

#include <optional>
#include <string>

namespace py = pybind11;

namespace earlyhelp::python {
namespace {

// A field bound as Python sees it: float, ISO date string, or None.
py::object bound(const std::optional<double>& number, const std::optional<Date>& date) {
  if (number) return py::float_(*number);
  if (date) return py::str(format_date(*date));
  return py::none();
}

}  // namespace
void bind_schema(py::module_& m) {
  using namespace earlyhelp::schema;

  py::class_<Field>(m, "Field", "One field (column) of a data stream. Read-only.")
      .def_readonly("name", &Field::name, "Column name in the extract (snake_case).")
      .def_property_readonly("type", [](const Field& f) { return std::string(to_string(f.type)); },
                             "integer, float, boolean, category, date, datetime, identifier or text.")
      .def_readonly("label", &Field::label, "Plain-language name used in reports and reason codes.")
      .def_readonly("description", &Field::description)
      .def_readonly("unit", &Field::unit)
      .def_property_readonly(
          "min", [](const Field& f) { return bound(f.min, f.min_date); },
          "Inclusive lower bound: a float for numeric fields, an ISO date string for date fields, or None.")
      .def_property_readonly(
          "max", [](const Field& f) { return bound(f.max, f.max_date); }, "Inclusive upper bound (as `min`).")
      .def_readonly("categories", &Field::categories, "Allowed values of a category field.")
      .def_readonly("max_length", &Field::max_length, "Longest allowed value in bytes, or None.")
      .def_readonly("format", &Field::format, "uk_postcode, nhs_number, uprn, upn or ''.")
      .def_readonly("required", &Field::required, "The column must be present in the extract.")
      .def_readonly("nullable", &Field::nullable, "The value may be missing.")
      .def_readonly("unique", &Field::unique, "Values must be unique within the stream.")
      .def_property_readonly("missing", [](const Field& f) { return std::string(to_string(f.missing)); },
                             "Missing-value policy for features: propagate, zero or skip.")
      .def_property_readonly("identifier_role",
                             [](const Field& f) { return std::string(to_string(f.identifier_role)); },
                             "none, direct, quasi or pseudonymised_key.")
      .def_readonly("link_key", &Field::link_key, "Canonical linkage column this field feeds, or ''.")
      .def_property_readonly("sensitivity", [](const Field& f) { return std::string(to_string(f.sensitivity)); },
                             "ordinary, special_category or criminal_offence.")
      .def("__repr__", [](const Field& f) {
        return "<earlyhelp.Field " + f.name + ": " + std::string(to_string(f.type)) + ">";
      });

  py::class_<Stream>(m, "Stream", "One data stream: the extract of one source system. Read-only.")
      .def_readonly("name", &Stream::name)
      .def_readonly("title", &Stream::title)
      .def_readonly("description", &Stream::description)
      .def_readonly("kind", &Stream::kind, "register, event or episode.")
      .def_readonly("owner", &Stream::owner)
      .def_readonly("lawful_basis", &Stream::lawful_basis)
      .def_readonly("refresh", &Stream::refresh)
      .def_readonly("record_id_field", &Stream::record_id_field)
      .def_readonly("event_date_field", &Stream::event_date_field)
      .def_readonly("subject_min_age", &Stream::subject_min_age, "Youngest a row's subject can be on its event date (0: anyone).")
      .def_readonly("missing_values", &Stream::missing_values,
                    "Cell values that mean 'no value' in this extract (compared after trimming).")
      .def_readonly("fields", &Stream::fields, "The fields, in column order.")
      .def_property_readonly("field_names", &Stream::field_names, "The header row of the extract.")
      .def("field", &Stream::field, py::arg("name"), py::return_value_policy::reference_internal,
           "The field called `name`; raises SchemaError listing the fields if there is none.")
      .def("is_missing_value", &Stream::is_missing_value, py::arg("value"))
      .def("__repr__", [](const Stream& s) {
        return "<earlyhelp.Stream " + s.name + ": " + std::to_string(s.fields.size()) + " fields>";
      });

  py::class_<Schema>(m, "Schema",
                     "A set of data streams. Load with Schema.from_json / Schema.from_file, or use "
                     "builtin_schema() for the council catalogue.")
      .def_readonly("name", &Schema::name)
      .def_readonly("version", &Schema::version)
      .def_readonly("description", &Schema::description)
      .def_readonly("streams", &Schema::streams, "The streams, in catalogue order.")
      .def("stream", &Schema::stream, py::arg("name"), py::return_value_policy::reference_internal,
           "The stream called `name`; raises SchemaError naming the known streams if there is none.")
      .def_static("from_json", &Schema::from_json, py::arg("text"), py::arg("source") = "<string>",
                  "Parses schema JSON; errors name `source`, the JSON path and expected vs found.")
      .def_static("from_file", &Schema::from_file, py::arg("path"),
                  "Reads a schema JSON file; IOError if unreadable, SchemaError if invalid.")
      .def_static("builtin", &Schema::builtin, "The built-in council catalogue.")
      .def("to_json", &Schema::to_json, py::arg("indent") = 2,
           "The schema as JSON (streams under 'streams'); round-trips through from_json.")
      .def("to_markdown", &Schema::to_markdown, "A data dictionary in Markdown.")
      .def("__eq__", [](const Schema& a, const Schema& b) { return a == b; })
      .def("__len__", [](const Schema& s) { return s.streams.size(); })
      .def("__contains__", [](const Schema& s, const std::string& n) { return s.find(n) != nullptr; })
      .def("__repr__", [](const Schema& s) {
        return "<earlyhelp.Schema " + s.name + " " + s.version + ": " + std::to_string(s.streams.size()) +
               " streams>";
      });

  m.def("builtin_schema", &Schema::builtin, "The built-in council catalogue (a Schema).");
}

}  // namespace earlyhelp::python
