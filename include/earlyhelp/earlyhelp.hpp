// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Umbrella header: includes every public earlyhelp component.

#include "earlyhelp/core/date.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/parallel.hpp"
#include "earlyhelp/core/split.hpp"
#include "earlyhelp/core/types.hpp"
#include "earlyhelp/core/version.hpp"
#include "earlyhelp/governance/evaluation_report.hpp"  // also evaluation, fairness, metrics
#include "earlyhelp/profiling/alert_history.hpp"  // also alerts.hpp
#include "earlyhelp/profiling/contact.hpp"
#include "earlyhelp/profiling/domain.hpp"
#include "earlyhelp/profiling/link_extracts.hpp"
#include "earlyhelp/profiling/model_card.hpp"
#include "earlyhelp/profiling/troubled_families.hpp"  // also framework.hpp
#include "earlyhelp/models/model.hpp"
#include "earlyhelp/schema/schema.hpp"
#include "earlyhelp/linkage/linkage_primitives.hpp"
#include "earlyhelp/linkage/evaluate.hpp"
#include "earlyhelp/linkage/linker.hpp"
#include "earlyhelp/linkage/records_io.hpp"
#include "earlyhelp/synth/generate.hpp"
#include "earlyhelp/io/ingest.hpp"  // also io/csv.hpp and io/field_checks.hpp
#include "earlyhelp/features/case.hpp"
#include "earlyhelp/features/compute.hpp"  // also definitions.hpp, events.hpp, table.hpp
#include "earlyhelp/features/load.hpp"
#include "earlyhelp/forecast/backtest.hpp"  // also forecast/forecast.hpp and its parts
#include "earlyhelp/forecast/savings.hpp"
