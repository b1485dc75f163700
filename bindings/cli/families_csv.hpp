// SPDX-License-Identifier: Apache-2.0
#pragma once
// The families CSV and members CSV that `earlyhelp tf` writes, and `earlyhelp profile --families`
// writes from the same reading of the extracts as its scores: one writer for both verbs.

#include "earlyhelp/profiling/framework.hpp"
#include "earlyhelp/profiling/troubled_families.hpp"

#include <string>

namespace earlyhelp::cli {

/// The framework a verb's --framework names ('-': standard input), or the built-in one when empty.
profiling::Framework framework_arg(const std::string& path, std::string_view verb);

/// Writes the families to `families` (family_id, criteria_met, eligible, one 0/1 column per
/// criterion, attendance_distance_travelled, attendance_distance_to_<target>, evidence, near_miss)
/// and, when `members` is not empty, the members (family_id, person_id, role); records both as
/// the run's outputs with its counts, and prints the summary line "families N eligible N ...".
void write_families(const std::string& families, const std::string& members, const profiling::FamiliesResult& r,
                    const profiling::Framework& framework);

}  // namespace earlyhelp::cli
