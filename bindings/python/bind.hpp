// SPDX-License-Identifier: Apache-2.0
#pragma once

// Declarations of the per-component binding functions of earlyhelp._core.
// Each bind_<component>.cpp is thin: convert arguments, release the GIL, call the C++ API.

#include "earlyhelp/core/date.hpp"
#include "earlyhelp/core/progress.hpp"
#include "earlyhelp/features/load.hpp"
#include "earlyhelp/profiling/troubled_families.hpp"
#include "earlyhelp/schema/schema.hpp"

#include <pybind11/pybind11.h>

namespace earlyhelp::python {

/// Exceptions (earlyhelp.Error and subclasses), version, dates.
void bind_core(pybind11::module_& m);
/// Pseudonymisation, digests, audit trail (earlyhelp.governance).
void bind_governance(pybind11::module_& m);
void bind_encoding(pybind11::module_& m);
/// Evaluation metrics, fairness by group, evaluation reports (earlyhelp._core.evaluation).
void bind_evaluation(pybind11::module_& m);
void bind_schema(pybind11::module_& m);  ///< Schema, Stream, Field, builtin_schema().
void bind_linkage(pybind11::module_& m);
void bind_synth(pybind11::module_& m);
/// The alert policy and its SQLite history (earlyhelp._core.profiling).
void bind_profiling(pybind11::module_& m);
void bind_io(pybind11::module_& m);  ///< earlyhelp._core.io: read_columns, validate (CSV ingest).
void bind_models(pybind11::module_& m);  ///< earlyhelp._core.models

void bind_linker(pybind11::module_& m);  ///< earlyhelp._core.linker: Linker, evaluate_clusters.
void bind_features(pybind11::module_& m);  ///< earlyhelp._core.features: FeatureSet, compute.
/// Troubled Families criteria (earlyhelp._core.troubled_families).
void bind_troubled_families(pybind11::module_& m);
/// Risk domains and training tables (earlyhelp._core.domains).
void bind_domains(pybind11::module_& m);

/// A Python callable(stage, done, total), or None, as the progress of a long call
/// (core/progress.hpp): the GIL is taken back only inside each call. @throws InvalidArgument for
/// anything else.
Progress progress_from(const pybind11::object& callback);

/// Which person each record is (and households when given): each a file path, or lists of strings,
/// (sources, record_ids, person_ids) and (person_ids, household_ids, roles); households may be None.
/// Reading runs without the GIL.
features::Linkage make_linkage(const schema::Schema& sch, const pybind11::object& persons,
                               const pybind11::object& households);
/// The linkage a verb-like call starts from (tf, profile): `persons` None links the extracts of
/// `data` as of `as_of` and writes them to `link_out` (required then); a persons path (with an
/// optional households path) is read as profiling::read_linkage reads it; otherwise make_linkage.
/// Linking and reading run without the GIL.
/// The columns of a FamiliesResult (earlyhelp/troubled_families.py makes DataFrames of them).
pybind11::dict families_columns(const profiling::FamiliesResult& r);

features::Linkage linkage_for_run(const char* fn, const schema::Schema& sch, const std::string& data,
                                  const pybind11::object& persons, const pybind11::object& households, Date as_of,
                                  const std::string& link_out, int threads, const Progress& progress = {});
/// Risk profiling on a date (earlyhelp._core.profile).
void bind_profile(pybind11::module_& m);
void bind_forecast(pybind11::module_& m);
/// Model cards and transparency records (earlyhelp._core.model_card).
void bind_model_card(pybind11::module_& m);  ///< earlyhelp._core.forecast: run, backtest, savings.
/// Reference model bundles of the built-in domains (earlyhelp._core.reference).
void bind_reference_model(pybind11::module_& m);

}  // namespace earlyhelp::python
