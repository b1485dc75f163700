// SPDX-License-Identifier: Apache-2.0
// The engagement model (forecast/engagement.hpp): reading, fitting, scoring, avoided costs.

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/forecast/detail/engagement_design.hpp"
#include "earlyhelp/forecast/engagement.hpp"
#include "earlyhelp/forecast/savings.hpp"
#include "earlyhelp/synth/detail/random.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

using namespace earlyhelp;
using namespace earlyhelp::forecast;

namespace {

const std::string header =
    "record_id,first_name,surname,dob,sex,postcode,family_ref,start_date,end_date,closure_reason,children,problem_crime_asb,"
    "problem_school_attendance,problem_children_need_help,problem_worklessness_debt,problem_domestic_abuse,problem_health\n";

std::string write_file(const std::string& tag, const std::string& text) {
  const auto p = std::filesystem::temp_directory_path() / fmt::format("eh_engagement_{}_{}.csv", tag, ::getpid());
  std::ofstream(p) << text;
  return p.string();
}

// Families whose number of problems sets how fast they are turned around: one problem, about
// half in 3 months; four problems, rarely within the year and often disengaging.
std::vector<EngagementEpisode> simulated(std::uint64_t seed, int n) {
  synth::detail::Rng rng(seed);
  std::vector<EngagementEpisode> out;
  for (int i = 0; i < n; ++i) {
    EngagementEpisode e;
    e.record_id = fmt::format("E{}", i);
    e.family_ref = fmt::format("F{}", i);
    e.start = Date{from_civil(2020, 1, 1).days + static_cast<std::int32_t>(rng.below(900))};
    const int problems = 1 + static_cast<int>(rng.below(4));
    for (int k = 0; k < problems; ++k) e.problems[static_cast<std::size_t>(k)] = true;
    e.children = 1 + static_cast<int>(rng.below(3));
    int week = 0;
    for (;; ++week) {
      const double p_done = problems == 1 ? 0.06 : problems == 2 ? 0.03 : problems == 3 ? 0.015 : 0.006;
      const double u = rng.uniform();
      if (u < p_done) { e.closure = Closure::outcomes_achieved; break; }
      if (u < p_done + 0.004 * problems) { e.closure = Closure::disengaged; break; }
    }
    e.end = Date{e.start.days + 7 * (week + 1)};
    if (*e.end >= from_civil(2023, 1, 1)) e.end.reset(), e.closure = Closure::open;
    out.push_back(e);
  }
  return out;
}

EngagementOptions options(Date as_of) {
  EngagementOptions o;
  o.as_of = as_of;
  o.data_start = from_civil(2020, 1, 1);
  return o;
}

}  // namespace

