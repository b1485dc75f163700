// SPDX-License-Identifier: Apache-2.0
#pragma once
// Internal to the C API: the opaque handles that more than one lib/capi/*_c.cpp file opens (a
// model bundle and a feature set are both read by the domain scoring in profiling_c.cpp; a case
// by troubled_families_c.cpp).

#include "earlyhelp/features/case.hpp"
#include "earlyhelp/features/definitions.hpp"
#include "earlyhelp/models/model.hpp"

struct eh_model {
  earlyhelp::models::Model model;
};

struct eh_feature_set {
  earlyhelp::features::FeatureSet set;
};

struct eh_feature_case {
  earlyhelp::features::CaseRecords records;
};
