// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Umbrella header: includes every public earlyhelp component.

#include "earlyhelp/core/date.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/parallel.hpp"
#include "earlyhelp/core/types.hpp"
#include "earlyhelp/core/version.hpp"
#include "earlyhelp/models/model.hpp"
#include "earlyhelp/schema/schema.hpp"
#include "earlyhelp/linkage/linkage_primitives.hpp"
#include "earlyhelp/linkage/evaluate.hpp"
#include "earlyhelp/linkage/linker.hpp"
#include "earlyhelp/linkage/records_io.hpp"
#include "earlyhelp/synth/generate.hpp"
#include "earlyhelp/io/ingest.hpp"  // also io/csv.hpp and io/field_checks.hpp
#include "earlyhelp/forecast/backtest.hpp"  // also forecast/forecast.hpp and its parts
#include "earlyhelp/forecast/savings.hpp"
