// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/governance/pseudonymise_file.hpp"
#include "earlyhelp/io/csv.hpp"
#include "earlyhelp/schema/schema.hpp"
#include "scratch_files.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace earlyhelp;
using namespace earlyhelp::governance;

namespace {

using eh_test::Scratch;
using eh_test::slurp;

std::vector<std::vector<std::string>> rows(const std::string& path) { return eh_test::csv_rows(path); }

Pseudonymiser key_a() { return Pseudonymiser(PseudonymKey::from_hex(std::string(64, 'a'))); }

}  // namespace

TEST_SUITE("governance") {
  TEST_CASE("governance.pseudonymise_file: the plan of a stream holds its exactly-matched identifiers, never names, dates or addresses") {
    const auto sch = schema::Schema::builtin();
    const auto plan = PseudonymPlan::for_stream(sch.stream("council_tax"));
    std::vector<std::string> cols, domains;
    for (const auto& c : plan.columns) {
      cols.push_back(c.column);
      domains.push_back(c.domain);
    }
    CHECK(cols == std::vector<std::string>{"record_id", "account_ref", "property_uprn"});
    // A property UPRN shares the domain of every other UPRN so extracts still join on it.
    CHECK(domains == std::vector<std::string>{"record_id", "account_ref", "uprn"});
    CHECK(plan.columns[0].verbatim);
    CHECK_FALSE(plan.columns[2].verbatim);
    const auto health = PseudonymPlan::for_stream(sch.stream("health_ae"));
    for (const auto& c : health.columns)
      CHECK_MESSAGE((c.column == "record_id" || c.column == "nhs_number"), c.column);
  }

  TEST_CASE("governance.pseudonymise_file: spellings the linker reads as one value share a pseudonym, and missing stays missing") {
    const auto p = key_a();
    PseudonymPlan plan = PseudonymPlan::for_columns({"nhs_number", "ref"});
    plan.missing_values.emplace_back("NULL");
    plan.columns[1].verbatim = true;
    const auto& nhs = plan.columns[0];
    const auto& ref = plan.columns[1];
    CHECK(plan.cell(p, nhs, "943 476 5919") == plan.cell(p, nhs, "9434765919"));
    CHECK(plan.cell(p, nhs, "943 476 5919").size() == 32);
    // Invalid NHS numbers the linker keeps apart stay apart (digits alone would merge them).
    CHECK(plan.cell(p, nhs, "ABC1") != plan.cell(p, nhs, "XYZ1"));
    CHECK(plan.cell(p, nhs, "") == "");
    CHECK(plan.cell(p, nhs, " NULL ") == " NULL ");
    CHECK(plan.cell(p, nhs, "--") == "");
    // References are compared byte for byte by the linker: case is kept apart.
    CHECK(plan.cell(p, ref, "ab1") != plan.cell(p, ref, "AB1"));
    CHECK(plan.cell(p, ref, " AB1 ") == plan.cell(p, ref, "AB1"));
    CHECK_THROWS_AS(PseudonymPlan::for_columns({}), InvalidArgument);
    CHECK_THROWS_AS(PseudonymPlan::for_columns({"a", "a"}), InvalidArgument);
  }

  TEST_CASE("governance.pseudonymise_file: in a file, planned columns hashed, the rest copied, ragged rows rejected without values") {
    const Scratch s("eh_test_pseudo_");
    const auto in = s.file("in.csv", "id,nhs_number,name\nR1,943 476 5919,\"Smith, Jo\"\nR2,9434765919\nR3,,Ann\n");
    const auto p = key_a();
    const auto plan = PseudonymPlan::for_columns({"nhs_number"});
    const auto c = pseudonymise_csv(p, plan, in, s.path("out.csv"), s.path("rej.csv"));
    CHECK(c.rows_read == 3);
    CHECK(c.rows_written == 2);
    CHECK(c.rows_rejected == 1);
    CHECK(c.cells_pseudonymised == 1);
    CHECK(c.columns == std::vector<std::string>{"nhs_number"});
    const auto out = rows(s.path("out.csv"));
    REQUIRE(out.size() == 2);
    CHECK(out[0][0] == "R1");
    CHECK(out[0][1] == plan.cell(p, plan.columns[0], "9434765919"));
    CHECK(out[0][2] == "Smith, Jo");
    CHECK(out[1] == std::vector<std::string>{"R3", "", "Ann"});
    const auto rej = rows(s.path("rej.csv"));
    REQUIRE(rej.size() == 1);
    CHECK(rej[0] == std::vector<std::string>{"2", "3", "2 fields where the header has 3"});
    CHECK(slurp(s.path("rej.csv")).find("9434765919") == std::string::npos);
  }

  TEST_CASE("governance.pseudonymise_file: in a file, errors name the file, row and column, never a value, and write nothing") {
    const Scratch s("eh_test_pseudo_");
    const auto in = s.file("in.csv", "id,nhs_number\nR1,9434765919\nR2\n");
    const auto p = key_a();
    try {
      pseudonymise_csv(p, PseudonymPlan::for_columns({"ni_number"}), in, s.path("out.csv"));
      FAIL("expected InvalidArgument");
    } catch (const InvalidArgument& e) {
      const std::string m = e.what();
      CHECK(m.find("in.csv has no column 'ni_number'") != std::string::npos);
      CHECK(m.find("id, nhs_number") != std::string::npos);
    }
    try {
      pseudonymise_csv(p, PseudonymPlan::for_columns({"nhs_number"}), in, s.path("out.csv"));
      FAIL("expected FormatError");
    } catch (const FormatError& e) {
      const std::string m = e.what();
      CHECK(m.find("in.csv: row 2 (line 3)") != std::string::npos);
      CHECK(m.find("9434765919") == std::string::npos);
    }
    CHECK_FALSE(std::filesystem::exists(s.path("out.csv")));
    // An optional planned column that the file lacks is nothing to do.
    PseudonymPlan optional = PseudonymPlan::for_columns({"nhs_number", "upn"});
    optional.columns[1].required = false;
    const auto c = pseudonymise_csv(p, optional, s.file("ok.csv", "nhs_number\n9434765919\n"), s.path("o.csv"));
    CHECK(c.rows_written == 1);
    CHECK(c.columns == std::vector<std::string>{"nhs_number"});
  }
}
