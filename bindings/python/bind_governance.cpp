// SPDX-License-Identifier: Apache-2.0
// earlyhelp._core.governance: pseudonymisation, digests and the audit trail.

#include "bind.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/governance/audit.hpp"
#include "earlyhelp/governance/hash.hpp"
#include "earlyhelp/governance/pseudonymise.hpp"
#include "earlyhelp/governance/pseudonymise_file.hpp"
#include "earlyhelp/schema/schema.hpp"

#include <pybind11/stl.h>

#include <string>
#include <vector>

namespace py = pybind11;

namespace earlyhelp::python {

void bind_governance(py::module_& root) {
  using namespace earlyhelp::governance;
  auto m = root.def_submodule("governance", "Pseudonymisation, digests and the audit trail.");

  py::class_<PseudonymKey>(m, "PseudonymKey",
                           "Secret key for pseudonymisation (at least 32 bytes). Never printed.")
      .def(py::init([](py::bytes raw) { return PseudonymKey(std::string(raw)); }), py::arg("raw"))
      .def_static("from_hex", &PseudonymKey::from_hex, py::arg("hex"))
      .def_static("from_file", &PseudonymKey::from_file, py::arg("path"))
      .def_static("generate", &PseudonymKey::generate)
      .def("to_hex", &PseudonymKey::to_hex)
      .def_property_readonly("fingerprint", &PseudonymKey::fingerprint)
      .def("__repr__", [](const PseudonymKey& k) {
        return "<PseudonymKey fingerprint=" + k.fingerprint() + ">";
      });

  py::class_<Pseudonymiser>(m, "Pseudonymiser",
                            "Keyed HMAC-SHA256 pseudonyms of identifier values.")
      .def(py::init<PseudonymKey, std::size_t>(), py::arg("key"), py::arg("digest_bytes") = 16)
      .def("pseudonymise", &Pseudonymiser::pseudonymise, py::arg("domain"), py::arg("value"),
           "Pseudonym (hex) of an already-normalised value; '' stays ''.")
      .def(
          "pseudonymise_many",
          [](const Pseudonymiser& p, const std::string& domain, const std::vector<std::string>& values,
             bool normalise) {
            std::vector<std::string> out(values.size());
            {
              py::gil_scoped_release nogil;
              for (std::size_t i = 0; i < values.size(); ++i)
                out[i] = p.pseudonymise(domain, normalise ? normalise_for_pseudonym(domain, values[i])
                                                          : values[i]);
            }
            return out;
          },
          py::arg("domain"), py::arg("values"), py::arg("normalise") = true,
          "Pseudonyms of many values (normalised first unless normalise=False).")
      .def_property_readonly("key_fingerprint", &Pseudonymiser::key_fingerprint)
      .def_property_readonly("digest_bytes", &Pseudonymiser::digest_bytes);

  py::class_<PseudonymColumn>(m, "PseudonymColumn", "One column to pseudonymise, with its domain.")
      .def_readonly("column", &PseudonymColumn::column)
      .def_readonly("domain", &PseudonymColumn::domain)
      .def_readonly("required", &PseudonymColumn::required)
      .def_readonly("verbatim", &PseudonymColumn::verbatim)
      .def("__repr__", [](const PseudonymColumn& c) {
        return "<PseudonymColumn " + c.column + " domain=" + c.domain + ">";
      });
  py::class_<PseudonymPlan>(m, "PseudonymPlan",
                            "Which columns to pseudonymise, and the cell values that mean missing.")
      .def(py::init<>())
      .def_static("for_stream", &PseudonymPlan::for_stream, py::arg("stream"),
                  "The stream's exactly-matched identifier fields (NHS number, UPN, UPRN, record ids and "
                  "references); names, dates of birth and addresses stay in clear for fuzzy matching.")
      .def_static("for_columns", &PseudonymPlan::for_columns, py::arg("columns"),
                  "Named columns of any table, each its own domain.")
      .def("merge", &PseudonymPlan::merge, py::arg("other"))
      .def(
          "planned_columns",
          [](const PseudonymPlan& plan, const std::vector<std::string>& header, const std::string& source) {
            std::vector<std::string> out;
            for (const PseudonymColumn* c : plan.positions(header, source))
              if (c != nullptr) out.push_back(c->column);
            return out;
          },
          py::arg("header"), py::arg("source") = "the table",
          "The header's columns the plan pseudonymises, in header order; raises InvalidArgument when a "
          "required one is absent.")
      .def_readonly("columns", &PseudonymPlan::columns)
      .def_readonly("missing_values", &PseudonymPlan::missing_values)
      .def(
          "cells",
          [](const PseudonymPlan& plan, const Pseudonymiser& p, const std::string& column,
             const std::vector<std::string>& values) {
            const PseudonymColumn* c = nullptr;
            for (const auto& x : plan.columns)
              if (x.column == column) c = &x;
            EH_CHECK(c != nullptr, "PseudonymPlan.cells: column '{}' is not in the plan", column);
            std::vector<std::string> out(values.size());
            {
              py::gil_scoped_release nogil;
              for (std::size_t i = 0; i < values.size(); ++i) out[i] = plan.cell(p, *c, values[i]);
            }
            return out;
          },
          py::arg("pseudonymiser"), py::arg("column"), py::arg("values"),
          "The pseudonyms of one planned column's cells (missing stays as it is).");
  m.def(
      "pseudonymise_csv",
      [](const Pseudonymiser& p, const PseudonymPlan& plan, const std::string& input, const std::string& output,
         const std::string& rejects, char delimiter) {
        PseudonymiseCounts c;
        {
          py::gil_scoped_release nogil;
          c = pseudonymise_csv(p, plan, input, output, rejects, delimiter);
        }
        py::dict d;
        d["rows_read"] = c.rows_read;
        d["rows_written"] = c.rows_written;
        d["rows_rejected"] = c.rows_rejected;
        d["cells_pseudonymised"] = c.cells_pseudonymised;
        d["cells_emptied"] = c.cells_emptied;
        d["columns"] = c.columns;
        return d;
      },
      py::arg("pseudonymiser"), py::arg("plan"), py::arg("input"), py::arg("output"), py::arg("rejects") = "",
      py::arg("delimiter") = ',',
      "Copies a CSV with the plan's columns pseudonymised; returns the counts.");
  m.def("normalise_for_pseudonym", &normalise_for_pseudonym, py::arg("domain"), py::arg("value"));
  m.def(
      "sha256_hex", [](py::bytes data) { return to_hex(sha256(std::string(data))); },
      py::arg("data"));
  m.def(
      "sha256_file_hex", [](const std::string& path) { return to_hex(sha256_file(path)); },
      py::arg("path"));
  m.def(
      "verify_audit_log",
      [](const std::string& path) {
        const auto v = verify_audit_log(path);
        py::dict d;
        d["ok"] = v.ok;
        d["records"] = v.records;
        d["first_bad_line"] = v.first_bad_line;
        d["message"] = v.message;
        return d;
      },
      py::arg("path"), "Checks the hash chain of an audit log; returns ok, records, first_bad_line, message.");
}

}  // namespace earlyhelp::python
