// SPDX-License-Identifier: Apache-2.0
// The household's simulation state (household_sim.hpp): members and their traits, the first
// draws, and the helpers every stream family uses.

#include "synth/household_sim.hpp"
#include "synth/purposes.hpp"

#include <algorithm>
#include <cmath>

namespace earlyhelp::synth::detail {
Traits traits_of(const Population& pop, std::uint32_t p) {
  Rng r = Rng::stream(pop.config.seed, purpose_person_traits, p);
  Traits t;
  t.attendance = r.normal();
  t.behaviour = r.normal() + (pop.persons[p].sex == Sex::male ? 0.35 : -0.35);
  t.health = r.normal();
  const double u = r.uniform();
  t.sen = u < 0.025 ? 2 : u < 0.16 ? 1 : 0;
  if (t.sen) t.attendance += 0.4, t.behaviour += 0.3;
  // Schools: a primary and a secondary URN near home (by street), 6 digits.
  const auto street = pop.addresses[pop.households[pop.persons[p].household].moves.front().address].street;
  t.primary_urn = 110000 + (street * 7 + r.below(3)) % 380;
  t.secondary_urn = 140000 + (street * 3 + r.below(2)) % 70;
  return t;
}

HouseholdSim::HouseholdSim(const Population& population, std::uint32_t household)
    : pop(population), cfg(population.config), hh(population.households[household]), h(household),
      rng(Rng::stream(population.config.seed, purpose_events, household)) {
  // Members: persons whose household is h at some time.
  for (std::uint32_t k = 0; k < hh.n_persons; ++k) {
    MemberState m;
    m.id = hh.first_person + k;
    m.traits = traits_of(pop, m.id);
    members.push_back(std::move(m));
  }
  // The household's first draws, in this order.
  z = rng.normal(0.0, 0.8);
  pensioners = [&] {
    for (const auto& m : members)
      if (pop.persons[m.id].adult && age_at(pop.persons[m.id], cfg.start) < 66) return false;
    return true;
  }();
  employed = !pensioners && !rng.bernoulli(logistic(-2.3 + 1.0 * hh.risk));
  on_uc = !employed && !pensioners;
  disability_claim = !pensioners && rng.bernoulli(0.07 + 0.04 * std::max(0.0, hh.risk));
  disability_benefit = rng.bernoulli(0.6) ? 4 : 1;  // pip / esa, kept across years
  band = std::clamp(static_cast<int>(std::lround((hh.deprivation_decile - 1) * 0.55 + rng.normal(0.0, 1.0))), 0, 7);
  ct_account = local_ref();
  weekly_rent = std::clamp(rng.normal(102.0, 14.0), 60.0, 180.0);
  social = hh.tenure == Tenure::social_rent;
}

Event& HouseholdSim::emit(StreamId s, std::uint32_t person, Date d) {
  Event e;
  e.stream = s;
  e.person = person;
  e.household = h;
  e.date = d;
  out.events.push_back(e);
  return out.events.back();
}

Date HouseholdSim::day_in_month(const Month& m) {
  return Date{m.d0.days + static_cast<std::int32_t>(rng.below(static_cast<std::uint32_t>(m.month_days)))};
}

std::uint32_t HouseholdSim::reference_person(Date d) const {
  for (const auto& m : members)
    if (pop.persons[m.id].adult && resident(m, d) && age_at(pop.persons[m.id], d) >= 18) return m.id;
  for (const auto& m : members)
    if (resident(m, d) && age_at(pop.persons[m.id], d) >= 18) return m.id;
  for (const auto& m : members)
    if (pop.persons[m.id].adult && resident(m, d)) return m.id;
  for (const auto& m : members)
    if (resident(m, d)) return m.id;
  return npos32;
}

int HouseholdSim::n_resident(Date d, bool children_only) const {
  int n = 0;
  for (const auto& m : members)
    if (resident(m, d) && (!children_only || age_at(pop.persons[m.id], d) < 18)) ++n;
  return n;
}

}  // namespace earlyhelp::synth::detail
