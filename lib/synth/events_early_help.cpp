// SPDX-License-Identifier: Apache-2.0
// Early help in the synthetic council (Config::early_help): family support episodes driven by
// the family's needs, with start, end and closure reason. Drawn after the household's month loop
// from a random stream of its own (purpose 13), from the needs the loop recorded, so that turning
// the stream on changes no value of any other stream for a seed (a test compares the files).
//
// Each month the household's headline problems (the Troubled Families programme's six, from
// the simulation's state) are recorded. A family with children and no child in a statutory
// episode is offered early help with a monthly hazard that rises with its problems and stress;
// engaged, it each month reaches its outcomes (more likely with fewer problems and lower stress,
// and as the work goes on), disengages, moves away, or is stepped up to children's social care
// when a child's statutory episode starts.
//   early_help_episodes       num[0] episode number; code[0] closure reason (0 outcomes achieved,
//                             1 stepped up, 2 disengaged, 3 moved away; 255 open);
//                             code[1] headline problems at assessment (bit k: problem k of
//                             early_help_problems); code[2] children; date..end

#include "synth/household_sim.hpp"
#include "synth/purposes.hpp"

#include <algorithm>
#include <bitset>
#include <cmath>

namespace earlyhelp::synth::detail {
namespace {
int count_bits(std::uint8_t v) { return static_cast<int>(std::bitset<8>(v).count()); }
}  // namespace

void record_needs(HouseholdSim& s, const Month& month) {
  const int t = month.t;
  NeedsMonth n;
  n.d0 = month.d0;
  n.d1 = month.d1;
  n.ref = month.ref;
  n.moved = month.moved;
  n.x = static_cast<float>(month.x);
  int children = 0;
  for (const auto& m : s.members) {
    if (!s.resident(m, month.d0)) continue;
    const int age = age_at(s.pop.persons[m.id], month.d0);
    if (m.last_asb_month > t - 12 || (age < 18 && m.offences > 0)) n.problems |= 1u << 0;  // crime and ASB
    if (age >= 5 && age < 16 && m.last_term_rate >= 0.1) n.problems |= 1u << 1;            // school attendance
    if (age < 18) {
      ++children;
      if (m.last_da_month > t - 6 || m.episode == -2) n.problems |= 1u << 2;  // children who need help
      if (m.episode >= 0) n.social_care = true;
    }
    if (age >= 18 && m.substance_end >= t) n.problems |= 1u << 5;  // health
  }
  if ((!s.employed && !s.pensioners) || s.ct_stage >= 2 || s.rent_stage >= 2) n.problems |= 1u << 3;  // worklessness, debt
  if (s.da) n.problems |= 1u << 4;                                                                       // domestic abuse
  n.children = static_cast<std::uint8_t>(std::min(children, 255));
  s.needs.push_back(n);
}

void simulate_early_help(HouseholdSim& s) {
  Rng rng = Rng::stream(s.cfg.seed, purpose_early_help, s.h);
  const auto& needs = s.needs;
  bool engaged = false;
  std::size_t event = 0;
  int months = 0, episodes = 0;
  double difficulty = 0;  // the family's own, unrecorded
  for (std::size_t k = 0; k < needs.size(); ++k) {
    const NeedsMonth& n = needs[k];
    const int problems = count_bits(n.problems);
    const auto day = [&] { return Date{n.d0.days + static_cast<std::int32_t>(rng.below(static_cast<std::uint32_t>(n.d1.days - n.d0.days)))}; };
    if (!engaged) {
      const double lh = -6.4 + 0.75 * problems + 0.35 * n.x + (episodes > 0 ? 0.4 : 0.0);
      if (n.children == 0 || n.social_care || n.ref == npos32 || !rng.bernoulli(hazard(lh))) continue;
      engaged = true;
      months = 0;
      difficulty = rng.normal(0.0, 0.6);
      auto& e = s.emit(StreamId::early_help_episodes, n.ref, day());
      e.num[0] = ++episodes;
      e.code[0] = 255;
      e.code[1] = n.problems;
      e.code[2] = n.children;
      event = s.out.events.size() - 1;
      continue;
    }
    ++months;
    int reason = -1;
    if (n.social_care) reason = 1;
    else if (n.children == 0 || (n.moved && rng.bernoulli(0.35))) reason = 3;
    else {
      const double p_done = logistic(-3.3 - 0.3 * problems - 0.45 * n.x - difficulty + 0.22 * std::min(months, 12));
      const double u = rng.uniform();
      if (u < p_done) reason = 0;
      else if (u < p_done + 0.012 + 0.006 * problems) reason = 2;
    }
    if (reason < 0) continue;
    auto& e = s.out.events[event];
    e.end = std::max(Date{e.date.days + 1}, day());
    e.code[0] = static_cast<std::uint8_t>(reason);
    engaged = false;
  }
}

}  // namespace earlyhelp::synth::detail
