// SPDX-License-Identifier: Apache-2.0
// Inputs the fuzz targets of tests/fuzz (and the hostile-bundle tests) found crashing or misbehaving,
// minimised, each kept as a regression test next to the property it broke (model bundle payloads:
// test_models_bundle_hostile.cpp).

#include "alloc_probe.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/linkage/linker.hpp"
#include "earlyhelp/models/model.hpp"
#include "earlyhelp/models/trees.hpp"
#include "earlyhelp/schema/schema.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

using namespace earlyhelp;

TEST_SUITE("fuzz_regressions") {
  TEST_CASE("fuzz_regressions.schema_json: a number beyond double range is a SchemaError") {
    // fuzz_schema_json: nlohmann-json reports "41e544" as out_of_range, not parse_error, and it
    // escaped Schema::from_json as a foreign exception.
    CHECK_THROWS_WITH_AS(schema::Schema::from_json("41e544", "s.json"),
                         doctest::Contains("s.json"), SchemaError);
    CHECK_THROWS_AS(schema::Schema::from_json(R"({"name": "x", "streams": [], "version": -1e999})"),
                    SchemaError);
  }

  TEST_CASE("fuzz_regressions.linkage_settings: a number beyond double range is an InvalidArgument") {
    // fuzz_linkage_settings: the same out_of_range escaped Settings::from_json and
    // Linker::load_model_json.
    CHECK_THROWS_WITH_AS(linkage::Settings::from_json("5e4242"), doctest::Contains("settings"),
                         InvalidArgument);
    CHECK_THROWS_AS(linkage::Settings::from_json(R"({"match_threshold": 1e400})"), InvalidArgument);
    linkage::Linker linker;
    CHECK_THROWS_AS(linker.load_model_json(R"({"probability_two_random_records_match": 9e999})"),
                    InvalidArgument);
  }

  TEST_CASE("fuzz_regressions.sklearn_import: every target of a multi-target Poisson model is transformed") {
    // fuzz_sklearn_import: count:poisson with two groups (XGBoost num_target = 2) transformed the
    // first margin only and returned uninitialised memory for the second.
    std::vector<models::TreeArrays> trees(2);
    for (int g = 0; g < 2; ++g) {
      models::TreeArrays& t = trees[static_cast<std::size_t>(g)];
      t.left = {-1};
      t.right = {-1};
      t.feature = {0};
      t.threshold = {0};
      t.default_left = {1};
      t.value = {0.25 * (g + 1)};
      t.cover = {1};
      t.group = g;
    }
    const models::TreeEnsemble e(trees, 1, 2, models::Objective::count_poisson, 0.5,
                                 models::Accumulate::float64);
    const RowMatrixXd x = RowMatrixXd::Zero(3, 1);
    const RowMatrixXd p = e.predict(x, 1);
    REQUIRE(p.cols() == 2);
    double one[2] = {0, 0};
    e.predict_one(x.row(0).data(), one);
    for (int g = 0; g < 2; ++g) {
      const double expected = std::exp(std::log(0.5) + 0.25 * (g + 1));
      CHECK(p(0, g) == doctest::Approx(expected).epsilon(1e-12));
      CHECK(p(2, g) == p(0, g));
      CHECK(one[g] == p(0, g));
    }
  }

  TEST_CASE("fuzz_regressions.model_bundle: a categorical split costs memory in proportion to its categories") {
    // test_models_bundle_hostile (huge counts): one categorical split listing category 2^24 - 1
    // took a 2 MiB bitset, so a small hostile bundle or XGBoost file with many such splits asked
    // for gigabytes. Category 2^24 - 1 goes right, every other category left.
    models::TreeArrays t;
    t.left = {1, -1, -1};
    t.right = {2, -1, -1};
    t.feature = {0, 0, 0};
    t.threshold = {0, 0, 0};
    t.default_left = {1, 0, 0};
    t.value = {0, -1, 1};
    t.cover = {2, 1, 1};
    t.categories = {{16777215, 5, 5}, {}, {}};
    RowMatrixXd x(4, 1);
    x << 16777215, 5, 6, 0;
    RowMatrixXd margin;
    std::vector<models::TreeArrays> back;
    const std::size_t largest = eh_test::largest_allocation_of(
        [&] {
          const models::TreeEnsemble e({t}, 1, 1, models::Objective::reg_squarederror, 0.0);
          margin = e.predict_margin(x, 1);
          back = e.trees();
        },
        std::size_t{1} << 20);
    CHECK(largest < 4096);
    REQUIRE(margin.rows() == 4);
    CHECK(margin(0, 0) == 1);
    CHECK(margin(1, 0) == 1);
    CHECK(margin(2, 0) == -1);
    CHECK(margin(3, 0) == -1);
    REQUIRE(back.size() == 1);
    CHECK(back[0].categories[0] == std::vector<std::int32_t>{5, 16777215});
  }

  TEST_CASE("fuzz_regressions.linker_model: probabilities outside [0, 1] are refused; a model reads back as written") {
    // fuzz_linker_model: m_probability 1e10 was accepted, and normalising pushed the other levels
    // below the 1e-6 floor that reading applies, so a written model did not read back the same.
    linkage::Linker linker;
    CHECK_THROWS_WITH_AS(
        linker.load_model_json(R"({"fields":[{"field":"first_name","levels":[{"label":"initial",)"
                               R"("m_probability":1e10}]}],"probability_two_random_records_match":0.3})"),
        doctest::Contains("first_name"), InvalidArgument);
    CHECK_THROWS_AS(
        linker.load_model_json(R"({"fields":[{"field":"sex","levels":[{"label":"same",)"
                               R"("u_probability":-0.5}]}],"probability_two_random_records_match":0.3})"),
        InvalidArgument);
    // Valid probabilities that need normalising, one at the floor.
    linker.load_model_json(
        R"({"fields":[{"field":"first_name","levels":[{"label":"exact","m_probability":1},)"
        R"({"label":"nickname","m_probability":1},{"label":"jaro_winkler_0.92","m_probability":1},)"
        R"({"label":"jaro_winkler_0.80","m_probability":1},{"label":"initial","m_probability":1},)"
        R"({"label":"different","m_probability":1e-6}]}],"probability_two_random_records_match":0.3})");
    const std::string once = linker.model_json();
    linkage::Linker again;
    again.load_model_json(once);
    CHECK(again.model_json() == once);
    for (const auto& level : linker.parameters().fields[0].m) CHECK(level >= 1e-6);
  }

  TEST_CASE("fuzz_regressions.linker_model: a malformed Splink comparison is an InvalidArgument") {
    // Found reading the Splink reader for fuzz_linker_model (45 s of fuzzing had not reached it):
    // a comparison or level that is not an object, or a field of the wrong type, escaped as
    // nlohmann::json::type_error ("cannot use value() with number").
    const char* const bad[] = {
        R"({"probability_two_random_records_match":0.5,"comparisons":[1]})",
        R"({"probability_two_random_records_match":0.5,"comparisons":[{"output_column_name":7}]})",
        R"({"probability_two_random_records_match":0.5,"comparisons":[)"
        R"({"output_column_name":"sex","comparison_levels":[3]}]})",
        R"({"probability_two_random_records_match":0.5,"comparisons":[)"
        R"({"output_column_name":"sex","comparison_levels":{"a":1}}]})",
        R"({"probability_two_random_records_match":0.5,"comparisons":[)"
        R"({"output_column_name":"sex","comparison_levels":[{"is_null_level":"yes"}]}]})"};
    for (const char* text : bad) {
      CAPTURE(text);
      linkage::Linker linker;
      CHECK_THROWS_WITH_AS(linker.load_model_json(text), doctest::Contains("comparison"),
                           InvalidArgument);
    }
  }

  TEST_CASE("fuzz_regressions.linkage_settings: a count that is not a whole number in range is an InvalidArgument") {
    // fuzz_linkage_settings (UBSan: 1.33333e+22 is outside the range of unsigned long): counts
    // were read with json::get<std::size_t> / get<int>, which casts a fraction, a negative or a
    // huge number without a check.
    for (const char* text : {R"({"window": 1333333333333333333300})", R"({"window": 2.5})",
                             R"({"max_block_size": -1})", R"({"u_sample_pairs": 1e300})",
                             R"({"em_max_iterations": 4294967296})", R"({"n_threads": -3e9})",
                             R"({"seed": -1})"}) {
      CAPTURE(text);
      CHECK_THROWS_WITH_AS(linkage::Settings::from_json(text), doctest::Contains("whole number"),
                           InvalidArgument);
    }
    const linkage::Settings s = linkage::Settings::from_json(
        R"({"window": 7, "n_threads": -1, "seed": 18446744073709551615, "em_max_iterations": 3})");
    CHECK(s.window == 7);
    CHECK(s.n_threads == -1);
    CHECK(s.seed == 18446744073709551615u);
    CHECK(s.em_max_iterations == 3);
  }
}
