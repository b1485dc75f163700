// SPDX-License-Identifier: Apache-2.0
// TreeEnsemble: construction (validation, breadth-first relayout) and the batch entry points.

#include "earlyhelp/models/trees.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/parallel.hpp"
#include "earlyhelp/models/detail/trees_impl.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <deque>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace earlyhelp::models {

namespace {

struct ObjectiveName {
  std::string_view name;
  Objective objective;
};

// XGBoost objectives and the evaluator family they share (link and transform only matter here).
constexpr ObjectiveName kObjectives[] = {
    {"reg:squarederror", Objective::reg_squarederror},
    {"reg:linear", Objective::reg_squarederror},
    {"reg:squaredlogerror", Objective::reg_squarederror},
    {"reg:pseudohubererror", Objective::reg_squarederror},
    {"reg:absoluteerror", Objective::reg_squarederror},
    {"reg:logistic", Objective::reg_logistic},
    {"binary:logistic", Objective::binary_logistic},
    {"binary:logitraw", Objective::binary_logitraw},
    {"count:poisson", Objective::count_poisson},
    {"reg:gamma", Objective::count_poisson},
    {"reg:tweedie", Objective::count_poisson},
    {"multi:softprob", Objective::multi_softprob},
    {"multi:softmax", Objective::multi_softmax},
};

bool is_logistic(Objective o) noexcept {
  return o == Objective::binary_logistic || o == Objective::reg_logistic;
}

}  // namespace

Objective parse_objective(std::string_view name) {
  for (const auto& o : kObjectives) {
    if (o.name == name) return o.objective;
  }
  std::string known;
  for (const auto& o : kObjectives) known += (known.empty() ? "" : ", ") + std::string(o.name);
  earlyhelp::detail::throw_error<InvalidArgument>("parse_objective: unsupported objective '{}' (supported: {})",
                                       name, known);
}

std::string_view objective_name(Objective objective) noexcept {
  for (const auto& o : kObjectives) {
    if (o.objective == objective) return o.name;
  }
  return "unknown";
}

