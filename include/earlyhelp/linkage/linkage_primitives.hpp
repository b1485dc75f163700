// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// All string and identity primitives of record linkage (earlyhelp::linkage).

#include "earlyhelp/linkage/address.hpp"
#include "earlyhelp/linkage/batch.hpp"
#include "earlyhelp/linkage/dates.hpp"
#include "earlyhelp/linkage/identifiers.hpp"
#include "earlyhelp/linkage/normalise.hpp"
#include "earlyhelp/linkage/phonetic.hpp"
#include "earlyhelp/linkage/postcode.hpp"
#include "earlyhelp/linkage/similarity.hpp"
#include "earlyhelp/linkage/unicode.hpp"
