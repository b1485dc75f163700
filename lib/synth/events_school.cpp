// SPDX-License-Identifier: Apache-2.0
// School streams of the synthetic council: attendance per term (absence rises with stress, a
// child's own attendance trait and recent domestic abuse) and suspensions and permanent exclusions.
//   school_attendance         date = term end; code[0] term (0 autumn, 1 spring, 2 summer);
//                             code[1] FSM; code[2] SEN (0 none, 1 support, 2 EHC plan);
//                             num = {possible, authorised, unauthorised sessions};
//                             amount[0] = school URN
//   school_exclusions         code[0] 0 suspension / 1 permanent; code[1] reason; amount[0] days;
//                             amount[1] school URN

#include "synth/household_sim.hpp"

#include <algorithm>
#include <cmath>

namespace earlyhelp::synth::detail {

void simulate_school(HouseholdSim& s, const Month& month, MemberState& m, const PersonMonth& pm) {
  const Person& p = pm.p;
  const int age = pm.age;
  const double xp = pm.xp;
  // School (compulsory age on 1 September: 5 to 15).
  const int age_sept = age_at(p, month_start(month.academic_year, 9));
  const bool pupil = age_sept >= 4 && age_sept <= 15 && !p.upn.empty();
  if (pupil && month.mo != 8) {
    const double days = month.month_days * (month.mo == 12 ? 0.6 : month.mo == 4 ? 0.7 : month.mo == 7 ? 0.65 : 1.0);
    const double possible = std::round(days * 2 * 5 / 7);
    const double rate = logistic(cal.absence + 0.75 * m.traits.attendance + 0.45 * xp + (age >= 12 ? 0.35 : 0.0) +
                                 (m.last_da_month > month.t - 3 ? 0.5 : 0.0) + s.rng.normal(0.0, 0.25));
    m.term_possible += possible;
    m.term_missed += std::round(possible * rate);
    const bool term_end = month.mo == 12 || month.mo == 3 || month.mo == 7;
    if (term_end) {
      const Date end_date = month.mo == 12 ? from_civil(month.y, 12, 20) : month.mo == 3 ? from_civil(month.y, 3, 31) : from_civil(month.y, 7, 21);
      const std::uint8_t term = static_cast<std::uint8_t>(month.mo == 12 ? 0 : month.mo == 3 ? 1 : 2);
      const int missed = static_cast<int>(m.term_missed);
      const double unauth_share = std::clamp(0.25 + 0.12 * xp + 0.1 * m.traits.attendance, 0.05, 0.9);
      const int unauth = static_cast<int>(std::lround(missed * unauth_share));
      if (s.in_window(end_date) && m.term_possible > 0) {
        auto& e = s.emit(StreamId::school_attendance, m.id, end_date);
        e.code[0] = term;
        e.code[1] = (s.on_uc || !s.employed) && !s.pensioners ? 1 : 0;
        e.code[2] = m.traits.sen;
        e.num = {static_cast<std::int32_t>(m.term_possible), missed - unauth, unauth};
        e.amount[0] = static_cast<float>(age_sept >= 11 ? m.traits.secondary_urn : m.traits.primary_urn);
      }
      m.last_term_rate = m.term_possible > 0 ? m.term_missed / m.term_possible : -1;
      if (s.in_window(end_date)) {
        m.year_missed += m.term_missed;
        m.year_possible += m.term_possible;
        ++m.year_terms;
      }
      if (term == 2) {
        if (m.year_terms == 3 && age_sept >= 5) {
          s.rc.pupils_year += 1;
          if (m.year_missed >= 0.1 * m.year_possible) s.rc.persistent_absentees += 1;
        }
        m.year_missed = m.year_possible = 0;
        m.year_terms = 0;
      }
      m.term_missed = m.term_possible = 0;
      // Suspensions during the term.
      const int n_susp = s.rng.poisson(std::exp(cal.suspension + 0.8 * m.traits.behaviour + 0.45 * xp + (age >= 11 ? 0.9 : -0.8)));
      for (int k = 0; k < std::min(n_susp, 4); ++k) {
        const Date d = Date{end_date.days - static_cast<std::int32_t>(s.rng.below(70))};
        const bool permanent = s.rng.bernoulli(cal.permanent * std::exp(0.3 * m.traits.behaviour));
        if (!s.in_window(d)) continue;
        if (permanent) s.rc.permanent_exclusions += 1;
        else s.rc.suspensions += 1;
        auto& e = s.emit(StreamId::school_exclusions, m.id, d);
        e.code[0] = permanent ? 1 : 0;
        constexpr double reasons[] = {0.14, 0.1, 0.06, 0.12, 0.02, 0.02, 0.02, 0.05, 0.03, 0.01, 0.33, 0.03, 0.02, 0.05};
        e.code[1] = static_cast<std::uint8_t>(s.rng.categorical(reasons));
        e.amount[0] = permanent ? 0.0f : static_cast<float>(s.rng.between(1, 5) - (s.rng.bernoulli(0.2) ? 0.5 : 0.0));
        e.amount[1] = static_cast<float>(age_sept >= 11 ? m.traits.secondary_urn : m.traits.primary_urn);
        if (permanent) break;
      }
    }
  }
}

}  // namespace earlyhelp::synth::detail
