// SPDX-License-Identifier: Apache-2.0
// Placement types of looked-after episodes, from a random stream of their own (see
// detail/placements.hpp), so no value of another stream depends on them.

#include "earlyhelp/synth/detail/placements.hpp"

#include "earlyhelp/synth/detail/random.hpp"
#include "synth/purposes.hpp"

#include <algorithm>

namespace earlyhelp::synth::detail {
namespace {

// Placement shares by age at entry (placement_types order). Shaped on England's published mix
// (DfE, Children looked after in England, 2023: 68% fostered, 9% in children's homes, 11% in
// semi-independent or independent living, all of them 16 or 17); the split by age is ours.
constexpr double placement_shares[5][7] = {
    {0.15, 0.60, 0.00, 0.00, 0.12, 0.10, 0.03},  // under 1
    {0.18, 0.60, 0.01, 0.00, 0.10, 0.08, 0.03},  // 1-4
    {0.20, 0.62, 0.04, 0.00, 0.09, 0.00, 0.05},  // 5-9
    {0.14, 0.58, 0.18, 0.00, 0.05, 0.00, 0.05},  // 10-15
    {0.07, 0.30, 0.15, 0.42, 0.03, 0.00, 0.03},  // 16-17
};

int age_row(int age) { return age < 1 ? 0 : age < 5 ? 1 : age < 10 ? 2 : age < 16 ? 3 : 4; }

}  // namespace

void assign_placements(std::vector<Event>& events, const Population& pop, std::uint32_t h) {
  Rng rng = Rng::stream(pop.config.seed, purpose_placement, h);
  for (Event& e : events) {
    if (e.stream != StreamId::social_care_episodes || e.code[0] != 2) continue;
    const int age = std::max(0, pop.persons[e.person].age_on(e.date));
    e.num[0] = static_cast<std::int32_t>(rng.categorical(placement_shares[age_row(age)]));
  }
}

}  // namespace earlyhelp::synth::detail