TreeEnsemble::TreeEnsemble(std::vector<TreeArrays> trees, Index n_features, int n_groups,
                           Objective objective, double base_score, Accumulate accumulate,
                           SplitRule split_rule)
    : n_features_(n_features),
      n_groups_(n_groups),
      objective_(objective),
      accumulate_(accumulate),
      split_rule_(split_rule),
      base_score_(base_score) {
  constexpr const char* fn = "TreeEnsemble";
  EH_CHECK(n_features > 0 && n_features < std::numeric_limits<std::int32_t>::max(),
           "{}: n_features must be positive (got {})", fn, n_features);
  EH_CHECK(n_groups >= 1 && n_groups <= detail::kMaxGroups,
           "{}: n_groups must be in [1, {}] (got {})", fn, detail::kMaxGroups, n_groups);
  const bool multi =
      objective == Objective::multi_softprob || objective == Objective::multi_softmax;
  EH_CHECK(!multi || n_groups >= 2, "{}: a multi-class objective needs n_groups >= 2 (got {})", fn,
           n_groups);
  EH_CHECK(multi || !is_logistic(objective) || n_groups == 1,
           "{}: a binary objective has one group (got {})", fn, n_groups);
  EH_CHECK(std::isfinite(base_score), "{}: base_score must be finite", fn);

  // Base margin, computed in float32 as XGBoost's ProbToMargin.
  const auto b = static_cast<float>(base_score);
  if (is_logistic(objective)) {
    EH_CHECK(b > 0.0f && b < 1.0f, "{}: base_score must be in (0, 1) for {} (got {})", fn,
             objective_name(objective), base_score);
    base_margin_ = accumulate == Accumulate::float32
                       ? static_cast<double>(-std::log(1.0f / b - 1.0f))
                       : -std::log(1.0 / base_score - 1.0);
  } else if (objective == Objective::count_poisson) {
    EH_CHECK(b > 0.0f, "{}: base_score must be positive for {} (got {})", fn,
             objective_name(objective), base_score);
    base_margin_ = accumulate == Accumulate::float32 ? static_cast<double>(std::log(b))
                                                     : std::log(base_score);
  } else {
    base_margin_ = accumulate == Accumulate::float32 ? static_cast<double>(b) : base_score;
  }

  std::size_t total = 0;
  for (const auto& t : trees) total += t.left.size();
  EH_CHECK(total < static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max() / 2),
           "{}: too many nodes ({})", fn, total);
  nodes_.reserve(total);
  value_.reserve(total);
  cover_.reserve(total);

  threshold_d_.reserve(total);
  for (std::size_t ti = 0; ti < trees.size(); ++ti) {
    const TreeArrays& t = trees[ti];
    const std::size_t n = t.left.size();
    EH_CHECK(n >= 1, "{}: tree {} has no nodes", fn, ti);
    EH_CHECK(t.right.size() == n && t.feature.size() == n && t.threshold.size() == n &&
                 t.default_left.size() == n && t.value.size() == n && t.cover.size() == n &&
                 (t.categories.empty() || t.categories.size() == n),
             "{}: tree {} has arrays of different lengths (left has {})", fn, ti, n);
    EH_CHECK(t.group >= 0 && t.group < n_groups, "{}: tree {} adds to group {}, model has {}", fn,
             ti, t.group, n_groups);

    const auto offset = static_cast<std::int32_t>(nodes_.size());
    tree_offset_.push_back(offset);
    tree_group_.push_back(t.group);
    std::vector<char> seen(n, 0);
    // Breadth-first: (source node, flat slot, depth). Children get two adjacent slots.
    std::deque<std::pair<std::int32_t, int>> queue{{0, 0}};
    seen[0] = 1;
    nodes_.push_back({});
    value_.push_back(0);
    cover_.push_back(0);
    threshold_d_.push_back(0);
    int depth = 0;
    for (std::size_t slot = static_cast<std::size_t>(offset); !queue.empty(); ++slot) {
      const auto [src, d] = queue.front();
      queue.pop_front();
      const auto s = static_cast<std::size_t>(src);
      depth = std::max(depth, d);
      Node nd{};
      cover_[slot] = t.cover[s];
      const std::int32_t l = t.left[s];
      const std::int32_t r = t.right[s];
      if (l == -1 && r == -1) {
        nd.left = static_cast<std::int32_t>(slot);
        nd.feature = -1;
        EH_CHECK(std::isfinite(t.value[s]), "{}: tree {} node {}: leaf value is not finite", fn,
                 ti, src);
        value_[slot] = t.value[s];
      } else {
        EH_CHECK(l > 0 && r > 0 && static_cast<std::size_t>(l) < n &&
                     static_cast<std::size_t>(r) < n && l != r,
                 "{}: tree {} node {}: children ({}, {}) must be distinct nodes in [1, {})", fn,
                 ti, src, l, r, n);
        EH_CHECK(!seen[static_cast<std::size_t>(l)] && !seen[static_cast<std::size_t>(r)],
                 "{}: tree {} node {}: a child is reached twice (not a tree)", fn, ti, src);
        seen[static_cast<std::size_t>(l)] = seen[static_cast<std::size_t>(r)] = 1;
        EH_CHECK(t.feature[s] >= 0 && t.feature[s] < n_features,
                 "{}: tree {} node {}: split feature {} outside [0, {})", fn, ti, src,
                 t.feature[s], n_features);
        nd.feature = t.feature[s];
        nd.left = static_cast<std::int32_t>(nodes_.size());
        nd.info = t.default_left[s] ? 1u : 0u;
        const bool categorical = !t.categories.empty() && !t.categories[s].empty();
        if (categorical) {
          std::int32_t max_cat = 0;
          for (std::int32_t c : t.categories[s]) {
            EH_CHECK(c >= 0 && static_cast<float>(c) < detail::kMaxCategory,
                     "{}: tree {} node {}: category {} outside [0, 2^24)", fn, ti, src, c);
            max_cat = std::max(max_cat, c);
          }
          const auto words = static_cast<std::uint32_t>(max_cat / 32 + 1);
          const auto set = static_cast<std::uint32_t>(cat_begin_.size());
          EH_CHECK(set < (1u << 29), "{}: too many categorical splits", fn);
          cat_begin_.push_back(static_cast<std::uint32_t>(cat_words_.size()));
          cat_size_.push_back(words);
          cat_words_.resize(cat_words_.size() + words, 0u);
          for (std::int32_t c : t.categories[s]) {
            const auto u = static_cast<std::uint32_t>(c);
            cat_words_[cat_begin_.back() + u / 32] |= 1u << (u % 32);
          }
          nd.info |= 2u | (set << 2);
          nd.threshold = 0.0f;
        } else {
          EH_CHECK(!std::isnan(t.threshold[s]), "{}: tree {} node {}: split threshold is NaN", fn,
                   ti, src);
          nd.threshold = static_cast<float>(t.threshold[s]);
          threshold_d_[slot] = t.threshold[s];
        }
        EH_CHECK(d < max_depth_limit, "{}: tree {} is more than {} levels deep (node {}); the limit is {}", fn, ti,
                 max_depth_limit, src, max_depth_limit);
        for (std::int32_t c : {l, r}) {
          queue.emplace_back(c, d + 1);
          nodes_.push_back({});
          value_.push_back(0);
          cover_.push_back(0);
          threshold_d_.push_back(0);
        }
      }
      nodes_[slot] = nd;
    }
    tree_depth_.push_back(depth);
  }
  value_f_.resize(value_.size());
  for (std::size_t i = 0; i < value_.size(); ++i) value_f_[i] = static_cast<float>(value_[i]);
  // Cover-weighted subtree means (children follow parents, so one reverse pass suffices).
  mean_.assign(nodes_.size(), 0.0);
  for (std::size_t i = nodes_.size(); i-- > 0;) {
    const Node& nd = nodes_[i];
    if (nd.feature < 0) {
      mean_[i] = value_[i];
    } else {
      const auto l = static_cast<std::size_t>(nd.left);
      mean_[i] = (mean_[l] * cover_[l] + mean_[l + 1] * cover_[l + 1]) / cover_[i];
    }
  }
  build_dense();
}

