// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The placement type of each looked-after episode, drawn from a random stream of its own (so
/// that adding it changed no value of any other stream for a seed; a test compares the files) by
/// the child's age at entry, with shares shaped on England's published mix (DfE, Children looked
/// after in England 2023: about two thirds in foster care, one in ten in children's homes,
/// supported accommodation only from 16). Stored in Event::num[0] of a `social_care_episodes`
/// event with code[0] == 2 (lac), as an index into placement_types; written only when
/// Config::optional_columns is set (the schema's optional `placement_type` column).

#include "earlyhelp/synth/events.hpp"

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace earlyhelp::synth::detail {

/// Placement types of looked-after episodes, in the schema's category order.
inline constexpr std::array<std::string_view, 7> placement_types = {
    "foster_relative", "foster", "residential", "supported", "placed_with_parents", "placed_for_adoption", "other"};

/// Sets Event::num[0] (placement type) of every looked-after episode of household `h` from the
/// placement stream (seed, household): depends only on the child's age at the episode's start.
void assign_placements(std::vector<Event>& events, const Population& pop, std::uint32_t h);

}  // namespace earlyhelp::synth::detail
