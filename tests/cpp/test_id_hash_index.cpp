// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/id_hash_index.hpp"
#include "earlyhelp/linkage/records.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace earlyhelp;

TEST_SUITE("id_hash_index") {
  TEST_CASE("id_hash_index: finds each key after growing, and tells keys of one hash apart") {
    std::vector<std::string> keys;
    IdHashIndex index;
    // Every key hashes to one of 7 values: lookups must walk past other keys of the same hash.
    const auto hash = [&](std::uint32_t id) { return std::uint64_t{id % 7}; };
    for (std::uint32_t i = 0; i < 5000; ++i) {
      keys.push_back("k" + std::to_string(i));
      CHECK(index.find(hash(i), [&](std::uint32_t x) { return keys[x] == keys[i]; }) == IdHashIndex::npos);
      index.insert(hash(i), i, hash);
    }
    CHECK(index.size() == 5000);
    for (std::uint32_t i = 0; i < 5000; i += 97)
      CHECK(index.find(hash(i), [&](std::uint32_t x) { return keys[x] == keys[i]; }) == i);
    const std::string absent = "k5000";
    CHECK(index.find(3, [&](std::uint32_t x) { return keys[x] == absent; }) == IdHashIndex::npos);
  }

  TEST_CASE("id_hash_index: records merge identical identities and name both rows of a repeated record id") {
    linkage::PreparedRecords r;
    linkage::Record a;
    a.record_id = "r1";
    a.first_name = "Ann";
    a.surname = "Lee";
    a.dob = "1980-01-02";
    linkage::Record b = a;
    b.record_id = "r2";
    linkage::Record c = a;
    c.record_id = "r3";
    c.dob = "1980-01-03";
    r.add({a, b, c});
    CHECK(r.n_identities() == 2);
    CHECK(r.identity_of == std::vector<std::uint32_t>{0, 0, 1});
    linkage::Record again = c;
    again.record_id = "r2";
    try {
      r.add({again});
      FAIL("a repeated record_id was accepted");
    } catch (const InvalidArgument& e) {
      CHECK(std::string(e.what()).find("record 4 repeats the record_id of record 2") != std::string::npos);
    }
  }
}