void TreeEnsemble::build_dense() {
  if (!cat_begin_.empty() || max_depth() > detail::kDenseMaxDepth ||
      split_rule_ != SplitRule::less_float32) {
    return;
  }
  std::size_t internal = 0;
  for (int d : tree_depth_) internal += (std::size_t{1} << d) - 1;
  if (internal > (std::size_t{1} << 26)) return;  // padding would cost too much memory
  dense_nodes_.reserve(internal);
  dense_leaf_f_.reserve(internal + tree_depth_.size());
  for (std::size_t t = 0; t < tree_offset_.size(); ++t) {
    const int depth = tree_depth_[t];
    const auto n_int = (std::size_t{1} << depth) - 1;
    dense_offset_.push_back(static_cast<std::int64_t>(dense_nodes_.size()));
    dense_leaf_offset_.push_back(static_cast<std::int64_t>(dense_leaf_.size()));
    const std::size_t base = dense_nodes_.size();
    const std::size_t leaf_base = dense_leaf_.size();
    dense_nodes_.resize(base + n_int, DenseNode{0, 0.0f});
    dense_leaf_.resize(leaf_base + n_int + 1, 0.0);
    // (flat node, dense position) pairs; positions >= n_int are leaves.
    std::vector<std::pair<std::int32_t, std::size_t>> stack{{tree_offset_[t], 0}};
    while (!stack.empty()) {
      const auto [i, p] = stack.back();
      stack.pop_back();
      const Node& nd = nodes_[static_cast<std::size_t>(i)];
      if (p >= n_int) {
        dense_leaf_[leaf_base + p - n_int] = value_[static_cast<std::size_t>(i)];
        continue;
      }
      if (nd.feature < 0) {
        stack.emplace_back(i, 2 * p + 1);  // padding: both subtrees end in the same leaf
        stack.emplace_back(i, 2 * p + 2);
      } else {
        const std::uint32_t nan_right = (nd.info & 1u) ? 0u : 0x80000000u;
        dense_nodes_[base + p] = {static_cast<std::uint32_t>(nd.feature) | nan_right,
                                  nd.threshold};
        stack.emplace_back(nd.left, 2 * p + 1);
        stack.emplace_back(nd.left + 1, 2 * p + 2);
      }
    }
  }
  if (dense_nodes_.size() + 64 > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
    return;  // SIMD indices are int32
  }
  for (std::int64_t o : dense_offset_) dense_offset32_.push_back(static_cast<std::int32_t>(o));
  dense_offset32_.resize(dense_offset32_.size() + 16, 0);  // whole-register loads
  // The AVX-512 kernel loads the first 63 nodes of a tree as whole registers, whatever its size.
  dense_nodes_.resize(dense_nodes_.size() + 64, DenseNode{0, 0.0f});
  dense_leaf_f_.resize(dense_leaf_.size());
  for (std::size_t i = 0; i < dense_leaf_.size(); ++i) {
    dense_leaf_f_[i] = static_cast<float>(dense_leaf_[i]);
  }
  dense_ = true;
}

