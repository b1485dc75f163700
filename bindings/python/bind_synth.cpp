// SPDX-License-Identifier: Apache-2.0
// earlyhelp._core.synth: the synthetic council generator (pandas frames are built in
// earlyhelp/synth.py from the CSV text returned here).

#include "bind.hpp"
#include "earlyhelp/core/date.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/schema/schema.hpp"
#include "earlyhelp/synth/generate.hpp"

#include <pybind11/stl.h>

#include <map>
#include <optional>
#include <string>

namespace py = pybind11;

namespace earlyhelp::python {

void bind_synth(py::module_& m) {
  auto sm = m.def_submodule("synth", "Synthetic council generator (use earlyhelp.synth)");
  sm.def(
      "generate_tables",
      [](std::size_t persons, std::uint64_t seed, const std::string& start, const std::string& end, int n_threads,
         double error_scale, bool optional_columns, bool early_help, const py::object& progress) {
        synth::Config c;
        c.progress = progress_from(progress);
        c.optional_columns = optional_columns;
        c.early_help = early_help;
        c.persons = persons;
        c.seed = seed;
        c.n_threads = n_threads;
        c.error_scale = error_scale;
        const auto s = parse_date(start), e = parse_date(end);
        EH_CHECK(s.has_value(), "synth.generate: start is not a date (expected YYYY-MM-DD)");
        EH_CHECK(e.has_value(), "synth.generate: end is not a date (expected YYYY-MM-DD)");
        c.start = *s;
        c.end = *e;
        std::map<std::string, std::string> tables;
        synth::GenerateResult result;
        {
          py::gil_scoped_release nogil;
          tables = synth::generate_tables(c, &result);
        }
        py::dict out;
        for (auto& [name, text] : tables) out[py::str(name)] = py::bytes(text);
        py::dict rows;
        for (std::size_t i = 0; i < synth::n_streams; ++i) {
          const std::string name(synth::stream_name(static_cast<synth::StreamId>(i)));
          if (tables.count(name)) rows[py::str(name)] = result.rows[i];  // drawn streams only
        }
        return py::make_tuple(out, rows, result.persons, result.households);
      },
      py::arg("persons"), py::arg("seed"), py::arg("start"), py::arg("end"), py::arg("n_threads") = 0,
      py::arg("error_scale") = 1.0, py::arg("optional_columns") = false, py::arg("early_help") = false,
      py::arg("progress") = py::none(),
      "Generates every table of the synthetic council as CSV bytes: (tables, rows per stream, persons, households). "
      "progress: None or a callable(stage, done, total) told the population and households stages.");
  sm.def(
      "field_types",
      [] {
        const auto schema = schema::Schema::builtin();
        py::dict out;
        for (const auto& s : schema.streams) {
          py::dict fields;
          for (const auto& f : s.fields) fields[py::str(f.name)] = std::string(schema::to_string(f.type));
          out[py::str(s.name)] = fields;
        }
        return out;
      },
      "Field name -> schema type name, per stream of the built-in schema.");
}

}  // namespace earlyhelp::python
