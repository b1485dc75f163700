// SPDX-License-Identifier: Apache-2.0
#pragma once
// Every random stream of the synthetic council has a purpose number (detail::Rng::stream(seed,
// purpose, id)): listed here once, so no two parts of the generator can draw from one stream.
// The numbers are part of the output: changing one changes every council drawn with a seed.

#include <cstdint>

namespace earlyhelp::synth::detail {

enum Purpose : std::uint64_t {
  purpose_streets = 1,
  purpose_plan = 2,
  purpose_household = 3,
  purpose_moves = 4,
  purpose_events = 10,
  purpose_person_traits = 11,
  purpose_placement = 12,
  purpose_early_help = 13,
  purpose_identity = 40,  ///< and up: one per source system
};

}  // namespace earlyhelp::synth::detail