int TreeEnsemble::n_outputs() const noexcept {
  return objective_ == Objective::multi_softmax ? 1 : n_groups_;
}

int TreeEnsemble::max_depth() const noexcept {
  int d = 0;
  for (int x : tree_depth_) d = std::max(d, x);
  return d;
}

void TreeEnsemble::transform(const double* margin, double* out) const noexcept {
  const bool f32 = accumulate_ == Accumulate::float32;
  switch (objective_) {
    case Objective::binary_logistic:
    case Objective::reg_logistic:
      if (f32) {
        out[0] = static_cast<double>(1.0f / (1.0f + std::exp(-static_cast<float>(margin[0]))));
      } else {
        out[0] = 1.0 / (1.0 + std::exp(-margin[0]));
      }
      return;
    case Objective::count_poisson:
      out[0] = f32 ? static_cast<double>(std::exp(static_cast<float>(margin[0])))
                   : std::exp(margin[0]);
      return;
    case Objective::multi_softprob: {
      double wmax = margin[0];
      for (int g = 1; g < n_groups_; ++g) wmax = std::max(wmax, margin[g]);
      if (f32) {
        float sum = 0;
        float e[detail::kMaxGroups];
        for (int g = 0; g < n_groups_; ++g) {
          e[g] = std::exp(static_cast<float>(margin[g]) - static_cast<float>(wmax));
          sum += e[g];
        }
        for (int g = 0; g < n_groups_; ++g) out[g] = static_cast<double>(e[g] / sum);
      } else {
        double sum = 0;
        for (int g = 0; g < n_groups_; ++g) sum += (out[g] = std::exp(margin[g] - wmax));
        for (int g = 0; g < n_groups_; ++g) out[g] /= sum;
      }
      return;
    }
    case Objective::multi_softmax: {
      int best = 0;
      for (int g = 1; g < n_groups_; ++g) {
        if (margin[g] > margin[best]) best = g;
      }
      out[0] = best;
      return;
    }
    case Objective::reg_squarederror:
    case Objective::binary_logitraw:
      break;
  }
  for (int g = 0; g < n_groups_; ++g) out[g] = margin[g];
}

namespace {

// Shared batch driver: rows in chunks of 1024 (fixed, so every thread count gives the same
// result), each chunk in blocks of detail::kBlock through every tree.
template <class T, class Acc>
void run_batch(const TreeEnsemble& m, const T* x, Index ld, Index n_rows, double* out,
               Index out_ld, bool margin, int n_threads) {
  const int k = m.n_groups();
  constexpr std::size_t kChunk = 1024;
  parallel_for_chunks(to_size(n_rows), n_threads, kChunk, [&](std::size_t b, std::size_t e) {
    std::vector<Acc> acc(to_size(detail::kBlock) * static_cast<std::size_t>(k));
    std::vector<float> scratch;
    double tmp[detail::kMaxGroups];
    for (auto r0 = to_index(b); r0 < to_index(e); r0 += detail::kBlock) {
      const Index nr = std::min(detail::kBlock, to_index(e) - r0);
      detail::TreeKernels::block_margin_any<T, Acc>(m, x + r0 * ld, ld, nr, acc.data(), scratch);
      for (Index r = 0; r < nr; ++r) {
        double* o = out + (r0 + r) * out_ld;
        const Acc* a = acc.data() + r * k;
        if (margin) {
          for (int g = 0; g < k; ++g) o[g] = static_cast<double>(a[g]);
        } else {
          for (int g = 0; g < k; ++g) tmp[g] = static_cast<double>(a[g]);
          m.transform(tmp, o);
        }
      }
    }
  });
}

template <class T>
void dispatch(const TreeEnsemble& m, const T* x, Index ld, Index n_rows, double* out,
              Index out_ld, bool margin, int n_threads) {
  if (m.accumulate() == Accumulate::float32) {
    run_batch<T, float>(m, x, ld, n_rows, out, out_ld, margin, n_threads);
  } else {
    run_batch<T, double>(m, x, ld, n_rows, out, out_ld, margin, n_threads);
  }
}

}  // namespace

