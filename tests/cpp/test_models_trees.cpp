// SPDX-License-Identifier: Apache-2.0
// Tree ensembles: a hand-written XGBoost JSON model with exact expected outputs (ties at
// thresholds, NaN default directions, categorical sets), TreeSHAP on a stump, entry-point
// agreement (batch, one record, float/double, thread counts) and import errors.

#include "alloc_probe.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/models/import_xgboost.hpp"
#include "earlyhelp/models/trees.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <new>
#include <random>
#include <string>

namespace {

using earlyhelp::RowMatrixXd;
using earlyhelp::RowMatrixXf;
using namespace earlyhelp::models;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Tree 0: node 0 splits f0 < 0.5 (NaN left) with children stored out of order (left = 2);
// node 1 is a categorical split on f1 sending {2, 5} right (NaN right). Tree 1: a lone leaf.
std::string tiny_json(const std::string& objective = "reg:squarederror",
                      const std::string& base_score = "5E-1") {
  return R"({"version": [1, 7, 4], "learner": {
    "feature_names": ["absence", "housing"], "feature_types": ["float", "c"],
    "learner_model_param": {"base_score": ")" + base_score +
         R"(", "num_class": "0", "num_feature": "2", "num_target": "1"},
    "objective": {"name": ")" + objective + R"("},
    "gradient_booster": {"name": "gbtree", "model": {
      "gbtree_model_param": {"num_trees": "2", "num_parallel_tree": "1"},
      "tree_info": [0, 0],
      "trees": [
        {"id": 0, "tree_param": {"num_nodes": "5"},
         "left_children": [2, 3, -1, -1, -1], "right_children": [1, 4, -1, -1, -1],
         "split_indices": [0, 1, 0, 0, 0],
         "split_conditions": [0.5, NaN, 1.0, -2.0, 3.0],
         "default_left": [1, 0, 0, 0, 0], "split_type": [0, 1, 0, 0, 0],
         "categories": [2, 5], "categories_nodes": [1], "categories_segments": [0],
         "categories_sizes": [2],
         "sum_hessian": [4.0, 1.0, 3.0, 0.5, 0.5], "base_weights": [0, 0, 0, 0, 0]},
        {"id": 1, "tree_param": {"num_nodes": "1"},
         "left_children": [-1], "right_children": [-1], "split_indices": [0],
         "split_conditions": [0.25], "default_left": [0], "split_type": [0],
         "categories": [], "categories_nodes": [], "categories_segments": [],
         "categories_sizes": [], "sum_hessian": [4.0], "base_weights": [0]}
      ]}}}})";
}

}  // namespace

