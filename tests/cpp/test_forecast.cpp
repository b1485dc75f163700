// SPDX-License-Identifier: Apache-2.0
// Demand forecasting: states, history, transition fit, projection, scenarios, inputs (hand-computed
// cases), and the savings calculator's two published cases.
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/forecast/backtest.hpp"
#include "earlyhelp/forecast/flags.hpp"
#include "earlyhelp/forecast/forecast.hpp"
#include "earlyhelp/forecast/savings.hpp"

#include <doctest/doctest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

using namespace earlyhelp;
namespace fc = earlyhelp::forecast;

namespace {

Date day(int y, int m, int d) { return from_civil(y, m, d); }

fc::Episode episode(std::uint64_t child, int sex, Date dob, fc::EpisodeKind kind, Date start, Date end, int placement = -1) {
  fc::Episode e;
  e.child = child, e.sex = sex, e.dob = dob, e.kind = kind, e.start = start, e.end = end, e.placement = placement;
  return e;
}

// The hand-worked history of the transition cases (see "fit" below).
fc::History small_history() {
  fc::History h;
  const Date dob = day(2010, 6, 15);  // 10 at every month end of the window: age band 10-16
  h.episodes.push_back(episode(1, 0, dob, fc::EpisodeKind::cin, day(2021, 1, 10), fc::open_end));
  h.episodes.push_back(episode(2, 0, dob, fc::EpisodeKind::lac, day(2020, 11, 5), day(2021, 2, 10), 1));
  // Closed long before: only fixes where the data starts (January 2020).
  h.episodes.push_back(episode(3, 0, day(2008, 3, 1), fc::EpisodeKind::cin, day(2020, 1, 1), day(2020, 1, 20)));
  h.data_start = day(2020, 1, 20);
  return h;
}

// 1,000 girls aged 10, nobody else.
fc::PopulationSeries thousand_girls() {
  fc::AgeSexCounts c{};
  c[10][0] = 1000;
  return fc::PopulationSeries::from_years({{2020, c}}, "test");
}

// A model whose every row is a certainty: children in care stay (or leave, `leave`), nobody enters.
fc::TransitionModel certain_model(bool leave, int entry_to = -1, double entry_probability = 0) {
  fc::TransitionModel m;
  const std::size_t n_cells = static_cast<std::size_t>(fc::n_age_bands * fc::n_sexes * fc::n_states);
  m.alpha.assign(n_cells, std::array<double, fc::n_states>{});
  m.counts.assign(n_cells, std::array<double, fc::n_states>{});
  m.exposure.assign(n_cells, 0.0);
  m.first_month = fc::month_number(day(2019, 1, 1));
  m.last_month = fc::month_number(day(2020, 12, 1));
  for (int b = 0; b < fc::n_age_bands; ++b)
    for (int s = 0; s < fc::n_sexes; ++s)
      for (int f = 0; f < fc::n_states; ++f) {
        auto& a = m.alpha[fc::TransitionModel::cell(b, s, f)];
        if (f == fc::state_not_known && entry_to >= 0) {
          // A huge pseudo-count: the Dirichlet draw is the probability itself to ~1e-6.
          a[static_cast<std::size_t>(entry_to)] = 1e12 * entry_probability;
          a[0] = 1e12 * (1 - entry_probability);
        } else {
          a[static_cast<std::size_t>(leave && fc::is_lac(f) ? fc::state_not_known : f)] = 1;
        }
      }
  return m;
}

std::string temp_dir(const char* tag) {
  const auto d = std::filesystem::temp_directory_path() / fmt::format("eh_forecast_{}_{}", tag, ::getpid());
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d.string();
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_SUITE("forecast") {
  TEST_CASE("forecast.states: names, age brackets and SSDA903 placement codes") {
    CHECK(fc::state_name(fc::state_cin) == "cin");
    CHECK(fc::state_name(fc::state_lac0 + 2) == "lac:residential");
    CHECK(fc::age_band(0) == 0);
    CHECK(fc::age_band(4) == 1);
    CHECK(fc::age_band(9) == 2);
    CHECK(fc::age_band(15) == 3);
    CHECK(fc::age_band(17) == 4);
    CHECK(*fc::placement_from_ssda903("U2") == 0);
    CHECK(*fc::placement_from_ssda903("U5") == 1);
    CHECK(*fc::placement_from_ssda903("K2") == 2);
    CHECK(*fc::placement_from_ssda903("H5") == 3);
    CHECK(*fc::placement_from_ssda903("P1") == 4);
    CHECK(*fc::placement_from_ssda903("A5") == 5);
    CHECK(*fc::placement_from_ssda903("Z1") == 6);
    CHECK(!fc::placement_from_ssda903("").has_value());
    CHECK(fc::age_years(day(2010, 6, 15), day(2021, 6, 14)) == 10);
    CHECK(fc::age_years(day(2010, 6, 15), day(2021, 6, 15)) == 11);
    CHECK(fc::month_end(fc::month_number(day(2024, 2, 3))) == day(2024, 2, 29));
  }

  TEST_CASE("forecast.history: month-end states take the highest open episode") {
    fc::History h = small_history();
    std::swap(h.episodes[0], h.episodes[2]);  // any order: child_states groups by child itself
    const int dec = fc::month_number(day(2020, 12, 1));
    const auto counts = fc::observed_counts(h, dec, dec + 3);
    const int foster = fc::state_lac0 + 1;
    // Dec: child 2 fostered; Jan: child 1 in need, child 2 fostered; Feb, Mar: child 1 in need.
    CHECK(counts[0][static_cast<std::size_t>(foster)] == 1);
    CHECK(counts[0][fc::state_cin] == 0);
    CHECK(counts[1][static_cast<std::size_t>(foster)] == 1);
    CHECK(counts[1][fc::state_cin] == 1);
    CHECK(counts[2][static_cast<std::size_t>(foster)] == 0);
    CHECK(counts[2][fc::state_cin] == 1);
    CHECK(counts[3][fc::state_cin] == 1);
    // A child on a plan and in need at once counts once, on the plan.
    fc::History two;
    two.episodes.push_back(episode(9, 1, day(2015, 1, 1), fc::EpisodeKind::cin, day(2020, 1, 1), fc::open_end));
    two.episodes.push_back(episode(9, 1, day(2015, 1, 1), fc::EpisodeKind::cpp, day(2020, 3, 1), day(2020, 5, 1)));
    const int jan = fc::month_number(day(2020, 1, 1));
    const auto c2 = fc::observed_counts(two, jan, jan + 4);
    CHECK(c2[1][fc::state_cin] == 1);  // February: in need
    CHECK(c2[2][fc::state_cpp] == 1);  // March: on a plan
    CHECK(c2[2][fc::state_cin] == 0);
    CHECK(c2[4][fc::state_cin] == 1);  // May 31: the plan ended on May 1
  }

  TEST_CASE("forecast.history: months in care run across placement changes and restart after leaving") {
    fc::History h;
    const Date dob = day(2012, 3, 1);
    h.episodes.push_back(episode(5, 1, dob, fc::EpisodeKind::lac, day(2020, 1, 10), day(2020, 3, 31), 1));
    h.episodes.push_back(episode(5, 1, dob, fc::EpisodeKind::lac, day(2020, 4, 1), day(2020, 6, 15), 2));  // a placement change
    h.episodes.push_back(episode(5, 1, dob, fc::EpisodeKind::cin, day(2020, 6, 16), day(2020, 8, 1)));
    h.episodes.push_back(episode(5, 1, dob, fc::EpisodeKind::lac, day(2020, 9, 5), fc::open_end, 1));  // a new period
    const int jan = fc::month_number(day(2020, 1, 1));
    const fc::ChildStates cs = fc::child_states(h, jan, jan + 11);
    REQUIRE(cs.lac_months.size() == 1);
    const std::vector<int> expected = {0, 1, 2, 3, 4, -1, -1, -1, 0, 1, 2, 3};
    CHECK(cs.lac_months[0] == expected);
    // A window starting later still counts from the period's start.
    CHECK(fc::child_states(h, jan + 4, jan + 4).lac_months[0][0] == 4);
    // The stock by months in care: one boy aged 8, residential, 4 months in at the end of May.
    const fc::CareDurations d = fc::care_durations_at(h, jan + 4);
    CHECK(d[fc::care_cell(8, 1, 2)][4] == 1);
  }

  TEST_CASE("forecast.fit: leaving care depends on the months in care") {
    // Twelve boys aged 12 enter foster care in successive months of 2021 and leave within 40 days
    // (in care at one month end, not the next); twelve have been fostered since 2017 and stay.
    fc::History h;
    const int foster = 1;
    for (int i = 0; i < 12; ++i) {
      h.episodes.push_back(episode(100 + static_cast<std::uint64_t>(i), 1, day(2009, 1, 1), fc::EpisodeKind::lac, day(2021, 1 + i, 3),
                                   Date{day(2021, 1 + i, 3).days + 40}, foster));
      h.episodes.push_back(episode(200 + static_cast<std::uint64_t>(i), 1, day(2009, 1, 1), fc::EpisodeKind::lac, day(2017, 1, 1), fc::open_end, foster));
    }
    h.episodes.push_back(episode(999, 1, day(2009, 1, 1), fc::EpisodeKind::cin, day(2016, 1, 1), day(2016, 2, 1)));
    h.data_start = day(2016, 2, 1);
    fc::AgeSexCounts pop{};
    pop[12][1] = 1000;
    fc::FitOptions o;
    o.fit_months = 24;
    const fc::TransitionModel m = fc::fit_transitions(h, fc::PopulationSeries::from_years({{2021, pop}}, "test"), day(2022, 2, 1), o);
    // The short stays left in their first month in care, the long ones never.
    CHECK(m.leave_moves[0] > 0);
    CHECK(m.leave_moves[5] == 0);
    CHECK(m.leave_hazard[0] > 5 * m.leave_hazard[5]);
    // Over the window's own mix of durations the leaving moves are reproduced exactly.
    const std::size_t cell = fc::TransitionModel::cell(fc::age_band(12), 1, fc::state_lac0 + foster);
    double exposure = 0, weighted = 0;
    for (int b = 0; b < fc::n_care_bands; ++b) {
      exposure += m.leave_exposure[static_cast<std::size_t>(b)];
      weighted += m.leave_exposure[static_cast<std::size_t>(b)] * m.leave_multiplier(cell, b == 5 ? 24 : b == 0 ? 0 : b == 1 ? 1 : b == 2 ? 3 : b == 3 ? 6 : 12);
    }
    CHECK(weighted / exposure == doctest::Approx(1.0).epsilon(1e-9));
  }

  TEST_CASE("forecast.history: the as-of cut drops later episodes and reopens later ends") {
    const fc::History cut = fc::history_as_of(small_history(), day(2021, 2, 1));
    REQUIRE(cut.episodes.size() == 3);
    for (const auto& e : cut.episodes)
      if (e.child == 2) CHECK(e.end == fc::open_end);  // ended 10 Feb: not known on 1 Feb
    CHECK(fc::history_as_of(small_history(), day(2021, 1, 10)).episodes.size() == 2);  // child 1 starts on the as-of day
  }

  TEST_CASE("forecast.fit: counts, exposures, Wilson intervals and pooled rates by hand") {
    fc::FitOptions o;
    o.fit_months = 3, o.min_months = 1, o.prior_months = 24;
    // as-of 1 April 2021: the window's month ends are Dec 2020 .. Mar 2021.
    const fc::TransitionModel m = fc::fit_transitions(small_history(), thousand_girls(), day(2021, 4, 1), o);
    CHECK(m.first_month == fc::month_number(day(2020, 12, 1)));
    CHECK(m.last_month == fc::month_number(day(2021, 3, 1)));
    const int band = 3, girl = 0, boy = 1, foster = fc::state_lac0 + 1;
    // Not known: 1,000 girls less those in care at Dec (1), Jan (2) and Feb (1) = 2,996 child-months;
    // one entry (child 1, December -> January).
    const auto nk = fc::TransitionModel::cell(band, girl, fc::state_not_known);
    CHECK(m.exposure[nk] == 2996);
    CHECK(m.counts[nk][fc::state_cin] == 1);
    CHECK(m.probability(band, girl, fc::state_not_known, fc::state_cin) == doctest::Approx(1.0 / 2996).epsilon(1e-12));
    // Boys have no exposure: their rate is the bracket's, pooled over sexes.
    CHECK(m.probability(band, boy, fc::state_not_known, fc::state_cin) == doctest::Approx(1.0 / 2996).epsilon(1e-12));
    // Fostered: two child-months (Dec->Jan stayed, Jan->Feb left).
    const auto lac = fc::TransitionModel::cell(band, girl, foster);
    CHECK(m.exposure[lac] == 2);
    CHECK(m.counts[lac][fc::state_not_known] == 1);
    CHECK(m.counts[lac][static_cast<std::size_t>(foster)] == 1);
    CHECK(m.probability(band, girl, foster, fc::state_not_known) == doctest::Approx(0.5).epsilon(1e-12));
    // In need: two child-months, both stayed.
    const auto cin = fc::TransitionModel::cell(band, girl, fc::state_cin);
    CHECK(m.exposure[cin] == 2);
    CHECK(m.counts[cin][fc::state_cin] == 2);
    // The table's raw rate and 95% Wilson interval (statsmodels proportion_confint(1, 2, 'wilson')
    // gives 0.0945312, 0.9054688).
    bool found = false;
    for (const auto& r : m.table())
      if (r.band == band && r.sex == girl && r.from == foster && r.to == fc::state_not_known) {
        found = true;
        CHECK(r.rate == doctest::Approx(0.5));
        CHECK(r.low == doctest::Approx(0.0945312).epsilon(1e-6));
        CHECK(r.high == doctest::Approx(0.9054688).epsilon(1e-6));
      }
    CHECK(found);
    // Cut at 1 March 2020 only child 3's episode is known: data from January, one month end before.
    CHECK(message_of([] { fc::fit_transitions(small_history(), thousand_girls(), day(2020, 3, 1)); }).find("at least 6 are needed") !=
          std::string::npos);
  }

  TEST_CASE("forecast.project: certain rows give exact counts and costs") {
    fc::Stock stock{};
    stock[5][0][static_cast<std::size_t>(fc::state_lac0 + 1)] = 10;  // ten girls aged 5 in foster care
    const fc::UnitCosts costs = fc::default_unit_costs();
    fc::ProjectionOptions o;
    o.months = 12, o.simulations = 3, o.n_threads = 2;
    const int start = fc::month_number(day(2020, 12, 1));
    const fc::Scenario held = fc::parse_scenarios("population")[0];
    SUBCASE("everyone stays") {
      const fc::Projection p = fc::project(certain_model(false), fc::PopulationSeries::notional(), stock, start, held, costs, o);
      for (std::size_t s = 0; s < 3; ++s)
        for (std::size_t k = 0; k < 12; ++k) {
          CHECK(p.counts[s][k][2] == 10);  // lac
          CHECK(p.counts[s][k][4] == 10);  // lac:foster
          CHECK(p.counts[s][k][0] == 0);   // nobody enters
          const double weeks = fc::month_days(start + 1 + static_cast<int>(k)) / 7.0;
          CHECK(p.costs[s][k][2] == doctest::Approx(10 * 646 * weeks).epsilon(1e-6));
        }
    }
    SUBCASE("everyone leaves in the first month") {
      const fc::Projection p = fc::project(certain_model(true), fc::PopulationSeries::notional(), stock, start, held, costs, o);
      for (std::size_t k = 0; k < 12; ++k) CHECK(p.counts[0][k][2] == 0);
    }
    SUBCASE("results do not depend on the thread count") {
      const auto m = certain_model(false, fc::state_lac0 + 1, 1e-4);
      o.n_threads = 1;
      const fc::Projection a = fc::project(m, fc::PopulationSeries::notional(), stock, start, held, costs, o);
      o.n_threads = 2;
      const fc::Projection b = fc::project(m, fc::PopulationSeries::notional(), stock, start, held, costs, o);
      CHECK(a.counts == b.counts);
    }
  }

  TEST_CASE("forecast.project: the chance of leaving care follows the months in care") {
    // Half the fostered children leave each month on average; in their first month in care twice
    // that (all), after two years none.
    fc::TransitionModel m = certain_model(false);
    for (int b = 0; b < fc::n_age_bands; ++b)
      for (int s = 0; s < fc::n_sexes; ++s) {
        auto& a = m.alpha[fc::TransitionModel::cell(b, s, fc::state_lac0 + 1)];
        a = {};
        a[0] = 1e12, a[static_cast<std::size_t>(fc::state_lac0 + 1)] = 1e12;
      }
    m.leave_hazard = {2, 1, 1, 1, 1, 0};
    m.leave_mean_hazard.assign(m.alpha.size(), 1.0);
    fc::Stock stock{};
    stock[5][0][static_cast<std::size_t>(fc::state_lac0 + 1)] = 20;
    fc::CareDurations d(static_cast<std::size_t>(fc::n_ages * fc::n_sexes * fc::n_placements));
    d[fc::care_cell(5, 0, 1)][0] = 10;   // ten just placed
    d[fc::care_cell(5, 0, 1)][fc::n_care_months - 1] = 10;  // ten in care for two years or more
    fc::ProjectionOptions o;
    o.months = 3, o.simulations = 2, o.n_threads = 1;
    const int start = fc::month_number(day(2020, 12, 1));
    const fc::Scenario held = fc::parse_scenarios("population")[0];
    const fc::Projection p = fc::project(m, fc::PopulationSeries::notional(), stock, start, held, fc::default_unit_costs(), o, &d);
    for (std::size_t k = 0; k < 3; ++k) CHECK(p.counts[0][k][2] == 10);
    // Without durations every child of the stock is taken as in care for two years or more.
    const fc::Projection q = fc::project(m, fc::PopulationSeries::notional(), stock, start, held, fc::default_unit_costs(), o);
    CHECK(q.counts[0][2][2] == 20);
    fc::CareDurations wrong(3);
    CHECK_THROWS_AS(fc::project(m, fc::PopulationSeries::notional(), stock, start, held, fc::default_unit_costs(), o, &wrong), InvalidArgument);
  }

  TEST_CASE("forecast.scenarios: intervention and target bend entries as configured") {
    // 10,000 children per age and sex (F, M): 360,000; each month 1 in 10,000 of them enters foster
    // care and stays: about 36 entries a month.
    const auto m = certain_model(false, fc::state_lac0 + 1, 1e-4);
    const fc::Stock empty{};
    fc::ProjectionOptions o;
    o.months = 12, o.simulations = 40, o.n_threads = 2;
    const int start = fc::month_number(day(2020, 12, 1));
    const auto pop = fc::PopulationSeries::from_years({{2020, fc::PopulationSeries::notional().at_month(0)}}, "flat");
    auto lac_mean = [&](const fc::Scenario& s, std::size_t k) {
      const fc::Projection p = fc::project(m, pop, empty, start, s, fc::default_unit_costs(), o);
      double sum = 0;
      for (const auto& sim : p.counts) sum += sim[k][2];
      return sum / static_cast<double>(p.counts.size());
    };
    const double held = lac_mean(fc::parse_scenarios("population")[0], 11);
    CHECK(held == doctest::Approx(12 * 36.0).epsilon(0.05));
    // Prevent half of the entries among the 60% the model flags: entries fall by 30%.
    const double prevented = lac_mean(fc::parse_scenarios("intervention:prevent=0.5:recall=0.6")[0], 11);
    CHECK(prevented / held == doctest::Approx(0.7).epsilon(0.03));
    // Target 5 per 10,000 reached in one year (from 0): 5 * 36 = 180 children at month 12, 90 at 6.
    const fc::Scenario target = fc::parse_scenarios("target:5:1")[0];
    CHECK(lac_mean(target, 11) == doctest::Approx(180).epsilon(0.03));
    CHECK(lac_mean(target, 5) == doctest::Approx(90).epsilon(0.05));
    CHECK_THROWS_AS(fc::project(m, fc::PopulationSeries::notional(), empty, start, target, fc::default_unit_costs(), o), InvalidArgument);
  }

  TEST_CASE("forecast.scenarios: the intervention takes its reach from the safeguarding model's scores") {
    // earlyhelp profile --scores: the safeguarding rows count, other domains do not.
    const std::string dir = temp_dir("flags");
    const std::string scores = dir + "/scores.csv";
    write_file(scores,
               "person_id,family_id,domain,as_of,score,band\n"
               "P1,F1,safeguarding,2021-01-01,0.400000,high\n"
               "P2,F1,safeguarding,2021-01-01,0.200000,high\n"
               "P3,F2,safeguarding,2021-01-01,0.050000,low\n"
               "P4,,safeguarding,2021-01-01,0.150000,medium\n"
               "P1,F1,asb,2021-01-01,0.900000,high\n");
    const auto rows = fc::read_safeguarding_scores(scores);
    REQUIRE(rows.size() == 4);
    const auto f = fc::summarise_flags(rows, {});
    CHECK(f.flagged == 2);
    CHECK(f.flagged_families == 1);
    CHECK(f.recall == doctest::Approx(0.6 / 0.8));
    fc::FlagRule at;
    at.threshold = 0.15;
    CHECK(fc::summarise_flags(rows, at).flagged_families == 2);  // F1 and P4's own
    CHECK(fc::summarise_flags(rows, at).recall == doctest::Approx(0.75 / 0.8));
    const fc::Scenario sc = fc::parse_scenarios(fmt::format("intervention:prevent=0.4:scores={}:cost=2285", scores))[0];
    CHECK(sc.recall == doctest::Approx(0.75));
    CHECK(sc.flagged_per_year == 1);
    CHECK(sc.flagged_children == 2);
    CHECK(sc.scores == scores);
    // End to end: entries to care fall by prevent x recall = 30%, at the programme's cost.
    const auto m = certain_model(false, fc::state_lac0 + 1, 1e-4);
    fc::ProjectionOptions o;
    o.months = 12, o.simulations = 40, o.n_threads = 2;
    const int start = fc::month_number(day(2020, 12, 1));
    const auto pop = fc::PopulationSeries::from_years({{2020, fc::PopulationSeries::notional().at_month(0)}}, "flat");
    auto lac_mean = [&](const fc::Projection& p) {
      double sum = 0;
      for (const auto& sim : p.counts) sum += sim[11][2];
      return sum / static_cast<double>(p.counts.size());
    };
    const auto held = fc::project(m, pop, fc::Stock{}, start, fc::parse_scenarios("population")[0], fc::default_unit_costs(), o);
    const auto flagged = fc::project(m, pop, fc::Stock{}, start, sc, fc::default_unit_costs(), o);
    CHECK(lac_mean(flagged) / lac_mean(held) == doctest::Approx(0.7).epsilon(0.03));
    CHECK(flagged.programme_cost_per_month == doctest::Approx(2285.0 / 12));
    // Errors name the file, row and field; recall and scores together are refused.
    write_file(scores, "person_id,family_id,domain,as_of,score,band\nP1,F1,safeguarding,2021-01-01,high,high\n");
    CHECK(message_of([&] { fc::read_safeguarding_scores(scores); }).find("row 1, field score") != std::string::npos);
    CHECK_THROWS_AS(fc::parse_scenarios(fmt::format("intervention:prevent=0.4:recall=0.5:scores={}", scores)), InvalidArgument);
    CHECK_THROWS_AS(fc::parse_scenarios("intervention:prevent=0.4:recall=0.5:band=high"), InvalidArgument);
    std::filesystem::remove_all(dir);
  }

  TEST_CASE("forecast.scenarios: specs parse, and bad specs say what was expected") {
    const auto s = fc::parse_scenarios("trend,population,target:67");
    REQUIRE(s.size() == 3);
    CHECK(s[2].kind == fc::ScenarioKind::target);
    CHECK(s[2].target_per_10k == 67);
    CHECK(s[2].target_years == 5);
    CHECK(s[2].name == "target:67");
    CHECK(message_of([] { fc::parse_scenarios("target:lots"); }).find("target rate per 10,000") != std::string::npos);
    CHECK(message_of([] { fc::parse_scenarios("growth"); }).find("unknown scenario 'growth'") != std::string::npos);
    CHECK(message_of([] { fc::parse_scenarios("trend,trend"); }).find("given twice") != std::string::npos);
    CHECK_THROWS_AS(fc::parse_scenarios("intervention:prevent=0.2"), InvalidArgument);
  }

  TEST_CASE("forecast.run: nothing dated on or after the as-of date changes the forecast") {
    // 300 children with episodes spread over 2019-2022 (a fixed arithmetic pattern, no RNG).
    fc::History h;
    for (std::uint64_t c = 0; c < 300; ++c) {
      const Date dob = day(2004 + static_cast<int>(c % 17), 1 + static_cast<int>(c % 12), 1 + static_cast<int>(c % 28));
      const Date start{day(2019, 1, 1).days + static_cast<std::int32_t>((c * 37) % 1400)};
      const auto kind = static_cast<fc::EpisodeKind>(c % 3);
      const Date end = c % 4 == 0 ? fc::open_end : Date{start.days + 60 + static_cast<std::int32_t>((c * 53) % 500)};
      if (dob < start) h.episodes.push_back(episode(c, static_cast<int>(c % 2), dob, kind, start, end, static_cast<int>(c % 7)));
    }
    h.data_start = day(2019, 1, 1);
    fc::ForecastInput full;
    full.history = h;
    fc::ForecastInput known = full;
    known.history = fc::history_as_of(h, day(2021, 7, 1));
    known.history.data_start = day(2019, 1, 1);
    full.history.data_start = day(2019, 1, 1);
    fc::ForecastOptions o;
    o.as_of = day(2021, 7, 1);
    o.horizon_months = 12;
    o.simulations = 20;
    o.n_threads = 2;
    const auto a = fc::run_forecast(full, o), b = fc::run_forecast(known, o);
    REQUIRE(a.rows.size() == b.rows.size());
    for (std::size_t i = 0; i < a.rows.size(); ++i) {
      CHECK(a.rows[i].count_mean == b.rows[i].count_mean);
      CHECK(a.rows[i].cost_p95 == b.rows[i].cost_p95);
    }
    // Observed rows stop at the last month end before the as-of date.
    for (const auto& r : a.rows)
      if (r.scenario == "observed") CHECK(r.date < o.as_of);
    CHECK(a.cost_change.empty());  // a 12-month horizon reaches none of 3, 5, 10 years
    // An empty history is a clear error, never a date computed from nothing.
    CHECK_THROWS_AS(fc::run_forecast(fc::ForecastInput{}, o), InvalidArgument);
    CHECK_THROWS_AS(fc::backtest(fc::ForecastInput{}, o.as_of, {}), InvalidArgument);
    CHECK_THROWS_AS(fc::default_split(fc::History{}, 12), InvalidArgument);
  }

  TEST_CASE("forecast.ssda903: episodes join the header; bad rows are rejected by file, row and field") {
    const std::string d = temp_dir("903");
    write_file(d + "/header.csv", "CHILD,SEX,DOB,ETHNIC\nA1,2,15/06/2010,WBRI\nA2,1,2012-01-01,WBRI\nA3,3,01/01/2012,WBRI\n");
    write_file(d + "/episodes.csv",
               "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC\n"
               "A1,01/02/2020,S,C2,N1,U4,PR1,01/05/2020,X1\n"
               "A1,01/05/2020,P,C2,N1,K2,PR1,,\n"
               "A2,not a date,S,V2,N1,U1,PR1,,\n"
               "A9,01/02/2020,S,V2,N1,U1,PR1,,\n"
               "A2,01/03/2021,S,V2,N1,U1,PR1,01/02/2021,E1\n");
    // Last year's return repeats A1's first episode.
    write_file(d + "/episodes_prev.csv", "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC\nA1,01/02/2020,S,C2,N1,U4,PR1,01/05/2020,X1\n");
    const fc::History h = fc::read_ssda903_history({d + "/header.csv"}, {d + "/episodes.csv", d + "/episodes_prev.csv"});
    REQUIRE(h.episodes.size() == 2);
    CHECK(h.episodes[0].sex == 0);
    CHECK(h.episodes[0].end == day(2020, 4, 30));  // DEC is the day it ceased
    const int foster = fc::state_lac0 + 1, residential = fc::state_lac0 + 2;
    CHECK((h.episodes[0].state() == foster || h.episodes[1].state() == foster));
    CHECK((h.episodes[0].state() == residential || h.episodes[1].state() == residential));
    REQUIRE(h.rejects.size() == 4);
    CHECK(h.rejects[0].field == "SEX");
    CHECK(h.rejects[0].file == d + "/header.csv");
    CHECK(h.rejects[0].row == 3);
    CHECK(h.rejects[1].field == "DECOM");
    CHECK(h.rejects[2].field == "CHILD");
    CHECK(h.rejects[3].field == "DEC");
    CHECK(h.rows_read == 3 + 5 + 1);
    write_file(d + "/bad.csv", "CHILD,START\nA1,01/02/2020\n");
    CHECK(message_of([&] { fc::read_ssda903_history({d + "/header.csv"}, {d + "/bad.csv"}); }).find("no column 'DECOM'") != std::string::npos);
    std::filesystem::remove_all(d);
  }

  TEST_CASE("forecast.extracts: only the fields the forecast reads can reject an episode") {
    const std::string d = temp_dir("extracts");
    write_file(d + "/social_care_episodes.csv",
               "record_id,first_name,surname,dob,sex,postcode,upn,episode_type,start_date,end_date,category_of_need,"
               "category_of_abuse,legal_status,placement_type\n"
               "E1,Ann,Lee,01/02/2015,F,OX4 1AB,,lac,01/03/2022,,family_dysfunction,,full_care_order,foster\n"
               "E2,Bo,Lee,01/02/2016,M,NOT A POSTCODE,,cin,01/03/2022,01/06/2022,not_a_category,,none,\n"
               "E3,Cy,Lee,01/02/2017,M,OX4 1AB,,cpp,31/02/2022,,abuse_or_neglect,neglect,none,\n"
               "E4,Di,Lee,01/02/2013,F,OX4 1AB,,lac,01/03/2022,,abuse_or_neglect,,section_20,\n");
    const fc::History h = fc::read_extract_history(d);
    CHECK(h.rows_read == 4);
    REQUIRE(h.episodes.size() == 3);  // E2 kept despite its postcode and category of need
    REQUIRE(h.rejects.size() == 1);
    CHECK(h.rejects[0].row == 3);
    CHECK(h.rejects[0].field == "start_date");
    CHECK(h.rejects[0].file == d + "/social_care_episodes.csv");
    CHECK(h.unknown_placements == 1);  // E4
    std::filesystem::remove_all(d);
  }

  TEST_CASE("forecast.inputs: population and unit-cost files, and errors naming file, row and column") {
    const std::string d = temp_dir("inputs");
    write_file(d + "/long.csv", "year,age,sex,population\n2024,0,F,100\n2024,0,M,110\n2025,0,F,112\n2025,0,M,122\n2024,30,F,5\n");
    const auto p = fc::read_population_csv(d + "/long.csv");
    CHECK(p.at_month(2024 * 12 + 5)[0][0] == 100);  // mid-2024
    CHECK(p.at_month(2024 * 12 + 11)[0][0] == doctest::Approx(106));  // half way to mid-2025
    CHECK(p.total_at_month(2030 * 12) == 234);  // held after the last year
    write_file(d + "/wide.csv", "AREA_CODE,AGE_GROUP,SEX,2024,2025\nE1,0,female,10,11\nE1,90 and over,female,1,1\nE1,All ages,persons,99,99\n");
    CHECK(fc::read_population_csv(d + "/wide.csv").at_month(2025 * 12 + 5)[0][0] == 11);
    write_file(d + "/bad.csv", "year,age,sex,population\n2024,0,F,100\n2024,1,X,3\n");
    const std::string msg = message_of([&] { fc::read_population_csv(d + "/bad.csv"); });
    CHECK(msg.find("bad.csv") != std::string::npos);
    CHECK(msg.find("row 2") != std::string::npos);
    CHECK(msg.find("sex") != std::string::npos);
    write_file(d + "/costs.csv", "state,weekly_cost,source\nlac,1000,our finance team\ncpp,250,our finance team\n");
    const auto c = fc::read_unit_costs(d + "/costs.csv");
    CHECK(c.weekly[fc::state_cpp] == 250);
    CHECK(c.weekly[static_cast<std::size_t>(fc::state_lac0 + 2)] == 1000);
    CHECK(c.source[fc::state_cpp] == "our finance team");
    write_file(d + "/costs_bad.csv", "state,weekly_cost\nlac:castle,1000\n");
    CHECK(message_of([&] { fc::read_unit_costs(d + "/costs_bad.csv"); }).find("unknown state") != std::string::npos);
    std::filesystem::remove_all(d);
  }
}

TEST_SUITE("savings") {
  // The public-health report's edge-of-care table prints totals only: 135.5 families at GBP 2,285,
  // 21.7 children prevented from entering care, GBP 1,534,771 gross, GBP 649,331 directly cashable
  // (placements). The saving per child is taken from them: placement 649,331 / 21.7 = 29,923.09;
  // other costs (1,534,771 - 649,331) / 21.7 = 40,803.69. The case checks the calculator's
  // arithmetic and its rounding to the pound as the table does it.
  TEST_CASE("savings.edge_of_care: the published table to the pound") {
    const std::string json = R"({"name": "Edge of care", "eligible": 135.5, "unit": "family", "cost_per_unit": 2285,
      "effect": {"outcomes": 21.7, "outcome": "children prevented from entering care"},
      "savings": [{"item": "placement", "amount": 29923.09, "cashable": true},
                  {"item": "other costs of care", "amount": 40803.69, "cashable": false}]})";
    const auto r = fc::savings::calculate(fc::savings::parse_intervention(json));
    const auto p = fc::savings::to_pounds(r);
    CHECK(p.cost == 309618);
    CHECK(p.gross == 1534771);
    CHECK(p.net == 1225153);
    CHECK(p.cashable == 649331);
    CHECK(r.cost == doctest::Approx(309617.5).epsilon(1e-12));
    CHECK(r.cost_per_outcome == doctest::Approx(309617.5 / 21.7).epsilon(1e-12));
    // Break-even: the outcomes whose savings pay for the service.
    CHECK(r.break_even_outcomes == doctest::Approx(309617.5 / (29923.09 + 40803.69)).epsilon(1e-12));
    CHECK(fc::savings::to_text(r).find("GBP 1,225,153") != std::string::npos);
  }