namespace {
void check_cols(const TreeEnsemble& m, Index cols, const char* fn) {
  EH_CHECK(cols == m.n_features(), "{}: X has {} columns, model expects {}", fn, cols,
           m.n_features());
}

// Shared body of the Eigen batch overloads (float and double input, margins or outputs).
template <class Ref>
void batch(const TreeEnsemble& m, const Ref& x, MatrixRef out, bool margin, int n_threads) {
  const char* fn = margin ? "predict_margin" : "predict";
  check_cols(m, x.cols(), fn);
  const Index width = margin ? m.n_groups() : m.n_outputs();
  EH_CHECK(out.rows() == x.rows() && out.cols() == width, "{}: out is {}x{}, expected {}x{}", fn,
           out.rows(), out.cols(), x.rows(), width);
  dispatch(m, x.data(), x.outerStride(), x.rows(), out.data(), out.outerStride(), margin,
           n_threads);
}

template <class Ref>
RowMatrixXd batch(const TreeEnsemble& m, const Ref& x, bool margin, int n_threads) {
  RowMatrixXd out(x.rows(), margin ? m.n_groups() : m.n_outputs());
  batch(m, x, out, margin, n_threads);
  return out;
}
}  // namespace

void TreeEnsemble::predict_margin(ConstMatrixRef x, MatrixRef out, int n_threads) const {
  batch(*this, x, out, true, n_threads);
}
void TreeEnsemble::predict_margin(ConstMatrixRefF x, MatrixRef out, int n_threads) const {
  batch(*this, x, out, true, n_threads);
}
RowMatrixXd TreeEnsemble::predict_margin(ConstMatrixRef x, int n_threads) const {
  return batch(*this, x, true, n_threads);
}
RowMatrixXd TreeEnsemble::predict_margin(ConstMatrixRefF x, int n_threads) const {
  return batch(*this, x, true, n_threads);
}
void TreeEnsemble::predict(ConstMatrixRef x, MatrixRef out, int n_threads) const {
  batch(*this, x, out, false, n_threads);
}
void TreeEnsemble::predict(ConstMatrixRefF x, MatrixRef out, int n_threads) const {
  batch(*this, x, out, false, n_threads);
}
RowMatrixXd TreeEnsemble::predict(ConstMatrixRef x, int n_threads) const {
  return batch(*this, x, false, n_threads);
}
RowMatrixXd TreeEnsemble::predict(ConstMatrixRefF x, int n_threads) const {
  return batch(*this, x, false, n_threads);
}

void TreeEnsemble::predict_raw(const double* x, Index n_rows, double* out, bool margin,
                               int n_threads) const {
  EH_CHECK(n_rows >= 0, "predict: n_rows must be >= 0 (got {})", n_rows);
  EH_CHECK(n_rows == 0 || (x != nullptr && out != nullptr), "predict: NULL input or output");
  dispatch(*this, x, n_features_, n_rows, out, margin ? n_groups_ : n_outputs(), margin,
           n_threads);
}

void TreeEnsemble::predict_raw(const float* x, Index n_rows, double* out, bool margin,
                               int n_threads) const {
  EH_CHECK(n_rows >= 0, "predict: n_rows must be >= 0 (got {})", n_rows);
  EH_CHECK(n_rows == 0 || (x != nullptr && out != nullptr), "predict: NULL input or output");
  dispatch(*this, x, n_features_, n_rows, out, margin ? n_groups_ : n_outputs(), margin,
           n_threads);
}