TEST_SUITE("models") {
  TEST_CASE("models.trees: hand-written XGBoost JSON gives exact margins") {
    const XGBoostModel m = import_xgboost_json(tiny_json());
    const TreeEnsemble& e = m.ensemble;
    CHECK(m.version == "1.7.4");
    CHECK(m.feature_names == std::vector<std::string>{"absence", "housing"});
    CHECK(e.n_trees() == 2);
    CHECK(e.max_depth() == 2);
    CHECK(e.base_margin() == 0.5);
    const float below = std::nextafter(0.5f, 0.0f);
    RowMatrixXd x(10, 2);
    x << 0.4, 0,                                // f0 < 0.5: left leaf 1.0
        0.5, 2,                                 // tie goes right; 2 in {2, 5}: right leaf 3.0
        kNaN, 5,                                // NaN default left
        1, 7,                                   // category not in the set: left leaf -2.0
        1, kNaN,                                // NaN default right
        1, -1,                                  // negative category: left
        1, 100,                                 // beyond the bitset: left
        1, 2.7,                                 // truncated to category 2: right
        static_cast<double>(below), 5,          // just below the threshold: left
        0.50000000001, 5;                       // rounds to 0.5f: right
    const RowMatrixXd margin = e.predict_margin(x);
    const double expected[] = {1.75, 3.75, 1.75, -1.25, 3.75, -1.25, -1.25, 3.75, 1.75, 3.75};
    for (int i = 0; i < 10; ++i) {
      CAPTURE(i);
      CHECK(margin(i, 0) == expected[i]);
    }
    // Same figures from float input, one record at a time and with any thread count.
    const RowMatrixXf xf = x.cast<float>();
    CHECK(e.predict_margin(xf) == margin);
    CHECK(e.predict(x, 3) == margin);  // identity transform
    for (int i = 0; i < 10; ++i) {
      double one = 0;
      e.predict_one(x.row(i).data(), &one, true);
      CHECK(one == expected[i]);
    }
  }

  TEST_CASE("models.trees: logistic base score and transform in float32") {
    const TreeEnsemble e =
        import_xgboost_json(tiny_json("binary:logistic", "2E-1")).ensemble;
    const float base = -std::log(1.0f / 0.2f - 1.0f);
    CHECK(e.base_margin() == static_cast<double>(base));
    RowMatrixXd x(1, 2);
    x << 0.4, 0;
    const float margin = base + 1.0f + 0.25f;
    CHECK(e.predict_margin(x)(0, 0) == static_cast<double>(margin));
    CHECK(e.predict(x)(0, 0) == static_cast<double>(1.0f / (1.0f + std::exp(-margin))));
  }

  TEST_CASE("models.trees: TreeSHAP of the tiny model is exact and sums to the margin") {
    const TreeEnsemble e = import_xgboost_json(tiny_json()).ensemble;
    // Tree 0 mean = (3 * 1 + 1 * (0.5 * -2 + 0.5 * 3)) / 4 = 0.875; tree 1 mean = 0.25.
    RowMatrixXd x(2, 2);
    x << 0.4, 0, 1, 7;
    const RowMatrixXd phi = e.explain(x);
    REQUIRE(phi.cols() == 3);
    CHECK(phi(0, 2) == doctest::Approx(0.5 + 0.875 + 0.25).epsilon(1e-12));
    // Row 0 only meets f0 (f1 is never used on its path, but TreeSHAP still credits f1 with
    // the part of f0's split that depends on f1 below): exact values from the Shapley formula.
    // v({}) = 0.875, v({f0}) = 1, v({f1}) with f1 = 0 (left below) = 0.75*1 + 0.25*-2 = 0.25,
    // v({f0, f1}) = 1. phi0 = 0.5*(1 - 0.875) + 0.5*(1 - 0.25) = 0.4375, phi1 = -0.3125.
    CHECK(phi(0, 0) == doctest::Approx(0.4375).epsilon(1e-12));
    CHECK(phi(0, 1) == doctest::Approx(-0.3125).epsilon(1e-12));
    const RowMatrixXd margin = e.predict_margin(x);
    for (int i = 0; i < 2; ++i) CHECK(phi.row(i).sum() == doctest::Approx(margin(i, 0)).epsilon(1e-12));
  }

  TEST_CASE("models.trees: batch, one record and thread counts agree on random input") {
    // A random ensemble of 20 depth-4 trees over 7 features, 3 classes.
    std::mt19937 rng(42);
    std::uniform_real_distribution<double> u(-1, 1);
    std::vector<TreeArrays> trees;
    for (int t = 0; t < 21; ++t) {
      TreeArrays a;
      a.group = t % 3;
      const int n = 31;  // full binary tree of depth 4
      for (int i = 0; i < n; ++i) {
        const bool leaf = i >= 15;
        a.left.push_back(leaf ? -1 : 2 * i + 1);
        a.right.push_back(leaf ? -1 : 2 * i + 2);
        a.feature.push_back(static_cast<std::int32_t>(rng() % 7));
        a.threshold.push_back(u(rng));
        a.default_left.push_back(static_cast<std::uint8_t>(rng() % 2));
        a.value.push_back(u(rng));
        a.cover.push_back(1.0 + (leaf ? static_cast<double>(rng() % 5) : 0.0));
      }
      for (int i = 14; i >= 0; --i) a.cover[static_cast<std::size_t>(i)] = a.cover[static_cast<std::size_t>(2 * i + 1)] + a.cover[static_cast<std::size_t>(2 * i + 2)];
      trees.push_back(a);
    }
    const TreeEnsemble e(trees, 7, 3, Objective::multi_softprob, 0.5, Accumulate::float64);
    RowMatrixXd x(3000, 7);
    for (int i = 0; i < x.size(); ++i) x.data()[i] = (rng() % 10 == 0) ? kNaN : u(rng);
    const RowMatrixXd p1 = e.predict(x, 1);
    CHECK(e.predict(x, 2) == p1);
    CHECK(e.predict(x, 5) == p1);
    const RowMatrixXd m = e.predict_margin(x, 2);
    const RowMatrixXd phi = e.explain(x.topRows(50), 1);
    CHECK(e.explain(x.topRows(50), 3) == phi);
    for (int i = 0; i < 50; ++i) {
      double out[3];
      e.predict_one(x.row(i).data(), out);
      for (int g = 0; g < 3; ++g) {
        CHECK(out[g] == p1(i, g));
        CHECK(phi.block(i, g * 8, 1, 8).sum() == doctest::Approx(m(i, g)).epsilon(1e-9));
      }
    }
    // Round trip through the column form keeps every prediction.
    const TreeEnsemble back(e.trees(), 7, 3, Objective::multi_softprob, 0.5, Accumulate::float64);
    CHECK(back.predict(x) == p1);
    CHECK(back.explain(x.topRows(50)) == phi);
  }

  TEST_CASE("models.trees: malformed models are clear errors") {
    CHECK_THROWS_WITH_AS(import_xgboost_json("{\"learner\": 3"),
                         doctest::Contains("not valid JSON"), earlyhelp::FormatError);
    CHECK_THROWS_WITH_AS(import_xgboost_json("{}", "m.json"),
                         "import_xgboost_json: m.json: learner: missing", earlyhelp::FormatError);
    std::string bad = tiny_json();
    bad.replace(bad.find("[2, 3, -1, -1, -1]"), 18, "[2, 3, -1, -1]");
    CHECK_THROWS_WITH_AS(import_xgboost_json(bad),
                         doctest::Contains("trees/0/tree_param/num_nodes: declares 5 nodes"), earlyhelp::FormatError);
    bad = tiny_json();
    bad.replace(bad.find("[2, 3, -1, -1, -1]"), 18, "[2, 0, -1, -1, -1]");
    CHECK_THROWS_WITH_AS(import_xgboost_json(bad), doctest::Contains("tree 0 node 1"),
                         earlyhelp::FormatError);
    bad = tiny_json();
    bad.replace(bad.find("[0, 1, 0, 0, 0]"), 15, "[0, 9, 0, 0, 0]");
    CHECK_THROWS_WITH_AS(import_xgboost_json(bad), doctest::Contains("split feature 9"),
                         earlyhelp::FormatError);
    CHECK_THROWS_WITH_AS(import_xgboost_json(tiny_json("rank:pairwise")),
                         doctest::Contains("learner/objective/name"), earlyhelp::FormatError);
    CHECK_THROWS_WITH_AS(import_xgboost_json(tiny_json("binary:logistic", "1.5")),
                         doctest::Contains("base_score must be in (0, 1)"),
                         earlyhelp::FormatError);
    const TreeEnsemble e = import_xgboost_json(tiny_json()).ensemble;
    CHECK_THROWS_WITH_AS(e.predict(RowMatrixXd::Zero(2, 3)),
                         "predict: X has 3 columns, model expects 2", earlyhelp::InvalidArgument);
    CHECK_THROWS_AS(import_xgboost_json_file("/nonexistent/m.json"), earlyhelp::IOError);
  }
}

