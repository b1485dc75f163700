// SPDX-License-Identifier: Apache-2.0
// Health and adult care streams of the synthetic council: adult social care, A&E attendances,
// substance-misuse treatment and mental-health contacts.
//   adult_social_care         code[0] support reason; code[1] service type
//   health_ae                 num[0] minute of day; code[0] arrival; code[1] category; code[2] discharge
//   health_substance_misuse   code[0] substance; code[1] status; code[2] lives with children
//   health_mental_health      code[0] service; code[1] referral source; code[2] contact type

#include "synth/household_sim.hpp"

#include <algorithm>
#include <cmath>

namespace earlyhelp::synth::detail {

void simulate_adult_social_care(HouseholdSim& s, const Month& month, MemberState& m, const PersonMonth& pm) {
  const int age = pm.age;
  const double xp = pm.xp;
  // Adult social care.
  if (age >= 18 && s.rng.bernoulli(hazard(cal.asc + 0.075 * std::max(0, age - 60) + 0.3 * xp))) {
    const Date d = s.day_in_month(month);
    if (s.in_window(d)) {
      auto& e = s.emit(StreamId::adult_social_care, m.id, d);
      e.code[0] = static_cast<std::uint8_t>(age >= 65 ? s.rng.categorical({0.55, 0.05, 0.15, 0.02, 0.05, 0.13, 0.05})
                                                      : s.rng.categorical({0.25, 0.04, 0.05, 0.2, 0.3, 0.11, 0.05}));
      e.code[1] = static_cast<std::uint8_t>(s.rng.categorical({0.1, 0.3, 0.2, 0.2, 0.06, 0.03, 0.06, 0.05}));
    }
  }
}

void simulate_ae(HouseholdSim& s, const Month& month, MemberState& m, const PersonMonth& pm) {
  const int age = pm.age;
  const double xp = pm.xp;
  // A&E: young children, young adults and the old attend most.
  {
    const double age_term = age < 5 ? 0.5 : age < 15 ? -0.2 : age < 25 ? 0.3 : age < 65 ? 0.0 : age < 80 ? 0.25 : 0.8;
    const int n = std::min(3, s.rng.poisson(std::exp(cal.ae + 0.25 * xp + 0.3 * m.traits.health + age_term)));
    for (int k = 0; k < n; ++k) {
      const Date d = s.day_in_month(month);
      if (!s.in_window(d)) continue;
      s.rc.ae_attendances += 1;
      auto& e = s.emit(StreamId::health_ae, m.id, d);
      e.num[0] = static_cast<std::int32_t>(s.rng.below(1440));
      e.code[0] = static_cast<std::uint8_t>(s.rng.categorical({0.25, 0.7, 0.02, 0.03}));
      const bool assault = s.da && (m.id == s.victim) && s.rng.bernoulli(0.2);
      const double sh = (age >= 12 && age < 30) ? 0.04 * std::exp(0.5 * xp) : 0.01;
      e.code[1] = static_cast<std::uint8_t>(assault ? 4 : s.rng.bernoulli(sh) ? 1 : s.rng.categorical({0.35, 0.0, 0.03, 0.02, 0.02, 0.03, 0.45, 0.1}));
      e.code[2] = static_cast<std::uint8_t>(s.rng.categorical({0.65, 0.22, 0.08, 0.05}));
    }
  }
}

void simulate_substance_misuse(HouseholdSim& s, const Month& month, MemberState& m, const PersonMonth& pm) {
  const int age = pm.age;
  const double xp = pm.xp;
  const bool male = pm.male;
  // Substance misuse treatment (18-64): referral, treatment, exit.
  if (age >= 18 && age < 65 && m.substance_end < month.t &&
      s.rng.bernoulli(hazard(cal.substance + 0.8 * xp + (male ? 0.5 : -0.3)))) {
    const Date d = s.day_in_month(month);
    const std::uint8_t substance = static_cast<std::uint8_t>(s.rng.categorical({0.25, 0.1, 0.1, 0.15, 0.38, 0.01, 0.005, 0.005}));
    const int length = 1 + s.rng.geometric(0.15);
    m.substance_end = month.t + length;
    const std::uint8_t kids = s.n_resident(month.d0, true) > 0 ? 1 : 0;
    const Date dates[3] = {d, add_days(d, 14 + static_cast<int>(s.rng.below(30))), add_days(d, 30 * length)};
    const std::uint8_t status[3] = {0, 1, static_cast<std::uint8_t>(s.rng.bernoulli(0.5) ? 2 : 3)};
    for (int k = 0; k < 3; ++k) {
      if (!s.in_window(dates[k])) continue;
      auto& e = s.emit(StreamId::health_substance_misuse, m.id, dates[k]);
      e.code = {substance, status[k], kids, 0};
    }
  }
}

void simulate_mental_health(HouseholdSim& s, const Month& month, MemberState& m, const PersonMonth& pm) {
  const Person& p = pm.p;
  const int age = pm.age;
  const double xp = pm.xp;
  // Mental health (10+): referral then assessment and treatment contacts.
  if (age >= 10 && s.rng.bernoulli(hazard(cal.mental_health + 0.5 * xp + 0.3 * m.traits.health + (p.sex == Sex::female ? 0.2 : -0.1)))) {
    const Date d = s.day_in_month(month);
    std::uint8_t service = static_cast<std::uint8_t>(age < 18 ? 0 : s.rng.categorical({0.0, 0.45, 0.1, 0.38, 0.0, 0.03, 0.04}));
    const int n_contacts = 1 + static_cast<int>(s.rng.below(4));
    for (int k = 0; k < n_contacts; ++k) {
      const Date dk = add_days(d, k * (14 + static_cast<int>(s.rng.below(21))));
      if (!s.in_window(dk)) continue;
      auto& e = s.emit(StreamId::health_mental_health, m.id, dk);
      e.code[0] = service;
      e.code[1] = static_cast<std::uint8_t>(age < 18 ? s.rng.categorical({0.4, 0.3, 0.05, 0.1, 0.1, 0.02, 0.03})
                                                     : s.rng.categorical({0.55, 0.0, 0.25, 0.1, 0.03, 0.04, 0.03}));
      e.code[2] = static_cast<std::uint8_t>(k == 0 ? 0 : k == n_contacts - 1 && k > 1 ? 3 : k == 1 ? 1 : 2);
    }
  }
}

}  // namespace earlyhelp::synth::detail
