// SPDX-License-Identifier: Apache-2.0
#pragma once

// Declarations of the per-component binding functions of earlyhelp._core.
// Each bind_<component>.cpp is thin: convert arguments, release the GIL, call the C++ API.

#include <pybind11/pybind11.h>

namespace earlyhelp::python {

/// Exceptions (earlyhelp.Error and subclasses), version, dates.
void bind_core(pybind11::module_& m);
/// Pseudonymisation, digests, audit trail (earlyhelp.governance).
void bind_governance(pybind11::module_& m);
void bind_schema(pybind11::module_& m);  ///< Schema, Stream, Field, builtin_schema().
void bind_linkage(pybind11::module_& m);
void bind_synth(pybind11::module_& m);
void bind_io(pybind11::module_& m);  ///< earlyhelp._core.io: read_columns, validate (CSV ingest).
void bind_models(pybind11::module_& m);  ///< earlyhelp._core.models

void bind_linker(pybind11::module_& m);  ///< earlyhelp._core.linker: Linker, evaluate_clusters.
void bind_forecast(pybind11::module_& m);  ///< earlyhelp._core.forecast: run, backtest, savings.

}  // namespace earlyhelp::python
