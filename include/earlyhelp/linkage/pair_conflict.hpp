// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Which pairs scored below the threshold clustering keeps apart (a cannot-link). The model calls
/// a pair a person-level conflict when its first names or dates of birth disagree at a level true
/// matches rarely show (FellegiSunter::conflict), and look-alikes in conflict (namesakes, one
/// family at one home) may never end in one person, whatever record would bridge them. But the
/// comparison's first-name levels are coarse: Arj and Arjun or Raj and Rajesh (short forms), Jaco
/// and Jake or Jacob and Jakub (two keying errors) fall to its lowest levels, while the person
/// rules (person_rules.hpp) reconcile them. A first-name disagreement the person rules
/// reconcile, on dates of birth that do not disagree, is therefore no conflict: the pair is not
/// linked on its own weight, but it does not keep a man's undated record from the person his
/// other records make him (a social care record of Jaco Wood, at the home where Jacob Wood is
/// recorded by health and Jake Wood by social care, was kept from him by the Jaco-Jake pair).
/// Other disagreements (date of birth, identifier) still count; with the person rules off (a list
/// of individuals, or `"households": "absent"`) the model's verdict stands.
///
/// Example:
/// ```cpp
/// const ComparisonVector v = compare_identities(r, a, b);
/// if (weight < threshold && keep_apart(r, scorer, v, a, b, stats.households)) uf.cannot_link(a, b);
/// ```

#include "earlyhelp/linkage/comparison.hpp"
#include "earlyhelp/linkage/fellegi_sunter.hpp"
#include "earlyhelp/linkage/records.hpp"

#include <cstdint>

namespace earlyhelp::linkage {

/// Whether identities `a` and `b` of `r`, compared as `v`, are a person-level conflict that
/// clustering keeps apart (see the file comment). `person_rules`: whether the person rules are on.
/// Thread-safe on a const table and model. Complexity O(length of the names).
bool keep_apart(const PreparedRecords& r, const FellegiSunter& scorer, const ComparisonVector& v, std::uint32_t a,
                std::uint32_t b, bool person_rules);

}  // namespace earlyhelp::linkage
