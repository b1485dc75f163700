// SPDX-License-Identifier: Apache-2.0
// The alert history in SQLite: runs over time, idempotent reruns, the cool-down across runs, a run
// killed midway, and the layout's migrations.
#include "earlyhelp/core/date.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/profiling/alert_history.hpp"
#include "earlyhelp/profiling/detail/history_migrations.hpp"

#include <doctest/doctest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

using namespace earlyhelp;
using namespace earlyhelp::profiling;

namespace {
Date day(const char* iso) { return *parse_date(iso); }

// A fresh path for each test (removed first), so reruns of the suite start clean.
std::string fresh_path(const std::string& name) {
  const auto p = std::filesystem::temp_directory_path() /
                 ("eh_test_history_" + std::to_string(::getpid()) + "_" + name + ".sqlite");
  std::filesystem::remove(p);
  std::filesystem::remove(p.string() + "-journal");
  return p.string();
}

// Ten persons p0..p9 on `as_of`; p0 scores `p0_score`, the others 0.1 (below the threshold).
AssessmentRun run_on(const char* as_of, double p0_score) {
  AssessmentRun run;
  run.domain = "asb";
  run.as_of = day(as_of);
  run.model = ModelIdentity{"asb-reference", "1.0.0", std::string(64, 'b')};
  run.threshold = 0.3;
  for (int i = 0; i < 10; ++i)
    run.assessments.push_back(Assessment{"p" + std::to_string(i), i == 0 ? p0_score : 0.1, i == 0 ? "high" : "low",
                                         {}, {"a reason"}, true});
  return run;
}

// Runs SQL on a file directly, as another tool (or an older build) would.
void raw_sql(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
}
}  // namespace

