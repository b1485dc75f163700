// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/name_sex.hpp"
#include "earlyhelp/linkage/person_rules.hpp"
#include "linkage_test_data.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <vector>

using namespace earlyhelp::linkage;
using eh_test::person;

namespace {

NameInfo counted(std::uint32_t female, std::uint32_t male, bool initial = false) {
  NameInfo n;
  n.female = female, n.male = male, n.is_initial = initial;
  return n;
}

// `n` people called `first` recorded with `sex`, each at a home of their own (distinct identities).
void add_named(std::vector<Record>& out, const std::string& first, const std::string& sex, int n) {
  for (int k = 0; k < n; ++k)
    out.push_back(person(fmt::format("{}{}{}", first, sex, k), first, fmt::format("surname{}", out.size()),
                         fmt::format("19{}-01-02", 50 + k % 40), fmt::format("{} {} street", k + 1, first), "LS1 1AA", sex));
}

// The index of the identity of the record with id `id`.
std::uint32_t identity(const PreparedRecords& r, const std::string& id) {
  for (std::size_t rec = 0; rec < r.record_ids.size(); ++rec)
    if (r.record_ids[rec] == id) return r.identity_of[rec];
  FAIL("no record " << id);
  return 0;
}

}  // namespace

TEST_SUITE("name_sex") {
  TEST_CASE("name_sex.learnt: enough identities and a clear majority, never an initial") {
    CHECK(learnt_name_sex(counted(0, kNameSexMinCount)) == 'm');
    CHECK(learnt_name_sex(counted(kNameSexMinCount, 0)) == 'f');
    CHECK(learnt_name_sex(counted(0, kNameSexMinCount - 1)) == 0);  // too few
    CHECK(learnt_name_sex(counted(1, 19)) == 'm');                  // 95%: a recording error tolerated
    CHECK(learnt_name_sex(counted(2, 18)) == 0);                    // 90%: a name of both sexes
    CHECK(learnt_name_sex(counted(40, 60)) == 0);
    CHECK(learnt_name_sex(counted(0, 100, /*initial=*/true)) == 0);
  }

  TEST_CASE("name_sex.sex_of: the recorded sex first, else the first name's as the extract records it") {
    std::vector<Record> records;
    add_named(records, "oliver", "M", 25);
    add_named(records, "olivia", "F", 25);
    add_named(records, "alex", "M", 15);
    add_named(records, "alex", "F", 15);
    add_named(records, "zebedee", "M", 5);
    records.push_back(person("council tax oliver", "Oliver", "Brook", "", "3 mill lane", "LS2 2BB"));
    records.push_back(person("council tax olivia", "OLIVIA", "Brook", "", "3 mill lane", "LS2 2BB"));
    records.push_back(person("recorded female oliver", "oliver", "Brook", "", "3 mill lane", "LS2 2BB", "F"));
    records.push_back(person("council tax alex", "alex", "Brook", "", "3 mill lane", "LS2 2BB"));
    records.push_back(person("council tax zebedee", "zebedee", "Brook", "", "3 mill lane", "LS2 2BB"));
    records.push_back(person("council tax initial", "O", "Brook", "", "3 mill lane", "LS2 2BB"));
    PreparedRecords r;
    r.add(records);
    const std::uint32_t oliver = identity(r, "council tax oliver"), olivia = identity(r, "council tax olivia");
    CHECK(sex_of(r, oliver) == 'm');
    CHECK(sex_from_name(r, oliver));
    CHECK(sex_of(r, olivia) == 'f');
    CHECK(sex_of(r, identity(r, "recorded female oliver")) == 'f');  // a record's own sex wins
    CHECK_FALSE(sex_from_name(r, identity(r, "recorded female oliver")));
    CHECK(sex_of(r, identity(r, "council tax alex")) == 0);     // both sexes: says nothing
    CHECK(sex_of(r, identity(r, "council tax zebedee")) == 0);  // too rare to learn
    CHECK(sex_of(r, identity(r, "council tax initial")) == 0);
    CHECK(names_with_learnt_sex(r) == 2);
    // The person rules read it: an undated Oliver and Olivia at one home, no sex recorded, are two
    // people (their names are two keying errors apart, which alone would reconcile them).
    CHECK(never_one_person(r, oliver, olivia));
    CHECK(std::string(never_one_person_reason(r, oliver, olivia)).find("first name") != std::string::npos);
    CHECK_FALSE(never_one_person(r, oliver, identity(r, "council tax alex")));
    CHECK_FALSE(never_one_person(r, oliver, identity(r, "council tax initial")));
    // Their person evidence differs, so clustering compares them across groups.
    const std::vector<std::uint32_t> evidence = person_evidence_ids(r);
    CHECK(evidence[oliver] != 0);
    CHECK(evidence[oliver] != evidence[olivia]);
  }

  TEST_CASE("name_sex.sex_of: without sexes recorded anywhere nothing is learnt and nothing kept apart") {
    std::vector<Record> records;
    add_named(records, "oliver", "", 25);
    add_named(records, "olivia", "", 25);
    PreparedRecords r;
    r.add(records);
    CHECK(names_with_learnt_sex(r) == 0);
    const std::uint32_t a = identity(r, "oliver0"), b = identity(r, "olivia0");
    CHECK(sex_of(r, a) == 0);
    CHECK_FALSE(never_one_person(r, a, b));  // one date of birth, names a typo apart: one person
  }

  TEST_CASE("name_sex.counts: learnt from distinct identities, not repeated records, and added records count") {
    std::vector<Record> records;
    for (int k = 0; k < 30; ++k) records.push_back(person(fmt::format("r{}", k), "oliver", "Brook", "2001-02-03", "1 a st", "LS1 1AA", "M"));
    PreparedRecords r;
    r.add(records);
    CHECK(r.first_info[r.first.find("oliver")].male == 1);  // one identity, thirty records
    records.clear();
    add_named(records, "oliver", "M", 19);
    r.add(records);
    CHECK(r.first_info[r.first.find("oliver")].male == 20);
    CHECK(learnt_name_sex(r.first_info[r.first.find("oliver")]) == 'm');
  }
}
