// SPDX-License-Identifier: Apache-2.0
#pragma once
// The state of one household's simulation, shared by the event-stream families (events_*.cpp):
// the calibrated intercepts, each member's traits and state, the household's latent process and
// the state each stream carries from month to month. simulate_household (events.cpp) owns the
// month loop and calls the families in a fixed order: every draw comes from one random stream,
// so the order of the calls is part of the output (a test compares synth files byte for byte).

#include "earlyhelp/synth/events.hpp"
#include "earlyhelp/synth/detail/random.hpp"

#include <cmath>
#include <cstdint>
#include <vector>

namespace earlyhelp::synth::detail {

// ---- calibrated intercepts (log monthly hazards unless stated) -------------------------------
// Tuned so that the generated rates match base_rates.md (README "Synthetic council" shows both).
struct Calibration {
  double da_onset = -7.6;        // household DA onset
  double da_end = 0.10;          // monthly probability an abusive relationship ends/is disrupted
  double da_notify = 0.2;       // notifications a month while active (grows with duration)
  double job_loss = -5.6;
  double reemploy = 0.06;        // monthly probability
  double referral = -6.33;       // child referral to children's social care
  double contact = -5.9;         // other contacts about a child
  double cin_to_cpp = -4.25;
  double cpp_to_lac = -3.9;
  double cin_exit = 0.125, cpp_exit = 0.11, lac_exit = 0.018;
  double lac_initial = -5.3;      // log share of children already looked after when the burn-in starts
  double absence = -3.2;         // logit of a pupil's absence rate
  double suspension = -4.1;     // per pupil-term (Poisson mean, log)
  double permanent = 0.009;      // share of suspensions that are permanent exclusions
  double asb_perp = -7.5;
  double asb_victim = -8.2;
  double youth_offence = -10.65;
  double youth_reoffence = -3.7;
  double homeless = -7.45;
  double ct_miss = -4.6;         // log monthly hazard of starting to miss council-tax instalments
  double rent_miss = -5.8;       // logit of a short rent month (social tenants)
  double asc = -8.6;
  double ae = -3.65;             // log monthly A&E attendances
  double substance = -8.0;
  double mental_health = -6.4;
};
inline constexpr Calibration cal{};

inline double logistic(double v) { return 1.0 / (1.0 + std::exp(-v)); }
inline double hazard(double log_rate) { return 1.0 - std::exp(-std::exp(log_rate)); }
inline Date month_start(int year, int month) { return from_civil(year, month, 1); }
inline Date add_days(Date d, int n) { return Date{d.days + n}; }
inline int age_at(const Person& p, Date d) { return p.age_on(d); }

// Per-person persistent traits, from the person's own stream (identical in every household the
// person lives in).
struct Traits {
  double attendance = 0;   // > 0: misses more school
  double behaviour = 0;    // > 0: more ASB, offending, exclusions
  double health = 0;       // > 0: more A&E, mental-health contacts
  std::uint8_t sen = 0;
  std::uint32_t primary_urn = 0, secondary_urn = 0;
};
Traits traits_of(const Population& pop, std::uint32_t p);

struct MemberState {
  std::uint32_t id = 0;
  Traits traits;
  int episode = -1;               // -1 none, 0 CIN, 1 CPP, 2 LAC
  std::size_t episode_event = 0;  // index of the open episode's event
  int last_da_month = -100;
  int last_asb_month = -100;
  int asb_count = 0;
  int offences = 0;
  int substance_end = -1;
  double term_missed = 0, term_possible = 0;
  double year_missed = 0, year_possible = 0;
  int year_terms = 0;
  double last_term_rate = -1;
  std::vector<Date> safeguarding_starts, asb_dates;
};

/// One simulated month of the household.
struct Month {
  int y = 0, mo = 0, t = 0;       // calendar year and month; months since the burn-in began
  Date d0, d1;                    // first day of this month and of the next
  int month_days = 0;
  int academic_year = 0;          // the year its September falls in
  bool window = false;            // the month overlaps the extract period
  std::uint32_t ref = npos32;     // reference person on d0
  bool moved = false;             // the household moved this month, on moved_on
  Date moved_on;
  double x = 0;                   // latent stress (recomputed after domestic abuse)
};

/// One member in one month (persons share the household's stress x; their traits add to it).
struct PersonMonth {
  const Person& p;
  int age;
  double xp;
  bool male;
};

/// One month of the household's needs, recorded for the early-help stream (Config::early_help)
/// without a draw, so the other streams stay the same.
struct NeedsMonth {
  Date d0, d1;
  std::uint8_t problems = 0;     // bit k: headline problem k (events_early_help.cpp)
  std::uint8_t children = 0;     // resident children
  bool social_care = false;      // a child in a CIN, CPP or LAC episode
  bool moved = false;
  std::uint32_t ref = npos32;    // reference person
  float x = 0;                   // latent stress
};

/// The household's simulation state. Constructed with the household's first draws (in the
/// order the generator has always made them).
struct HouseholdSim {
  HouseholdSim(const Population& population, std::uint32_t household);