namespace {
template <class T>
void one(const TreeEnsemble& m, const T* row, double* out, bool margin) noexcept {
  double tmp[detail::kMaxGroups];
  double* dst = margin ? out : tmp;
  if (m.accumulate() == Accumulate::float32) {
    detail::TreeKernels::row_margin<T, float>(m, row, dst);
  } else {
    detail::TreeKernels::row_margin<T, double>(m, row, dst);
  }
  if (!margin) m.transform(tmp, out);
}

template <class T>
RowMatrixXd explain_rows(const TreeEnsemble& m, const T* x, Index ld, Index n_rows,
                         int n_threads) {
  const Index width = m.n_groups() * (m.n_features() + 1);
  RowMatrixXd out = RowMatrixXd::Zero(n_rows, width);
  parallel_for_chunks(to_size(n_rows), n_threads, 64, [&](std::size_t b, std::size_t e) {
    std::vector<detail::TreeKernels::PathElement> scratch;
    for (std::size_t i = b; i < e; ++i) {
      detail::TreeKernels::row_shap(m, x + to_index(i) * ld, out.row(to_index(i)).data(),
                                    scratch);
    }
  });
  return out;
}
}  // namespace

void TreeEnsemble::predict_one(const double* row, double* out, bool margin) const noexcept {
  one(*this, row, out, margin);
}

void TreeEnsemble::predict_one(const float* row, double* out, bool margin) const noexcept {
  one(*this, row, out, margin);
}

RowMatrixXd TreeEnsemble::explain(ConstMatrixRef x, int n_threads) const {
  check_cols(*this, x.cols(), "explain");
  return explain_rows(*this, x.data(), x.outerStride(), x.rows(), n_threads);
}

RowMatrixXd TreeEnsemble::explain(ConstMatrixRefF x, int n_threads) const {
  check_cols(*this, x.cols(), "explain");
  return explain_rows(*this, x.data(), x.outerStride(), x.rows(), n_threads);
}

std::vector<TreeArrays> TreeEnsemble::trees() const {
  std::vector<TreeArrays> out(tree_offset_.size());
  for (std::size_t t = 0; t < tree_offset_.size(); ++t) {
    const auto begin = static_cast<std::size_t>(tree_offset_[t]);
    const std::size_t end =
        t + 1 < tree_offset_.size() ? static_cast<std::size_t>(tree_offset_[t + 1]) : nodes_.size();
    const std::size_t n = end - begin;
    TreeArrays& a = out[t];
    a.group = tree_group_[t];
    a.left.assign(n, -1);
    a.right.assign(n, -1);
    a.feature.assign(n, 0);
    a.threshold.assign(n, 0.0);
    a.default_left.assign(n, 0);
    a.value.assign(n, 0.0);
    a.cover.assign(n, 0.0);
    a.categories.assign(n, {});
    // Emitted in flat (breadth-first) order: node i of the output is flat node begin + i.
    for (std::size_t i = 0; i < n; ++i) {
      const Node& nd = nodes_[begin + i];
      a.cover[i] = cover_[begin + i];
      if (nd.feature < 0) {
        a.value[i] = value_[begin + i];
        continue;
      }
      a.left[i] = static_cast<std::int32_t>(static_cast<std::size_t>(nd.left) - begin);
      a.right[i] = a.left[i] + 1;
      a.feature[i] = nd.feature;
      a.default_left[i] = static_cast<std::uint8_t>(nd.info & 1u);
      a.threshold[i] = threshold_d_[begin + i];
      if (nd.info & 2u) {
        const std::uint32_t set = nd.info >> 2;
        for (std::uint32_t w = 0; w < cat_size_[set]; ++w) {
          for (std::uint32_t bit = 0; bit < 32; ++bit) {
            if ((cat_words_[cat_begin_[set] + w] >> bit) & 1u) {
              a.categories[i].push_back(static_cast<std::int32_t>(w * 32 + bit));
            }
          }
        }
      }
    }
  }
  return out;
}

}  // namespace earlyhelp::models
