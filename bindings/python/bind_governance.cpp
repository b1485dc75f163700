// SPDX-License-Identifier: Apache-2.0
// earlyhelp._core.governance: pseudonymisation, digests and the audit trail.

#include "bind.hpp"
#include "earlyhelp/governance/audit.hpp"
#include "earlyhelp/governance/hash.hpp"
#include "earlyhelp/governance/pseudonymise.hpp"

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