  const Population& pop;
  const Config& cfg;
  const Household& hh;
  std::uint32_t h;
  Rng rng;
  HouseholdEvents out;
  RateCounters rc;
  std::vector<MemberState> members;
  std::int32_t local_counter = 0;

  // Latent process and domestic abuse.
  double z = 0, shock = 0;
  bool da = false;
  int da_months = 0, da_notifications = 0;
  std::uint32_t victim = npos32, perpetrator = npos32;  // this month's
  // Work and benefits.
  bool pensioners = false, employed = false, on_uc = false, disability_claim = false;
  int job_loss_month = -100;
  std::uint8_t disability_benefit = 1;
  // Council tax: band by deprivation, Band D 2,100 GBP a year.
  int band = 0;
  std::int32_t ct_account = 0;
  double ct_arrears = 0, ct_prior = 0;
  bool ct_spell = false;  // a spell of missed instalments (falling behind)
  int ct_stage = 0, ct_stage_months = 0;
  // Rent (social tenants).
  double weekly_rent = 0, rent_arrears = 0;
  int rent_stage = 0, rent_stage_months = 0;
  bool eviction_pending = false;
  std::int32_t tenancy = 0;
  std::size_t tenancy_event = 0;
  bool social = false;
  bool in_arrears_this_year = false;
  // Outcome dates and counters.
  std::vector<Date> duty_dates, debt_dates;
  int asb_incident_counter = 0;
  std::vector<NeedsMonth> needs;  // only with Config::early_help

  bool resident(const MemberState& m, Date d) const {
    const Person& p = pop.persons[m.id];
    return p.dob <= d && p.household_on(d) == h && d < hh.ends;
  }
  bool in_window(Date d) const { return d >= cfg.start && d <= cfg.end; }
  Event& emit(StreamId s, std::uint32_t person, Date d);
  std::int32_t local_ref() { return ++local_counter; }
  Date day_in_month(const Month& m);
  /// The first adult resident on a day: the household's reference person (liable for council
  /// tax, the tenant, the claimant), 18 or over when anyone is.
  std::uint32_t reference_person(Date d) const;
  int n_resident(Date d, bool children_only) const;
};

inline constexpr double band_ratio[] = {6.0 / 9, 7.0 / 9, 8.0 / 9, 1.0, 11.0 / 9, 13.0 / 9, 15.0 / 9, 18.0 / 9};

// The stream families, called by simulate_household once a month in this order (household
// level), then for each resident member (person level).
void simulate_tenancy(HouseholdSim& s, const Month& month);
void simulate_work_and_benefits(HouseholdSim& s, const Month& month);
void simulate_domestic_abuse(HouseholdSim& s, const Month& month);
void simulate_council_tax(HouseholdSim& s, const Month& month);
void simulate_rent_arrears(HouseholdSim& s, const Month& month);
void simulate_homelessness(HouseholdSim& s, const Month& month);
void simulate_school(HouseholdSim& s, const Month& month, MemberState& m, const PersonMonth& pm);
void simulate_social_care(HouseholdSim& s, const Month& month, MemberState& m, const PersonMonth& pm);
void simulate_asb(HouseholdSim& s, const Month& month, MemberState& m, const PersonMonth& pm);
void simulate_youth_offending(HouseholdSim& s, const Month& month, MemberState& m, const PersonMonth& pm);
void simulate_adult_social_care(HouseholdSim& s, const Month& month, MemberState& m, const PersonMonth& pm);
void simulate_ae(HouseholdSim& s, const Month& month, MemberState& m, const PersonMonth& pm);
void simulate_substance_misuse(HouseholdSim& s, const Month& month, MemberState& m, const PersonMonth& pm);
void simulate_mental_health(HouseholdSim& s, const Month& month, MemberState& m, const PersonMonth& pm);
// Early help (Config::early_help): the month's needs, after the members; the episodes, after the
// loop, from a random stream of their own.
void record_needs(HouseholdSim& s, const Month& month);
void simulate_early_help(HouseholdSim& s);

}  // namespace earlyhelp::synth::detail