TEST_SUITE("engagement") {
  TEST_CASE("engagement.read: rows reconcile; bad rows are rejected with field and reason; earlier episodes counted") {
    const std::string path = write_file(
        "read", header +
                    "A1,Ann,Lee,01/02/1985,F,OX4 1AB,F1,01/04/2022,01/09/2022,outcomes_achieved,2,Y,N,N,Y,N,N\n"
                    "A2,Ann,Lee,01/02/1985,F,OX4 1AB,F1,01/01/2023,,,2,Y,N,N,N,N,N\n"
                    "B1,Bob,Ray,01/02/1980,M,OX4 1AB,F2,01/05/2022,01/04/2022,disengaged,1,N,N,N,N,N,N\n"
                    "C1,Cat,Roe,01/02/1990,F,OX4 1AB,F3,01/05/2022,01/08/2022,,1,N,N,N,N,N,N\n"
                    "D1,Dan,Fox,01/02/1990,M,OX4 1AB,F4,not a date,,,1,N,N,N,N,N,N\n");
    const auto d = read_engagement_episodes(path);
    std::filesystem::remove(path);
    CHECK(d.rows_read == 5);
    CHECK(d.episodes.size() + d.rejects.size() == d.rows_read);
    REQUIRE(d.episodes.size() == 2);
    CHECK(d.episodes[0].earlier_episodes == 0);
    CHECK(d.episodes[1].earlier_episodes == 1);
    CHECK(d.episodes[0].closure == Closure::outcomes_achieved);
    CHECK(d.episodes[0].problems[3]);
    CHECK_FALSE(d.episodes[1].end.has_value());
    REQUIRE(d.rejects.size() == 3);
    CHECK(d.rejects[0].field == "end_date");
    CHECK(d.rejects[1].field == "closure_reason");
    CHECK(d.rejects[2].field == "start_date");
    REQUIRE(d.first_end.has_value());
    CHECK(*d.first_end == from_civil(2022, 9, 1));
  }

  TEST_CASE("engagement.fit: fewer problems, sooner turned around and shorter (learned, not written in)") {
    const auto eps = simulated(7, 1500);
    const auto o = options(from_civil(2022, 7, 1));
    const auto m = fit_engagement(eps, std::nullopt, o);
    CHECK(m.closures > 100);
    EngagementEpisode one, four;
    one.problems = {true, false, false, false, false, false};
    four.problems = {true, true, true, true, false, false};
    one.children = four.children = 2;
    const auto p1 = predict_engagement(m, one, 0, o), p4 = predict_engagement(m, four, 0, o);
    CHECK(p1.p_short > 0.5);
    CHECK(p4.p_short < 0.3);
    CHECK(p1.expected_weeks < p4.expected_weeks);
    CHECK(p1.expected_weeks < 30);
    // Given 30 weeks already engaged, no short engagement remains.
    CHECK(predict_engagement(m, one, 30, o).p_short == 0);
  }

  TEST_CASE("engagement.fit: nothing dated on or after the as-of date changes the model") {
    auto eps = simulated(11, 600);
    const auto o = options(from_civil(2022, 1, 1));
    const auto a = fit_engagement(eps, std::nullopt, o);
    for (auto& e : eps)
      if (e.end && *e.end >= o.as_of) e.end = Date{e.end->days + 100}, e.closure = Closure::moved_away;
    const auto b = fit_engagement(eps, std::nullopt, o);
    CHECK(a.close_coef == b.close_coef);
    CHECK(a.outcome_coef == b.outcome_coef);
    CHECK(a.intervals == b.intervals);
  }

  TEST_CASE("engagement.assess: the listed families' avoided cost is the savings calculator's (the county case)") {
    // 24 weeks instead of 38 at 435 GBP a week: 6,090 GBP per family.
    EngagementOptions o;
    CHECK(savings::calculate(forecast::detail::short_engagement(1, 38 - 24, o)).gross == doctest::Approx(6090));
    CHECK(savings::calculate(forecast::detail::short_engagement(80, 14, o)).gross == doctest::Approx(487200));
    EngagementEpisodes data;
    data.episodes = simulated(3, 800);
    const auto r = assess_engagement(data, options(from_civil(2022, 7, 1)));
    REQUIRE(r.listed > 0);
    double total = 0;
    for (const auto& f : r.families) {
      CHECK((f.listed == (f.p_short >= 0.5)));
      if (!f.listed) continue;
      CHECK(f.weeks_saved == doctest::Approx(std::max(0.0, f.expected_weeks - 24)));
      CHECK(f.avoided_cost == doctest::Approx(435 * f.weeks_saved));
      total += f.avoided_cost;
    }
    CHECK(r.avoided_cost == doctest::Approx(total));
    CHECK(families_csv(r).rfind("family_ref,record_id,start_date", 0) == 0);
    // A model fitted on few closures says so.
    const auto at = options(from_civil(2022, 7, 1));
    CHECK(to_text(r, data, at).find("warning") == std::string::npos);
    EngagementResult few = r;
    few.model.closures = 8;
    CHECK(to_text(few, data, at).find("warning: only 8 closures") != std::string::npos);
  }

  TEST_CASE("engagement.backtest: beats the constant on episodes after the split") {
    EngagementEpisodes data;
    data.episodes = simulated(5, 1500);
    const auto o = options(from_civil(2021, 7, 1));
    const auto ev = evaluate_engagement(data, from_civil(2023, 1, 1), o);
    CHECK(ev.test_episodes > 100);
    CHECK(ev.brier < ev.brier_constant);
    CHECK(ev.auc > 0.7);
    CHECK(ev.length_mae < ev.length_mae_constant);
    CHECK_THROWS_AS(evaluate_engagement(data, from_civil(2021, 1, 1), o), InvalidArgument);
  }

  TEST_CASE("engagement.fit: too few closures is a clear error") {
    std::vector<EngagementEpisode> eps(3);
    for (auto& e : eps) e.start = from_civil(2022, 1, 1);
    CHECK_THROWS_WITH_AS(fit_engagement(eps, std::nullopt, options(from_civil(2022, 6, 1))),
                         doctest::Contains("closures of both kinds"), InvalidArgument);
  }
}
