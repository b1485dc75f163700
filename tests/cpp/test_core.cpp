// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/core/date.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/parallel.hpp"
#include "earlyhelp/core/version.hpp"

#include <doctest/doctest.h>

#include <pthread.h>

#include <atomic>
#include <limits>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

using namespace earlyhelp;

TEST_SUITE("core") {
  TEST_CASE("core.version: matches the macros") {
    CHECK(std::string(version()) ==
          std::to_string(EARLYHELP_VERSION_MAJOR) + "." + std::to_string(EARLYHELP_VERSION_MINOR) +
              "." + std::to_string(EARLYHELP_VERSION_PATCH));
  }

  TEST_CASE("core.error: hierarchy and EH_CHECK message") {
    CHECK_THROWS_AS(throw SchemaError("x"), InvalidArgument);
    CHECK_THROWS_AS(throw FormatError("x"), Error);
    CHECK_THROWS_WITH_AS(EH_CHECK(1 + 1 == 3, "predict: X has {} columns, model expects {}", 3, 2),
                         "predict: X has 3 columns, model expects 2", InvalidArgument);
    CHECK_NOTHROW(EH_CHECK(true, "never"));
  }

  TEST_CASE("core.date: civil round trip over 1900-2100 against a day-by-day walk") {
    Date d = from_civil(1900, 1, 1);
    int y = 1900, m = 1, day = 1;
    while (y < 2100) {
      const CivilDate c = to_civil(d);
      REQUIRE(c.year == y);
      REQUIRE(c.month == m);
      REQUIRE(c.day == day);
      d.days += 1;
      if (++day > days_in_month(y, m)) {
        day = 1;
        if (++m > 12) { m = 1; ++y; }
      }
    }
    CHECK(from_civil(1970, 1, 1).days == 0);
    CHECK(from_civil(2000, 3, 1).days == 11017);
  }

  TEST_CASE("core.date: UK dates are day-first, never American") {
    CHECK(parse_date("03/04/2020") == from_civil(2020, 4, 3));
    CHECK(parse_date("3/4/2020") == from_civil(2020, 4, 3));
    CHECK(parse_date("2020-04-03") == from_civil(2020, 4, 3));
    CHECK(parse_date("03-04-2020") == from_civil(2020, 4, 3));
    CHECK(parse_date("03.04.2020") == from_civil(2020, 4, 3));
    CHECK(parse_date("2020-04-03T10:22:00") == from_civil(2020, 4, 3));
    CHECK(parse_date("03/04/2020 10:22") == from_civil(2020, 4, 3));
    CHECK(parse_date("29/02/2020") == from_civil(2020, 2, 29));
    CHECK_FALSE(parse_date("29/02/2021"));
    CHECK_FALSE(parse_date("04/13/2020"));  // month 13: an American date is invalid here
    CHECK_FALSE(parse_date("2020-13-01"));
    CHECK_FALSE(parse_date(""));
    CHECK_FALSE(parse_date("2020/04/03"));
    CHECK_FALSE(parse_date("03/04/20"));
    CHECK_FALSE(parse_date("aa/bb/cccc"));
    CHECK(format_date(from_civil(2020, 4, 3)) == "2020-04-03");
  }

  TEST_CASE("core.parallel: every index once, identical results for any thread count") {
    const std::size_t n = 10007;
    std::vector<double> ref(n);
    for (std::size_t i = 0; i < n; ++i) ref[i] = static_cast<double>(i) * 0.5;
    for (int threads : {1, 2, 3, 8, 0}) {
      std::vector<double> out(n, -1);
      std::atomic<std::size_t> calls{0};
      parallel_for(n, threads, [&](std::size_t i) {
        out[i] = static_cast<double>(i) * 0.5;
        calls.fetch_add(1);
      });
      CHECK(calls.load() == n);
      CHECK(out == ref);
    }
  }

  TEST_CASE("core.parallel: a worker's exception reaches the caller") {
    CHECK_THROWS_WITH_AS(parallel_for(1000, 2,
                                      [](std::size_t i) {
                                        if (i == 517) throw InvalidArgument("row 517 is bad");
                                      }),
                         "row 517 is bad", InvalidArgument);
    CHECK_NOTHROW(parallel_for(0, 2, [](std::size_t) { throw std::logic_error("never called"); }));
  }

  TEST_CASE("core.parallel: thread counts are clamped to the hardware") {
    const unsigned hw = std::thread::hardware_concurrency();
    const int all = hw == 0 ? 1 : static_cast<int>(hw);
    CHECK(resolve_threads(0) == all);
    CHECK(resolve_threads(-3) == all);
    CHECK(resolve_threads(1) == 1);
    CHECK(resolve_threads(100000) == all);
    CHECK(resolve_threads(std::numeric_limits<int>::max()) == all);
    std::atomic<std::size_t> calls{0};
    parallel_for(5000, 100000, [&](std::size_t) { calls.fetch_add(1); });
    CHECK(calls.load() == 5000);
  }

  TEST_CASE("core.parallel: a thread the system refuses is an earlyhelp::Error, not an abort") {
    if (resolve_threads(0) < 2) {
      MESSAGE("one hardware thread: parallel_for never starts a thread here");
      return;
    }
    // Make every new thread ask for a stack larger than the address space, so creating one
    // fails as it does when a process runs out of threads or memory.
    pthread_attr_t saved;
    REQUIRE(pthread_getattr_default_np(&saved) == 0);
    pthread_attr_t huge;
    REQUIRE(pthread_attr_init(&huge) == 0);
    REQUIRE(pthread_attr_setstacksize(&huge, std::size_t{1} << 50) == 0);
    REQUIRE(pthread_setattr_default_np(&huge) == 0);
    bool refused = false;
    try {
      std::thread t([] {});
      t.join();
    } catch (const std::system_error&) {
      refused = true;
    }
    std::atomic<std::size_t> calls{0};
    std::string what;
    bool typed = false;
    if (refused) {
      try {
        parallel_for(1000, 0, [&](std::size_t) { calls.fetch_add(1); });
      } catch (const Error& e) {
        typed = true;
        what = e.what();
      } catch (...) {
      }
    }
    REQUIRE(pthread_setattr_default_np(&saved) == 0);
    pthread_attr_destroy(&huge);
    pthread_attr_destroy(&saved);
    if (!refused) {
      MESSAGE("this system creates threads with a 1 PiB stack; the failure cannot be provoked");
      return;
    }
    CHECK(typed);
    CHECK(what.find("refused worker thread") != std::string::npos);
    // Threads work again once the system allows them.
    parallel_for(1000, 0, [&](std::size_t) { calls.fetch_add(1); });
  }
}