  // The county's short-term family team: 24 weeks of engagement instead of 38 at GBP 435 of avoided
  // cost per family per week (a unit-cost database figure): GBP 6,090 per family, 80 claims.
  TEST_CASE("savings.weeks: the short-term family team, GBP 6,090 per family and 80 claims") {
    fc::savings::Intervention in;
    in.name = "Short-term family team";
    in.eligible = 80;
    in.weeks_saved = 38 - 24;
    in.savings.push_back({"avoided cost per family per week", 435, true, false, "unit-cost database"});
    const auto r = fc::savings::calculate(in);
    CHECK(r.gross_per_unit == 6090);
    CHECK(r.gross == 80 * 6090);
    CHECK(fc::savings::to_pounds(r).gross == 487200);
    CHECK(r.outcomes == 80 * 14);  // family-weeks saved
  }

  TEST_CASE("savings.discounting: recurring savings are discounted yearly from year 0") {
    fc::savings::Intervention in;
    in.name = "x";
    in.eligible = 10, in.cost_per_unit = 100, in.outcomes = 2, in.discount_rate = 0.035, in.horizon_years = 3;
    in.savings.push_back({"placement", 1000, true, true, ""});
    const auto r = fc::savings::calculate(in);
    CHECK(r.gross == doctest::Approx(2 * (1000 + 1000 / 1.035 + 1000 / (1.035 * 1.035))).epsilon(1e-12));
    CHECK(r.net == doctest::Approx(r.gross - 1000).epsilon(1e-12));
  }

  TEST_CASE("savings.errors: bad configurations name the file and key") {
    CHECK(message_of([] { fc::savings::parse_intervention("{\"eligible\": 3}", "x.json"); }).find("x.json: missing 'effect'") != std::string::npos);
    CHECK(message_of([] { fc::savings::parse_intervention("{\"eligible\": -3}", "x.json"); }).find("'eligible' must be a non-negative") !=
          std::string::npos);
    CHECK(message_of([] { fc::savings::parse_intervention("{\"eligble\": 3}", "x.json"); }).find("unknown key 'eligble'") != std::string::npos);
    CHECK(message_of([] { fc::savings::parse_intervention("[1", "x.json"); }).find("not valid JSON") != std::string::npos);
    fc::savings::Intervention in;
    in.eligible = 1, in.outcomes = 1, in.weeks_saved = 2;
    in.savings.push_back({"a", 1, false, false, ""});
    CHECK_THROWS_AS(fc::savings::calculate(in), InvalidArgument);  // two effects
  }
}
