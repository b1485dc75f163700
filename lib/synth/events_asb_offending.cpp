// SPDX-License-Identifier: Apache-2.0
// Anti-social behaviour and youth offending in the synthetic council: ASB incidents (perpetrators
// aged 10-64, adult victims) and offences by 10-17 year olds (first-time entrants and reoffending).
//   asb_incidents             num[0] incident number; code[0] role; code[1] type; code[2] action
//   youth_offending           code[0] offence type; code[1] gravity; code[2] outcome

#include "synth/household_sim.hpp"

#include <algorithm>
#include <cmath>

namespace earlyhelp::synth::detail {

void simulate_asb(HouseholdSim& s, const Month& month, MemberState& m, const PersonMonth& pm) {
  const int age = pm.age;
  const double xp = pm.xp;
  const bool male = pm.male;
  // ASB (perpetrators aged 10-64; victims adults).
  if (age >= 10 && age < 65) {
    const double age_term = age < 14 ? -0.3 : age < 25 ? 0.6 : age < 40 ? 0.0 : -0.8;
    if (s.rng.bernoulli(hazard(cal.asb_perp + 0.6 * xp + 0.9 * m.traits.behaviour + age_term + (male ? 0.5 : -0.3)))) {
      const Date d = s.day_in_month(month);
      ++m.asb_count;
      m.last_asb_month = month.t;
      m.asb_dates.push_back(d);
      if (s.in_window(d)) {
        s.rc.asb_perpetrator_incidents += 1;
        auto& e = s.emit(StreamId::asb_incidents, m.id, d);
        e.num[0] = ++s.asb_incident_counter;
        e.code[0] = 0;
        e.code[1] = static_cast<std::uint8_t>(s.rng.categorical({0.2, 0.2, 0.1, 0.12, 0.06, 0.12, 0.08, 0.04, 0.08}));
        e.code[2] = static_cast<std::uint8_t>(std::min(7, std::max(0, m.asb_count - 1 + (s.rng.bernoulli(0.3) ? 1 : 0))));
      }
    }
    if (age >= 18 && s.rng.bernoulli(hazard(cal.asb_victim + 0.3 * xp))) {
      const Date d = s.day_in_month(month);
      if (s.in_window(d)) {
        auto& e = s.emit(StreamId::asb_incidents, m.id, d);
        e.num[0] = ++s.asb_incident_counter;
        e.code[0] = static_cast<std::uint8_t>(s.rng.bernoulli(0.8) ? 1 : 2);
        e.code[1] = static_cast<std::uint8_t>(s.rng.categorical({0.3, 0.25, 0.1, 0.05, 0.05, 0.15, 0.05, 0.03, 0.02}));
        e.code[2] = 0;
      }
    }
  }
}

void simulate_youth_offending(HouseholdSim& s, const Month& month, MemberState& m, const PersonMonth& pm) {
  const int age = pm.age;
  const double xp = pm.xp;
  const bool male = pm.male;
  // Youth offending (10-17).
  // Once known, children reoffend far more often (YJB: about a third within a year).
  const double offence_rate = m.offences > 0
                                  ? cal.youth_reoffence + 0.5 * xp + 0.5 * m.traits.behaviour
                                  : cal.youth_offence + 0.8 * xp + 1.0 * m.traits.behaviour + (male ? 0.7 : -0.5) +
                                        (m.last_asb_month > month.t - 6 ? 1.0 : 0.0);
  if (age >= 10 && age < 18 && s.rng.bernoulli(hazard(offence_rate))) {
    const Date d = s.day_in_month(month);
    ++m.offences;
    if (s.in_window(d)) {
      if (m.offences == 1) s.rc.first_time_entrants += 1;
      auto& e = s.emit(StreamId::youth_offending, m.id, d);
      e.code[0] = static_cast<std::uint8_t>(s.rng.categorical({0.3, 0.05, 0.12, 0.05, 0.1, 0.12, 0.05, 0.08, 0.03, 0.05, 0.05}));
      e.code[1] = static_cast<std::uint8_t>(std::clamp(2 + m.offences / 2 + static_cast<int>(s.rng.below(3)), 1, 8));
      const int outcome_code = std::min(6, m.offences + static_cast<int>(s.rng.below(2)));
      e.code[2] = static_cast<std::uint8_t>(outcome_code);
    }
  }
}

}  // namespace earlyhelp::synth::detail
