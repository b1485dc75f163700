// SPDX-License-Identifier: Apache-2.0
// scikit-learn import. Model.from_sklearn (bindings/python/earlyhelp/models.py) reads a fitted
// estimator in Python and hands plain arrays to C++: make_trees -> the TreeEnsemble constructor
// (gradient boosting, random forests: float64 sums, `<=` splits) and make_linear /
// make_linear_encoded -> the LinearModel constructors (logistic regression, pipelines with
// scalers, imputers and one-hot encoders). Those constructors are the C++ entry point fuzzed here:
// the input is decoded into trees (mostly well-formed, then corrupted: a child outside its tree,
// a cycle, a feature out of range, arrays of different lengths) or into a linear model.

#include "earlyhelp/models/linear.hpp"
#include "earlyhelp/models/model.hpp"
#include "earlyhelp/models/trees.hpp"

#include "fuzz_models.hpp"

#include <fuzzer/FuzzedDataProvider.h>

#include <limits>
#include <string>
#include <vector>

namespace {

using namespace earlyhelp;
using namespace earlyhelp::models;

double any_double(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange(0, 7)) {
    case 0: return std::numeric_limits<double>::quiet_NaN();
    case 1: return std::numeric_limits<double>::infinity();
    case 2: return 0.0;
    case 3: return in.ConsumeFloatingPoint<double>();
    default: return in.ConsumeFloatingPointInRange(-10.0, 10.0);
  }
}

TreeArrays read_tree(FuzzedDataProvider& in, int n_features, int n_groups) {
  const int n_max = in.ConsumeIntegralInRange(1, 63);
  TreeArrays t;
  t.left.assign(1, -1);
  t.right.assign(1, -1);
  // Grow breadth-first: a node splits into the next two unused slots while slots remain.
  int used = 1;
  for (int k = 0; k < used && used + 2 <= n_max; ++k) {
    if (in.ConsumeBool()) {
      t.left[static_cast<std::size_t>(k)] = used;
      t.right[static_cast<std::size_t>(k)] = used + 1;
      t.left.insert(t.left.end(), {-1, -1});
      t.right.insert(t.right.end(), {-1, -1});
      used += 2;
    }
  }
  const auto n = t.left.size();
  const bool categorical = in.ConsumeIntegralInRange(0, 3) == 0;
  if (categorical) t.categories.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    t.feature.push_back(in.ConsumeIntegralInRange(0, n_features - 1));
    t.threshold.push_back(any_double(in));
    t.default_left.push_back(in.ConsumeIntegral<std::uint8_t>() & 1u);
    t.value.push_back(any_double(in));
    t.cover.push_back(in.ConsumeFloatingPointInRange(0.0, 100.0));
    if (categorical && t.left[i] != -1 && in.ConsumeBool()) {
      const int k = in.ConsumeIntegralInRange(1, 4);
      for (int c = 0; c < k; ++c) t.categories[i].push_back(in.ConsumeIntegralInRange(-2, 100));
    }
  }
  t.group = in.ConsumeIntegralInRange(0, n_groups - 1);
  // Now and then, break it the ways a hand-built or foreign array can be broken.
  switch (in.ConsumeIntegralInRange(0, 15)) {
    case 0: t.left[in.ConsumeIntegralInRange<std::size_t>(0, n - 1)] = in.ConsumeIntegral<std::int32_t>(); break;
    case 1: t.right[in.ConsumeIntegralInRange<std::size_t>(0, n - 1)] = in.ConsumeIntegralInRange(-2, 3); break;
    case 2: t.feature[in.ConsumeIntegralInRange<std::size_t>(0, n - 1)] = in.ConsumeIntegral<std::int32_t>(); break;
    case 3: t.cover.pop_back(); break;
    case 4: t.group = in.ConsumeIntegral<int>(); break;
    case 5: t.left.clear(); break;
    default: break;
  }
  return t;
}

