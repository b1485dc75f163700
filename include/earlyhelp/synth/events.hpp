// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The synthetic council's event streams and outcomes, driven by a documented latent-risk
/// process.
///
/// **Latent risk.** Every household h carries, in each month t, a stress level
///
///     x[h,t] = u[h] + z[h,t] + s[h,t] + 0.7 * da[h,t]
///
/// where u[h] is the persistent risk of population.hpp (deprivation of the street, renting,
/// lone parenthood, plus noise), z is an AR(1) process (rho 0.9, stationary sd 0.8) for the
/// ups and downs of family life, s is a decaying shock (x0.85 a month) raised by a job loss
/// (+1.2) or a move (+0.6), and da is 1 while the household lives with domestic abuse (onset
/// hazard grows with x; notifications to the police escalate with the months it lasts).
/// Persons add their own propensities (a child's attendance, a young person's behaviour).
///
/// **Streams.** Monthly hazards of the form exp(a + b * x + ...) generate: school attendance
/// per term (absence rises with x), suspensions and permanent exclusions, police domestic-abuse
/// notifications (victim, perpetrator and children present), ASB incidents, youth offending,
/// council-tax instalments missed and the recovery ladder (reminder, final notice, summons,
/// liability order, enforcement agent), social-tenancy rent arrears and their recovery actions,
/// UC and other DWP claims after job loss, housing benefit, homelessness approaches with
/// prevention/relief/main duties, children's social-care contacts and referrals (police
/// notifications and falling attendance generate contacts), CIN -> CPP -> LAC episodes,
/// adult social care, A&E attendances, substance-misuse and mental-health contacts. The
/// intercepts are calibrated so the rates match the official figures of base_rates.md (see the
/// README table and Summary below).
///
/// **Outcomes.** At as-of dates every six months from one year after the start, each eligible
/// person gets a 0/1 label per domain: safeguarding (a child, not already in an episode, who
/// starts a CIN/CPP/LAC episode within 9 months), homelessness (the household's reference
/// person, whose household is owed a duty within 6 months), ASB (aged 10-64, an ASB incident as
/// perpetrator within 6 months), debt (the reference person, whose council-tax or rent debt
/// reaches a liability order / court action within 6 months). Because the same x drives the
/// precursors (falling attendance, repeat DA notifications, growing arrears, a move, job loss)
/// and the outcomes, models can learn real signal; the monthly noise keeps them from perfection.

#include "earlyhelp/synth/population.hpp"

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace earlyhelp::synth {

/// The source systems, in the built-in schema's order.
enum class StreamId : std::uint8_t {
  person_register, school_attendance, school_exclusions, social_care_contacts,
  social_care_episodes, police_domestic_abuse, asb_incidents, youth_offending, housing_tenancy,
  rent_arrears, homelessness_applications, council_tax, housing_benefit, dwp_benefits,
  adult_social_care, health_ae, health_substance_misuse, health_mental_health,
  early_help_episodes,  ///< only with Config::early_help (events_early_help.cpp)
};
inline constexpr std::size_t n_streams = 19;
/// Schema name of a stream, e.g. "school_attendance".
std::string_view stream_name(StreamId s) noexcept;

/// "No date" marker for open episodes.
inline constexpr Date no_date{-2147483647 - 1};

/// One simulated event: becomes exactly one row of its stream. The meaning of `code`, `num`
/// and `amount` depends on the stream (documented at the top of each lib/synth/events_<family>.cpp).
struct Event {
  Date date;                  ///< event, start or snapshot date
  Date end = no_date;         ///< end of an episode or claim; no_date while open
  std::uint32_t person = 0;
  std::uint32_t household = 0;  ///< household at the event date (ground truth)
  StreamId stream = StreamId::person_register;
  std::array<std::uint8_t, 4> code{};
  std::array<std::int32_t, 3> num{};
  std::array<float, 2> amount{};
};

/// The four profiling domains.
enum class Domain : std::uint8_t { safeguarding = 0, homelessness = 1, asb = 2, debt = 3 };
std::string_view to_string(Domain d) noexcept;

/// One ground-truth label.
struct Outcome {
  std::uint32_t person = 0;
  Domain domain = Domain::safeguarding;
  Date as_of;
  std::uint8_t label = 0;
};

/// Events and outcomes of one household, in a fixed order (by stream emission, then time).
struct HouseholdEvents {
  std::vector<Event> events;
  std::vector<Outcome> outcomes;
};

/// Counters behind the base-rate comparison (summed over households; see Summary).
struct RateCounters {
  double child_days = 0, cin_days = 0, cpp_days = 0, lac_days = 0;  ///< at each 31 March census
  double children_census = 0, persons_census = 0, households_census = 0;
  double pupils_year = 0, persistent_absentees = 0;
  double suspensions = 0, permanent_exclusions = 0;
  double person_years = 0, household_years = 0, child_years = 0, youth_years = 0;
  double da_incidents = 0, asb_perpetrator_incidents = 0, duties = 0, referrals = 0;
  double first_time_entrants = 0, ct_due = 0, ct_paid = 0, social_tenant_years = 0;
  double social_tenants_in_arrears = 0, ae_attendances = 0;

  void add(const RateCounters& o) noexcept;
};

/// The as-of dates outcomes are labelled at for a config.
std::vector<Date> as_of_dates(const Config& config);

/// Simulates household `h` of `pop` (deterministic for the seed and h).
/// @param counters if not null, receives this household's contribution to the rate counters.
HouseholdEvents simulate_household(const Population& pop, std::uint32_t h, RateCounters* counters = nullptr);

}  // namespace earlyhelp::synth