namespace {

// A chain `depth` levels deep: split k (node 2k) on feature k % n_features sends x < 0.5 to a
// leaf (node 2k + 1) and the rest to split k + 1; the last node (2 * depth) is a leaf.
TreeArrays chain_tree(int depth, int n_features) {
  const auto n = static_cast<std::size_t>(2 * depth + 1);
  // left, right, feature, threshold, default_left, value, cover: all leaves until linked below
  TreeArrays t{std::vector<std::int32_t>(n, -1), std::vector<std::int32_t>(n, -1), std::vector<std::int32_t>(n, 0),
               std::vector<double>(n, 0.0),      std::vector<std::uint8_t>(n, 1),  std::vector<double>(n, 0.0),
               std::vector<double>(n, 1.0),      {},                               0};
  for (int k = 0; k < depth; ++k) {
    const auto s = static_cast<std::size_t>(2 * k);
    t.left[s] = 2 * k + 1;
    t.right[s] = 2 * k + 2;
    t.feature[s] = k % n_features;
    t.threshold[s] = 0.5;
    t.value[s + 1] = 0.001 * k;
    t.cover[s] = static_cast<double>(depth - k + 1);
  }
  t.value[n - 1] = 1.0;
  return t;
}

// An XGBoost JSON model of `n` stumps on 2 features (about 330 bytes each).
std::string stumps_json(std::size_t n) {
  std::string out = R"({"learner": {"learner_model_param": {"base_score": "5E-1", "num_class": "0",
    "num_feature": "2"}, "objective": {"name": "reg:squarederror"},
    "gradient_booster": {"name": "gbtree", "model": {"trees": [)";
  std::string info;
  for (std::size_t i = 0; i < n; ++i) {
    out += i ? "," : "";
    out += R"({"tree_param": {"num_nodes": "3"}, "left_children": [1, -1, -1], "right_children": [2, -1, -1],
      "split_indices": [)" + std::to_string(i % 2) + R"(, 0, 0], "split_conditions": [0.5, -0.001, 0.002],
      "default_left": [1, 0, 0], "split_type": [0, 0, 0], "sum_hessian": [2.0, 1.0, 1.0],
      "categories": [], "categories_nodes": [], "categories_segments": [], "categories_sizes": []})";
    info += i ? ",0" : "0";
  }
  return out + "], \"tree_info\": [" + info + "]}}}}";
}

}  // namespace

