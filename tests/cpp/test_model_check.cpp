// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/linker.hpp"
#include "earlyhelp/linkage/model_check.hpp"
#include "linker_test_population.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <string>
#include <vector>

using namespace earlyhelp;
using namespace earlyhelp::linkage;
using namespace eh_test;

namespace {

// A model that has learnt the household: a different first name or date of birth is common
// among its "matches", and a shared home and surname are strong evidence.
ModelParameters collapsed() {
  ModelParameters p = ModelParameters::defaults();
  p.fields[kFirst].m = {0.3, 0.05, 0.05, 0.05, 0.05, 0.5};
  p.fields[kDob].m = {0.3, 0.02, 0.02, 0.02, 0.04, 0.6};
  for (const Field f : {Field::surname, Field::address, Field::postcode, Field::town, Field::uprn}) {
    auto& fp = p.fields[static_cast<std::size_t>(f)];
    fp.u.assign(fp.u.size(), 0.01 / static_cast<double>(fp.u.size() - 1));
    fp.u.back() = 0.99;
  }
  p.lambda = 1e-3;
  p.fitted = true;
  return p;
}

}  // namespace

TEST_SUITE("model_check") {
  TEST_CASE("model_check.check_model: a model that would link two household members is refitted or falls back") {
    Settings s;
    s.household_guard = false;  // nothing else stands between place and person
    ModelParameters p = collapsed();
    REQUIRE(household_members_probability(p, s) >= s.match_threshold);  // the collapse the check must see
    // A refit that learns the person: taken.
    ModelParameters good = ModelParameters::defaults();
    good.lambda = 1e-3;
    std::vector<double> bounds_asked;
    const auto learns = [&](double max_m) {
      bounds_asked.push_back(max_m);
      return good;
    };
    const std::vector<std::string> refitted = check_model(p, s, learns);
    REQUIRE(refitted.size() == 1);
    CHECK(refitted[0].find("EM self-check") == 0);
    CHECK(refitted[0].find("refitted") != std::string::npos);
    CHECK(bounds_asked == std::vector<double>{s.guard_max_m / 2});
    CHECK(household_members_probability(p, s) < s.match_threshold);
    // A refit that collapses again: safe defaults.
    ModelParameters q = collapsed();
    const std::vector<std::string> fell_back = check_model(q, s, [&](double) { return collapsed(); });
    REQUIRE(fell_back.size() == 1);
    CHECK(fell_back[0].find("fell back") != std::string::npos);
    CHECK(household_members_probability(q, s) < s.match_threshold);
    // A healthy model passes untouched.
    ModelParameters healthy = good;
    CHECK(check_model(healthy, s, learns).empty());
    CHECK(healthy.fields[kFirst].m == good.fields[kFirst].m);
  }

  TEST_CASE("model_check.linker: the self-check's finding is in Linker::warnings, in words") {
    // Households of four or five, one record each, and EM left almost unbounded: it learns the
    // household; the self-check sees it.
    std::vector<Record> recs;
    static const char* firsts[] = {"oliver", "amelia", "george", "isla", "harry", "ava", "jack", "emily"};
    for (int h = 0; h < 80; ++h)
      for (int k = 0; k < 4 + h % 2; ++k)
        recs.push_back(person(fmt::format("h{}m{}", h, k), firsts[(h + 3 * k) % 8], fmt::format("family{}", h),
                              fmt::format("{}-{:02d}-{:02d}", k < 2 ? 1975 + 2 * k : 2005 + 3 * k, 1 + (h + 5 * k) % 12,
                                          1 + (h * 3 + 7 * k) % 28),
                              fmt::format("{} mill road", h + 1), fmt::format("LS{} {}AB", 1 + h % 20, 1 + h % 9)));
    Settings s = fast_settings();
    s.household_guard = false;
    s.guard_max_m = 0.9;
    s.households = Households::present;
    Linker linker(s);
    linker.add_records(recs);
    linker.fit();
    bool found = false;
    for (const auto& w : linker.warnings()) found = found || w.find("EM self-check") == 0;
    CHECK(found);
    CHECK(household_members_probability(linker.parameters(), s) < s.match_threshold);
    for (const auto& w : linker.warnings()) CHECK(w.find("family") == std::string::npos);  // no record values
  }
}
