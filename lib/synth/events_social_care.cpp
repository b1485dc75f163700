// SPDX-License-Identifier: Apache-2.0
// Children's social care in the synthetic council: contacts and referrals, assessment, and
// CIN -> CPP -> LAC episodes with their exits (the stock already in care starts the burn-in).
//   social_care_contacts      code[0] source; code[1] concern; code[2] outcome
//   social_care_episodes      code[0] 0 CIN / 1 CPP / 2 LAC; code[1] need; code[2] abuse;
//                             code[3] legal status; date..end
//   social_care_episodes (lac) num[0] placement type (detail/placements.hpp, own random stream)

#include "synth/household_sim.hpp"

#include <algorithm>
#include <cmath>

namespace earlyhelp::synth::detail {

void simulate_social_care(HouseholdSim& s, const Month& month, MemberState& m, const PersonMonth& pm) {
  const Person& p = pm.p;
  const int age = pm.age;
  const double xp = pm.xp;
  // Children's social care.
  if (age < 18) {
    if (month.t == 0 && m.episode == -1 && s.rng.bernoulli(hazard(cal.lac_initial + 0.8 * xp))) {
      // Looked-after episodes last years: start the burn-in with the stock already in care.
      const Date d{std::max(p.dob.days, month.d0.days - static_cast<std::int32_t>(s.rng.below(1800)))};
      auto& e = s.emit(StreamId::social_care_episodes, m.id, d);
      e.code[0] = 2;
      e.code[1] = 0;
      e.code[3] = static_cast<std::uint8_t>(s.rng.categorical({0.0, 0.3, 0.35, 0.25, 0.05, 0.02, 0.02, 0.01}));
      m.episode = 2;
      m.episode_event = s.out.events.size() - 1;
    }
    if (m.episode == -1) {
      const double attendance_falling = m.last_term_rate > 0.12 ? 0.5 : 0.0;
      const double lr = cal.referral + 0.9 * xp + (m.last_da_month > month.t - 3 ? 1.0 : 0.0) + attendance_falling + (age < 1 ? 0.7 : 0.0);
      const double lc = cal.contact + 0.6 * xp + attendance_falling;
      const bool refer = s.rng.bernoulli(hazard(lr));
      if (refer || s.rng.bernoulli(hazard(lc))) {
        const Date d = s.day_in_month(month);
        if (s.in_window(d)) {
          auto& c = s.emit(StreamId::social_care_contacts, m.id, d);
          constexpr double sources[] = {0.08, 0.2, 0.15, 0.28, 0.05, 0.12, 0.03, 0.02, 0.07};
          c.code[0] = static_cast<std::uint8_t>(s.rng.categorical(sources));
          constexpr double concerns[] = {0.2, 0.2, 0.1, 0.1, 0.04, 0.1, 0.07, 0.08, 0.03, 0.03, 0.05};
          c.code[1] = static_cast<std::uint8_t>(s.rng.categorical(concerns));
          c.code[2] = refer ? 4 : static_cast<std::uint8_t>(s.rng.below(4));
        }
        if (refer) m.episode = -2;
      }
    }
    if (m.episode == -2) {  // referred: assessment decides whether the child is in need
      const Date d = add_days(s.day_in_month(month), 0);
      if (s.in_window(d)) s.rc.referrals += 1;
      if (s.rng.bernoulli(0.72)) {
        auto& e = s.emit(StreamId::social_care_episodes, m.id, d);
        e.code[0] = 0;
        e.code[1] = static_cast<std::uint8_t>(m.last_da_month > month.t - 3 ? 0 : s.rng.categorical({0.5, 0.05, 0.04, 0.1, 0.14, 0.03, 0.01, 0.05, 0.0}));
        e.code[3] = 0;
        m.episode = 0;
        m.episode_event = s.out.events.size() - 1;
        m.safeguarding_starts.push_back(d);
      } else {
        m.episode = -1;
      }
    } else if (m.episode >= 0) {
      const int type = m.episode;
      double p_exit = type == 0 ? cal.cin_exit : type == 1 ? cal.cpp_exit : cal.lac_exit;
      int next = type;
      if (type == 0 && s.rng.bernoulli(hazard(cal.cin_to_cpp + 0.5 * xp + (m.last_da_month > month.t - 3 ? 0.6 : 0.0)))) next = 1;
      else if (type == 1 && s.rng.bernoulli(hazard(cal.cpp_to_lac + 0.5 * xp))) next = 2;
      else if (s.rng.bernoulli(p_exit)) next = (type == 1 && s.rng.bernoulli(0.5)) ? 0 : -1;
      if (next != type) {
        const Date d = s.day_in_month(month);
        s.out.events[m.episode_event].end = d;
        if (next >= 0) {
          auto& e = s.emit(StreamId::social_care_episodes, m.id, Date{d.days + 1});
          e.code[0] = static_cast<std::uint8_t>(next);
          e.code[1] = 0;
          e.code[2] = static_cast<std::uint8_t>(s.rng.categorical({0.5, 0.08, 0.35, 0.04, 0.03}));
          e.code[3] = static_cast<std::uint8_t>(next == 2 ? s.rng.categorical({0.0, 0.3, 0.35, 0.25, 0.05, 0.02, 0.02, 0.01}) : 0);
          m.episode_event = s.out.events.size() - 1;
        }
        m.episode = next;
      }
    }
  } else if (m.episode >= 0) {  // turned 18: the episode closes
    s.out.events[m.episode_event].end = month.d0;
    m.episode = -1;
  }
}

}  // namespace earlyhelp::synth::detail
