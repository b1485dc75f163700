// SPDX-License-Identifier: Apache-2.0
// earlyhelp._core: the compiled half of the Python package. Each component binds itself in
// bind_<component>.cpp; this file calls them in layering order.

#include "bind.hpp"
#include "earlyhelp/core/version.hpp"

namespace py = pybind11;

PYBIND11_MODULE(_core, m) {
  m.doc() = "earlyhelp compiled core (use the `earlyhelp` package, not this module directly)";
  m.attr("__version__") = earlyhelp::version();
  earlyhelp::python::bind_core(m);
  earlyhelp::python::bind_governance(m);
  earlyhelp::python::bind_encoding(m);  // into the governance submodule
  earlyhelp::python::bind_evaluation(m);
  earlyhelp::python::bind_schema(m);
  earlyhelp::python::bind_linkage(m);
  earlyhelp::python::bind_synth(m);
  earlyhelp::python::bind_profiling(m);
  earlyhelp::python::bind_io(m);
  earlyhelp::python::bind_models(m);
  earlyhelp::python::bind_linker(m);
  earlyhelp::python::bind_features(m);
  earlyhelp::python::bind_troubled_families(m);
  earlyhelp::python::bind_domains(m);
  earlyhelp::python::bind_profile(m);
  earlyhelp::python::bind_forecast(m);
  earlyhelp::python::bind_model_card(m);
  earlyhelp::python::bind_reference_model(m);
}
