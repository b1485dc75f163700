// SPDX-License-Identifier: Apache-2.0
// Domestic abuse in the synthetic council: onset and end of abuse in the household (it raises the
// latent stress), police notifications for the victim, the perpetrator and children present, and
// the contacts those notifications make to children's social care.
//   police_domestic_abuse     num[0] incident number; code[0] role; code[1] risk; code[2] crime
//   social_care_contacts      code[0] source (3 police); code[1] concern (0 domestic abuse); code[2] outcome

#include "synth/household_sim.hpp"

#include <algorithm>
#include <cmath>

namespace earlyhelp::synth::detail {

void simulate_domestic_abuse(HouseholdSim& s, const Month& month) {
  s.victim = s.perpetrator = npos32;  // found afresh each month, among the residents
  for (const auto& m : s.members) {
    const Person& p = s.pop.persons[m.id];
    if (!s.resident(m, month.d0) || age_at(p, month.d0) < 16) continue;
    if (p.sex == Sex::female && s.victim == npos32) s.victim = m.id;
    else if (p.sex == Sex::male && s.perpetrator == npos32) s.perpetrator = m.id;
  }
  if (!s.da && s.victim != npos32 && s.rng.bernoulli(hazard(cal.da_onset + 0.8 * month.x))) s.da = true, s.da_months = 0;
  else if (s.da && s.rng.bernoulli(cal.da_end)) s.da = false;
  if (s.da) {
    ++s.da_months;
    const int n = std::min(3, s.rng.poisson(cal.da_notify * (1.0 + 0.12 * s.da_months)));
    for (int k = 0; k < n; ++k) {
      ++s.da_notifications;
      const Date d = s.day_in_month(month);
      const std::uint8_t risk = static_cast<std::uint8_t>(s.da_notifications >= 4 || s.rng.bernoulli(0.1) ? 2 : s.da_notifications >= 2 ? 1 : 0);
      const std::int32_t incident = s.local_ref();
      if (s.in_window(d)) s.rc.da_incidents += 1;
      auto record = [&](std::uint32_t person, std::uint8_t role) {
        if (!s.in_window(d)) return;
        auto& e = s.emit(StreamId::police_domestic_abuse, person, d);
        e.num[0] = incident;
        e.code[0] = role;
        e.code[1] = risk;
        e.code[2] = s.rng.bernoulli(0.58) ? 1 : 0;  // ~58% of police DA records are crimes (ONS)
      };
      record(s.victim, 0);
      if (s.perpetrator != npos32 && s.rng.bernoulli(0.85)) record(s.perpetrator, 1);
      for (auto& m : s.members) {
        if (!s.resident(m, d) || age_at(s.pop.persons[m.id], d) >= 16 || !s.rng.bernoulli(0.7)) continue;
        record(m.id, 2);
        m.last_da_month = month.t;
        // A police notification with a child present goes to children's social care.
        if (s.rng.bernoulli(0.55) && s.in_window(d)) {
          auto& c = s.emit(StreamId::social_care_contacts, m.id, add_days(d, static_cast<int>(s.rng.below(5))));
          c.code[0] = 3;  // police
          c.code[1] = 0;  // domestic abuse
          const bool refer = m.episode < 0 && s.rng.bernoulli(logistic(-2.4 + 0.6 * month.x + 0.5 * risk));
          c.code[2] = refer ? 4 : static_cast<std::uint8_t>(s.rng.below(4));
          if (refer) m.episode = -2;  // referral: assessed below
        }
      }
    }
  }
}

}  // namespace earlyhelp::synth::detail