TEST_SUITE("profiling") {
  TEST_CASE("profiling.history: runs over time, rerun adds no alert, cool-down across runs, forward only") {
    const std::string path = fresh_path("runs");
    AlertHistory h(path);
    CHECK(h.schema_version() == kHistorySchemaVersion);

    auto r1 = h.record(run_on("2024-01-31", 0.25));  // baseline
    CHECK_FALSE(r1.rerun);
    CHECK(r1.alerts_added == 0);
    CHECK(r1.decisions.decisions[0].first_assessment);

    auto r2 = h.record(run_on("2024-02-29", 0.40));  // up 0.15, over 0.3, in contact
    REQUIRE(r2.decisions.alerts.size() == 1);
    CHECK(r2.alerts_added == 1);
    CHECK(r2.decisions.alerts[0].previous_score == 0.25);
    CHECK(r2.decisions.alerts[0].previous_as_of == day("2024-01-31"));

    auto again = h.record(run_on("2024-02-29", 0.40));  // the same date again
    CHECK(again.rerun);
    CHECK(again.decisions.alerts.size() == 1);  // the same decision, against the same past
    CHECK(again.alerts_added == 0);
    CHECK(h.alerts().size() == 1);

    auto r3 = h.record(run_on("2024-03-31", 0.60));  // up 0.2, but alerted 31 days ago
    CHECK(r3.decisions.alerts.empty());
    CHECK(r3.decisions.decisions[0].blocked_by() == std::vector<std::string>{"cooldown"});

    CHECK_THROWS_AS(h.record(run_on("2024-03-01", 0.9)), StateError);  // before the latest run

    auto r4 = h.record(run_on("2024-05-31", 0.80));  // 92 days after the alert
    REQUIRE(r4.decisions.alerts.size() == 1);
    CHECK(r4.decisions.alerts[0].previous_score == 0.60);
    CHECK(r4.decisions.alerts[0].previous_as_of == day("2024-03-31"));

    // A dry run decides against the history without recording.
    CHECK(h.decide(run_on("2024-06-30", 0.95)).alerts.empty());  // cooling down from May
    CHECK(h.runs().size() == 4);

    // Everything survives reopening.
    AlertHistory reopened(path);
    const auto alerts = reopened.alerts("asb");
    REQUIRE(alerts.size() == 2);
    CHECK(alerts[0].as_of == day("2024-02-29"));
    CHECK(alerts[1].score == 0.80);
    CHECK(alerts[1].reasons == std::vector<std::string>{"a reason"});
    CHECK(alerts[1].model.sha256 == std::string(64, 'b'));
    CHECK(reopened.alerts("debt").empty());
    const auto runs = reopened.runs();
    CHECK(runs[1].as_of == day("2024-02-29"));
    CHECK(runs[1].alerts == 1);
    CHECK(runs[1].subjects == 10);
    CHECK(runs[1].policy.cooldown_days == 90);
    // A domain keeps one kind of subject.
    auto family = run_on("2024-06-30", 0.5);
    family.subject_kind = SubjectKind::family;
    CHECK_THROWS_AS(reopened.record(family), InvalidArgument);
    std::filesystem::remove(path);
  }

  TEST_CASE("profiling.history: a run killed midway leaves the history as it was") {
    const std::string path = fresh_path("killed");
    {
      AlertHistory h(path);
      h.record(run_on("2024-01-31", 0.25));
    }
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      // The child dies inside the run's transaction, after storing 5 of the 10 subjects.
      try {
        AlertHistory h(path);
        h.record(run_on("2024-02-29", 0.40), AlertPolicy{}, [](std::size_t done) {
          if (done == 5) ::_exit(42);
        });
      } catch (...) {
      }
      ::_exit(1);  // the run finished or failed: not what this test needs
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 42);

    AlertHistory h(path);
    REQUIRE(h.runs().size() == 1);  // only the baseline
    CHECK(h.alerts().empty());
    // No assessment of the killed run was kept: p0's latest is still the baseline.
    const auto prev = h.previous_states("asb", day("2024-12-31"), {"p0", "p4"});
    CHECK(prev.at("p0").assessed_on == day("2024-01-31"));
    CHECK(prev.at("p4").assessed_on == day("2024-01-31"));
    // The same run, done again, completes and alerts once.
    CHECK(h.record(run_on("2024-02-29", 0.40)).alerts_added == 1);
    // An exception inside the run also rolls it back.
    CHECK_THROWS_AS(h.record(run_on("2024-03-31", 0.9), AlertPolicy{},
                             [](std::size_t done) {
                               if (done == 3) throw std::runtime_error("cancelled");
                             }),
                    std::runtime_error);
    CHECK(h.runs().size() == 2);
    CHECK(h.previous_states("asb", day("2024-12-31"), {"p0"}).at("p0").assessed_on == day("2024-02-29"));
    std::filesystem::remove(path);
  }

  TEST_CASE("profiling.history: migrations, a newer file refused, not a history refused") {
    namespace detail = earlyhelp::profiling::detail;
    using detail::Migration;
    const std::string path = fresh_path("migrate");
    {
      AlertHistory h(path);
      h.record(run_on("2024-01-31", 0.25));
      h.record(run_on("2024-02-29", 0.40));
    }
    // A later layout (here, made up for the test) migrates a version-1 file and keeps its data.
    std::vector<Migration> v2 = detail::history_migrations();
    v2.push_back(Migration{2, "ALTER TABLE alerts ADD COLUMN acknowledged_utc TEXT"});
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    CHECK(detail::migrate(db, path, v2) == 2);
    CHECK(detail::migrate(db, path, v2) == 2);  // nothing left to do
    // A failing step is rolled back and reported; the file stays at the version before it.
    std::vector<Migration> broken = v2;
    broken.push_back(Migration{3, "ALTER TABLE no_such_table ADD COLUMN x TEXT"});
    CHECK_THROWS_AS(detail::migrate(db, path, broken), Error);
    CHECK(detail::migrate(db, path, v2) == 2);
    sqlite3_close(db);
    // This build (version 1) refuses the now newer file, saying so.
    CHECK_THROWS_WITH_AS(AlertHistory{path},
                         doctest::Contains("written by a newer earlyhelp (history schema version 2; this build "
                                           "reads up to 1)"),
                         FormatError);
    // A version-1 file that version 2 migrated still holds its runs and alert.
    sqlite3* check = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &check) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(check, "SELECT count(*) FROM alerts", -1, &st, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    CHECK(sqlite3_column_int(st, 0) == 1);
    sqlite3_finalize(st);
    sqlite3_close(check);

    // Not an SQLite file.
    const std::string text = fresh_path("text");
    std::ofstream(text) << std::string(4096, 'x');
    CHECK_THROWS_AS(AlertHistory{text}, FormatError);
    // An SQLite database of something else.
    const std::string other = fresh_path("other");
    raw_sql(other, "CREATE TABLE patients (id TEXT)");
    CHECK_THROWS_WITH_AS(AlertHistory{other}, doctest::Contains("not an earlyhelp alert history"), FormatError);
    // A folder that does not exist.
    CHECK_THROWS_AS(AlertHistory{"/nonexistent-eh-dir/h.sqlite"}, IOError);
    for (const auto& p : {path, text, other}) std::filesystem::remove(p);
  }
}