TEST_SUITE("models") {
  TEST_CASE("models.trees: explaining a deep tree takes memory linear in its depth") {
    // 1,000 levels over 2 features: each level's path holds at most 3 entries, so TreeSHAP needs
    // about 3,000 of them (96 KB); reserving depth^2 / 2 (16 MB) was the quadratic layout.
    const int depth = 1000;
    const TreeEnsemble e({chain_tree(depth, 2)}, 2, 1, Objective::reg_squarederror, 0.0, Accumulate::float64);
    CHECK(e.max_depth() == depth);
    RowMatrixXd x(2, 2);
    x << 0.9, 0.9, 0.1, 0.9;  // the deepest leaf; the first leaf
    eh_test::alloc_probe_reset();
    eh_test::alloc_probe_arm(true);
    const RowMatrixXd phi = e.explain(x, 1);
    eh_test::alloc_probe_arm(false);
    CHECK(eh_test::alloc_probe_largest() < (std::size_t{1} << 20));
    const RowMatrixXd margin = e.predict_margin(x, 1);
    for (earlyhelp::Index i = 0; i < x.rows(); ++i) CHECK(phi.row(i).sum() == doctest::Approx(margin(i, 0)).epsilon(1e-9));
    CHECK(margin(0, 0) == doctest::Approx(1.0));
  }

  TEST_CASE("models.trees: a tree deeper than the limit is refused, naming the tree") {
    CHECK_NOTHROW(TreeEnsemble({chain_tree(TreeEnsemble::max_depth_limit, 3)}, 3, 1, Objective::reg_squarederror, 0.0));
    CHECK_THROWS_WITH_AS(TreeEnsemble({chain_tree(1, 3), chain_tree(TreeEnsemble::max_depth_limit + 1, 3)}, 3, 1,
                                      Objective::reg_squarederror, 0.0),
                         doctest::Contains("tree 1 is more than 1024 levels deep"), earlyhelp::InvalidArgument);
  }

  TEST_CASE("models.import_xgboost: a model over the memory budget is a FormatError") {
    const std::string text = stumps_json(2000);
    CHECK_THROWS_WITH_AS(import_xgboost_json(text, "big.json", std::size_t{1} << 20),
                         doctest::Contains("big.json: the model needs more than the memory budget of 1048576 bytes "
                                           "(reached at learner/gradient_booster/model/trees/"),
                         earlyhelp::FormatError);
    // JSON nested absurdly deep is refused before it costs anything.
    CHECK_THROWS_WITH_AS(import_xgboost_json(std::string(100000, '[') + std::string(100000, ']')),
                         doctest::Contains("nested more than 64 levels deep"), earlyhelp::FormatError);
  }

  TEST_CASE("models.import_xgboost: the document streams, and running out of memory is std::bad_alloc, not an abort") {
    const std::string text = stumps_json(1000);
    eh_test::alloc_probe_reset();
    eh_test::alloc_probe_arm(true);
    XGBoostModel m = import_xgboost_json(text);
    eh_test::alloc_probe_arm(false);
    const std::size_t peak = eh_test::alloc_probe_peak();
    CHECK(m.ensemble.n_trees() == 1000);
    RowMatrixXd x(1, 2);
    x << 0.9, 0.1;  // right at even trees, left at odd ones
    CHECK(m.ensemble.predict(x)(0, 0) == doctest::Approx(0.5 + 500 * (0.002f - 0.001f)).epsilon(1e-4));
    // A whole-document parse held a copy of the text and a DOM: a peak of 7.7 times the text
    // (2.8 MB here); the stream holds the trees as read and as built: 2.3 times (0.8 MB).
    MESSAGE("text " << text.size() << " bytes, peak " << peak << " bytes");
    CHECK(peak < text.size() * 3);

    // With memory running out part way, the import throws std::bad_alloc and unwinds without
    // allocating. (nlohmann's destructor allocates: at the last of these limits the
    // whole-document parse ended the process with "terminate called after throwing
    // std::bad_alloc".)
    for (const std::size_t limit : {peak / 4, peak / 2, peak * 3 / 4}) {
      CAPTURE(limit);
      bool threw = false;
      eh_test::alloc_probe_reset();
      eh_test::alloc_probe_limit(limit);
      eh_test::alloc_probe_arm(true);
      try {
        (void)import_xgboost_json(text);
      } catch (const std::bad_alloc&) {
        threw = true;
      }
      eh_test::alloc_probe_arm(false);
      eh_test::alloc_probe_limit(0);
      CHECK(threw);
    }
  }

  TEST_CASE("models.import_xgboost: NaN and Infinity literals split across stream blocks") {
    // Literals straddling the 64 KiB blocks the stream filters: pad so one lands on each side.
    for (std::size_t pad : {65530u, 65531u, 65532u, 65533u, 65534u, 65535u, 65536u}) {
      std::string text = tiny_json();
      const std::string ws(pad - text.find("NaN"), ' ');
      text.insert(text.find("\"learner\""), ws);
      const XGBoostModel m = import_xgboost_json(text);
      CHECK(m.ensemble.n_trees() == 2);
    }
  }
}