Model read_trees(FuzzedDataProvider& in) {
  static const char* const objectives[] = {"reg:squarederror", "binary:logistic", "multi:softprob",
                                           "count:poisson", "multi:softmax", "binary:logitraw"};
  const int n_features = in.ConsumeIntegralInRange(1, 8);
  const int n_groups = in.ConsumeIntegralInRange(1, 4);
  const Objective objective = parse_objective(objectives[in.ConsumeIntegralInRange(0, 5)]);
  const double base_score = in.ConsumeBool() ? 0.5 : any_double(in);
  const auto accumulate = in.ConsumeBool() ? Accumulate::float64 : Accumulate::float32;
  const auto split = in.ConsumeBool() ? SplitRule::less_equal_float64 : SplitRule::less_float32;
  std::vector<TreeArrays> trees;
  const int n_trees = in.ConsumeIntegralInRange(0, 6);
  for (int i = 0; i < n_trees; ++i) trees.push_back(read_tree(in, n_features, n_groups));
  const Index declared = in.ConsumeIntegralInRange(0, 3) == 0 ? in.ConsumeIntegral<std::int64_t>() : n_features;
  return Model(TreeEnsemble(std::move(trees), declared, n_groups, objective, base_score,
                            accumulate, split));
}

Model read_linear(FuzzedDataProvider& in) {
  const Index k = in.ConsumeIntegralInRange(1, 3);
  const auto link = static_cast<Link>(in.ConsumeIntegralInRange(0, 3));
  const int n_features = in.ConsumeIntegralInRange(0, 6);
  if (in.ConsumeBool()) {
    // make_linear: coef K x F with optional centre, scale and fill.
    RowMatrixXd coef(k, n_features);
    for (Index i = 0; i < coef.size(); ++i) coef.data()[i] = any_double(in);
    Eigen::VectorXd intercept(in.ConsumeIntegralInRange<Index>(0, 3)), center, scale, fill;
    for (auto& v : intercept) v = any_double(in);
    if (in.ConsumeBool()) {
      center.resize(n_features);
      scale.resize(n_features);
      fill.resize(n_features);
      for (Index j = 0; j < n_features; ++j) {
        center[j] = any_double(in);
        scale[j] = any_double(in);
        fill[j] = any_double(in);
      }
    }
    return Model(LinearModel(coef, intercept, link, center, scale, fill));
  }
  // make_linear_encoded: one encoding per feature, coef K x (sum of widths).
  std::vector<FeatureEncoding> encodings;
  Index width = 0;
  for (int j = 0; j < n_features; ++j) {
    FeatureEncoding e;
    e.encoding = static_cast<Encoding>(in.ConsumeIntegralInRange(0, 2));
    e.missing = static_cast<MissingPolicy>(in.ConsumeIntegralInRange(0, 2));
    e.center = any_double(in);
    e.scale = in.ConsumeBool() ? 1.0 : any_double(in);
    e.fill = any_double(in);
    const int n_cat = in.ConsumeIntegralInRange(0, 4);
    for (int c = 0; c < n_cat; ++c) e.categories.push_back(in.ConsumeRandomLengthString(8));
    if (in.ConsumeBool()) {
      for (int c = 0; c < n_cat; ++c) e.ordinal_values.push_back(any_double(in));
    }
    const int n_base = in.ConsumeIntegralInRange(0, n_cat + 1);
    for (int c = 0; c < n_base; ++c) e.baseline.push_back(any_double(in));
    width += e.width();
    encodings.push_back(std::move(e));
  }
  if (in.ConsumeIntegralInRange(0, 7) == 0) width += in.ConsumeIntegralInRange(-1, 1);
  RowMatrixXd coef(k, std::max<Index>(width, 0));
  for (Index i = 0; i < coef.size(); ++i) coef.data()[i] = any_double(in);
  Eigen::VectorXd intercept(k);
  for (auto& v : intercept) v = any_double(in);
  return Model(LinearModel(coef, intercept, link, std::move(encodings)));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  fuzz::expect_only_errors([&] { fuzz::exercise(in.ConsumeBool() ? read_linear(in) : read_trees(in)); });
  return 0;
}
