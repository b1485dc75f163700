// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/linkage/homes.hpp"
#include "earlyhelp/linkage/linker.hpp"
#include "linker_test_population.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

using namespace earlyhelp;
using namespace earlyhelp::linkage;
using namespace eh_test;

TEST_SUITE("homes") {
  TEST_CASE("homes.home_keys: a property, the property a written address resolves to, else the address in its district") {
    auto rec = [](const std::string& id, const std::string& address, const std::string& postcode, const std::string& uprn) {
      Record r = person(id, id, "x", "");
      r.address = address, r.postcode = postcode, r.uprn = uprn;
      return r;
    };
    PreparedRecords r;
    r.add({rec("a", "11 priory gardens", "CM8 1DU", "100090428898"),   // the register knows the property
           rec("b", "11 priory gardens", "CM8 1DU", ""),               // same text and postcode
           rec("c", "11 priory gardens", "CM8 1DV", ""),               // a typo in the inward code
           rec("d", "11 priory gardens", "CM8 7GE", "100090470471"),   // the other village
           rec("d2", "11 priory gardens", "CM8 7GE", "100090470471"),  // recorded there more often
           rec("e", "12 priory gardens", "CM8 1DU", ""),               // next door, no property known
           rec("f", "", "CM8 1DU", ""),                                // a postcode only
           rec("g", "", "", "")});
    const std::vector<std::uint64_t> home = home_keys(r);
    auto of = [&](std::size_t i) { return home[r.identity_of[i]]; };
    CHECK(of(0) == of(1));
    CHECK(of(1) == of(2));  // the nearer postcode, not the property the text is given most often
    CHECK(of(0) != of(3));
    CHECK(of(3) == of(4));
    CHECK(of(5) != of(0));
    CHECK(is_home_key(of(0)));
    CHECK(is_home_key(of(5)));
    CHECK(of(6) == 0);
    CHECK(of(7) == 0);
    const std::uint64_t place = postcode_place(r, r.identity_of[6]);
    CHECK(place != 0);
    CHECK_FALSE(is_home_key(place));
    CHECK(postcode_place(r, r.identity_of[7]) == 0);
  }

  TEST_CASE("homes.linker: one house number and street in two villages of one postcode district are two homes") {
    Population pop = make_population(30, 53);
    auto add = [&](const std::string& id, const std::string& first, const std::string& surname, const std::string& dob,
                   const std::string& address, const std::string& postcode, const std::string& uprn,
                   const std::string& source, const std::string& date) {
      Record r = eh_test::dated(eh_test::person(id, first, surname, dob, address, postcode, "", source), date);
      r.uprn = uprn;
      pop.records.push_back(std::move(r));
    };
    // 11 Priory Gardens in Braintham (CM8 1DU) and 11 Priory Gardens in Witham St Mary (CM8 7GE).
    // The register knows each property; council tax writes only the address and postcode.
    add("ed-reg", "ella", "davies", "1998-10-12", "11 priory gardens", "CM8 1DU", "100090428898", "register", "current");
    add("ld-reg", "liam", "davies", "1995-09-23", "11 priory gardens", "CM8 1DU", "100090428898", "register", "current");
    for (const char* d : {"2024-06-01", "2024-09-01", "2024-12-01"})
      add(fmt::format("ld-ct{}", d), "liam", "davies", "", "11 priory gardens", "CM8 1DU", "", "council_tax", d);
    add("ar-reg", "alice", "robinson", "1995-04-22", "11 priory gardens", "CM8 7GE", "100090470471", "register", "current");
    add("ar-ct", "alice", "robinson", "", "11 priory gardens", "CM8 7GE", "", "council_tax", "2024-11-01");
    add("gr-reg", "george", "robinson", "1993-02-11", "11 priory gardens", "CM8 7GE", "100090470471", "register", "current");
    add("gr-reg2", "george", "robinson", "1993-02-11", "11 priory gardens", "CM8 7GE", "100090470471", "tenancy", "2023-05-01");
    // A typo in the inward code of a council tax record: the district holds 11 Priory Gardens
    // twice, in two villages; the mistyped postcode is one keying error from Braintham's, so the
    // record is at the Davies home, not at the Robinsons' (whose property the district's records
    // give that text more often). It has no date of birth; at Liam's home, where Ella lives, it
    // has family evidence (orphans.hpp) and joins him.
    add("ld-typo", "liam", "davies", "", "11 priory gardens", "CM8 1DV", "", "council_tax", "2024-12-20");
    Linker linker = linked(pop.records);
    auto h = household_by_record(linker, 20250101);
    CHECK(h["ed-reg"] == h["ld-reg"]);
    CHECK(h["ar-reg"] == h["gr-reg"]);
    CHECK(h["ed-reg"] != h["ar-reg"]);
    CHECK(h["ld-typo"] == h["ld-reg"]);
    CHECK(h["ld-typo"] != h["ar-reg"]);
    CHECK(person_by_record(linker)["ld-typo"] == person_by_record(linker)["ld-reg"]);
  }
}
