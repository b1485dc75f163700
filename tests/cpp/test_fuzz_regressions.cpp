// SPDX-License-Identifier: Apache-2.0
// Inputs the fuzz targets of tests/fuzz found crashing or misbehaving, minimised, each kept as a
// regression test next to the property it broke (model bundles: test_models_bundle_hostile.cpp).

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
}
