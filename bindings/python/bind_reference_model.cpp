// SPDX-License-Identifier: Apache-2.0
// earlyhelp._core.reference: the model bundle shipped for a built-in domain
// (profiling::DomainModel::reference), so Python can score with the same bundle profile() uses.

#include "bind.hpp"
#include "earlyhelp/profiling/profile.hpp"

#include <string>

namespace py = pybind11;

namespace earlyhelp::python {

void bind_reference_model(py::module_& parent) {
  namespace pf = earlyhelp::profiling;
  py::module_ m = parent.def_submodule("reference", "Reference model bundles (synthetic data only).");
  m.def(
      "model", [](const std::string& domain) { return pf::DomainModel::reference(domain).model; },
      py::arg("domain"),
      "The reference bundle of a built-in domain as an earlyhelp._core.models.Model (trained on synthetic "
      "councils only; not for use on residents).");
}

}  // namespace earlyhelp::python
