// SPDX-License-Identifier: Apache-2.0
#pragma once

// Kernels of TreeEnsemble: node stepping, the interleaved batch walk, transforms and TreeSHAP.
// Included by lib/models/trees.cpp only (compiled once).

#include "earlyhelp/models/trees.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

namespace earlyhelp::models::detail {

/// Rows walked through one tree together (independent chains for the out-of-order core).
inline constexpr Index kInterleave = 16;
/// Rows whose margins are built together while every tree passes over them.
inline constexpr Index kBlock = 128;

/// Largest category XGBoost accepts (2^24, where float stops representing every integer).
inline constexpr float kMaxCategory = 16777216.0f;
/// Most outputs (classes) a model may have; lets single-record prediction stay on the stack.
inline constexpr int kMaxGroups = 256;
/// Deepest tree the padded dense layout is used for (2^depth leaves per tree).
inline constexpr int kDenseMaxDepth = 10;
/// Rows walked through a dense tree together by the AVX-512 kernel (8 vectors of 16).
inline constexpr Index kSimdRows = 128;
/// Trees walked together for one row by the AVX-512 kernel (4 vectors of 16).
inline constexpr Index kTreeLanes = 64;
/// Rows walked through a dense tree together.
inline constexpr Index kDenseInterleave = 32;

struct TreeKernels {
  using Node = TreeEnsemble::Node;

  /// XGBoost `common::Decision`: true when category `v` (non-NaN) goes right.
  static bool category_right(const TreeEnsemble& m, const Node& n, float v) noexcept {
    if (!(v >= 0.0f) || v >= kMaxCategory) return false;  // invalid category: left
    const auto c = static_cast<std::uint32_t>(v);           // truncation, as AsCat
    const std::uint32_t set = n.info >> 2;
    const std::uint32_t word = c / 32;
    if (word >= m.cat_size_[set]) return false;
    return ((m.cat_words_[m.cat_begin_[set] + word] >> (c % 32)) & 1u) != 0;
  }

  /// Index of the child `row` goes to from split node `n`.
  template <class T>
  static std::int32_t step(const TreeEnsemble& m, const Node& n, const T* row) noexcept {
    const T raw = row[n.feature];
    const float v = static_cast<float>(raw);
    std::int32_t right;
    if (std::isnan(v)) {
      right = (n.info & 1u) ? 0 : 1;
    } else if (n.info & 2u) {
      right = category_right(m, n, v) ? 1 : 0;
    } else if (m.split_rule_ == SplitRule::less_float32) {
      right = (v < n.threshold) ? 0 : 1;
    } else {
      const auto i = static_cast<std::size_t>(&n - m.nodes_.data());
      right = (static_cast<double>(raw) <= m.threshold_d_[i]) ? 0 : 1;
    }
    return n.left + right;
  }

  /// Leaf index reached by `row` in tree `t`.
  template <class T>
  static std::int32_t leaf(const TreeEnsemble& m, std::size_t t, const T* row) noexcept {
    const Node* nodes = m.nodes_.data();
    std::int32_t i = m.tree_offset_[t];
    while (nodes[i].feature >= 0) i = step(m, nodes[i], row);
    return i;
  }

  /// Sets acc (n x K) to the base margin.
  template <class Acc>
  static void start(const TreeEnsemble& m, Index n, Acc* acc) noexcept {
    std::fill(acc, acc + n * m.n_groups_, static_cast<Acc>(m.base_margin_));
  }

  /// Margins of rows [0, n) of a block (row pitch ld) into acc (n x K, row-major), starting from base margin.
  template <class T, class Acc>
  static void block_margin(const TreeEnsemble& m, const T* x, Index ld, Index n,
                           Acc* acc) noexcept {
    const int k = m.n_groups_;
    start(m, n, acc);
    const Node* nodes = m.nodes_.data();
    const std::size_t n_trees = m.tree_offset_.size();
    std::int32_t idx[kInterleave];
    for (std::size_t t = 0; t < n_trees; ++t) {
      const std::int32_t root = m.tree_offset_[t];
      const int depth = m.tree_depth_[t];
      const int g = m.tree_group_[t];
      for (Index r0 = 0; r0 < n; r0 += kInterleave) {
        const Index nr = std::min(kInterleave, n - r0);
        for (Index r = 0; r < nr; ++r) idx[r] = root;
        for (int d = 0; d < depth; ++d) {
          for (Index r = 0; r < nr; ++r) {
            const Node& nd = nodes[idx[r]];
            if (nd.feature >= 0) idx[r] = step(m, nd, x + (r0 + r) * ld);
          }
        }
        for (Index r = 0; r < nr; ++r) acc[(r0 + r) * k + g] += leaf_value<Acc>(m, idx[r]);
      }
    }
  }

  /// As block_margin, over the padded dense layout: `depth` branch-free steps per row.
  template <class T, class Acc>
  static void block_margin_dense(const TreeEnsemble& m, const T* x, Index ld, Index n,
                                 Acc* acc) noexcept {
    const int k = m.n_groups_;
    start(m, n, acc);
    const std::size_t n_trees = m.tree_offset_.size();
    std::uint32_t idx[kDenseInterleave];
    for (std::size_t t = 0; t < n_trees; ++t) {
      const TreeEnsemble::DenseNode* nodes = m.dense_nodes_.data() + m.dense_offset_[t];
      const int depth = m.tree_depth_[t];
      const Acc* leaves;
      if constexpr (std::is_same_v<Acc, float>) {
        leaves = m.dense_leaf_f_.data() + m.dense_leaf_offset_[t];
      } else {
        leaves = m.dense_leaf_.data() + m.dense_leaf_offset_[t];
      }
      const std::uint32_t n_internal = (1u << depth) - 1u;
      const int g = m.tree_group_[t];
      for (Index r0 = 0; r0 < n; r0 += kDenseInterleave) {
        const Index nr = std::min(kDenseInterleave, n - r0);
        const T* rows = x + r0 * ld;
        for (Index r = 0; r < nr; ++r) idx[r] = 0;
        for (int d = 0; d < depth; ++d) {
          for (Index r = 0; r < nr; ++r) {
            const TreeEnsemble::DenseNode nd = nodes[idx[r]];
            const float v = static_cast<float>(rows[r * ld + (nd.feature & 0x7fffffffu)]);
            // !(v < thr) sends NaN right; v >= thr sends it left: pick by the node's bit.
            const std::uint32_t right = static_cast<std::uint32_t>(v >= nd.threshold) |
                                        (static_cast<std::uint32_t>(v != v) & (nd.feature >> 31));
            idx[r] = 2 * idx[r] + 1 + right;
          }
        }
        for (Index r = 0; r < nr; ++r) acc[(r0 + r) * k + g] += leaves[idx[r] - n_internal];
      }
    }
  }

  /// Leaf slots (relative to the tree's first leaf) of kSimdRows float32 rows in one dense tree, with
  /// AVX-512 gathers; defined in lib/models/trees_avx512.cpp. Lanes past `nr` repeat row 0.
  /// With `leaves` non-null, instead adds leaves[slot] to acc[r] for each row (one output,
  /// float32 sums) and leaves `out` untouched.
  static void dense_leaves_avx512(const TreeEnsemble::DenseNode* nodes, int depth,
                                  const float* rows, Index ld, Index nr, std::uint32_t* out,
                                  const float* leaves = nullptr, float* acc = nullptr) noexcept;
  /// Leaf slots of one float32 row in trees [t0, t0 + lanes) (lanes <= kTreeLanes), one tree
  /// per lane.
  static void trees_leaves_avx512(const TreeEnsemble& m, Index t0, Index lanes, const float* row,
                                  std::uint32_t* out) noexcept;
  /// True when the CPU and the build support dense_leaves_avx512.
  static bool have_avx512() noexcept;

  /// As block_margin_dense with kSimdRows rows per AVX-512 walk; x is float32 (callers convert).
  template <class Acc>
  static void block_margin_dense_simd(const TreeEnsemble& m, const float* x, Index ld, Index n,
                                      Acc* acc) noexcept {
    const int k = m.n_groups_;
    start(m, n, acc);
    std::uint32_t idx[kSimdRows];
    for (std::size_t t = 0; t < m.tree_offset_.size(); ++t) {
      const TreeEnsemble::DenseNode* nodes = m.dense_nodes_.data() + m.dense_offset_[t];
      const int depth = m.tree_depth_[t];
      const int g = m.tree_group_[t];
      const Acc* leaves;
      if constexpr (std::is_same_v<Acc, float>) {
        leaves = m.dense_leaf_f_.data() + m.dense_leaf_offset_[t];
      } else {
        leaves = m.dense_leaf_.data() + m.dense_leaf_offset_[t];
      }
      for (Index r0 = 0; r0 < n; r0 += kSimdRows) {
        const Index nr = std::min(kSimdRows, n - r0);
        if constexpr (std::is_same_v<Acc, float>) {
          if (k == 1) {
            dense_leaves_avx512(nodes, depth, x + r0 * ld, ld, nr, idx, leaves, acc + r0);
            continue;
          }
        }
        dense_leaves_avx512(nodes, depth, x + r0 * ld, ld, nr, idx);
        for (Index r = 0; r < nr; ++r) acc[(r0 + r) * k + g] += leaves[idx[r]];
      }
    }
  }

  template <class T, class Acc>
  static void block_margin_any(const TreeEnsemble& m, const T* x, Index ld, Index n, Acc* acc,
                               std::vector<float>& scratch) noexcept {
    if (m.dense_ && n < 16 && have_avx512()) {
      // Too few rows to fill the row-parallel kernel: go across trees, row by row.
      const int k = m.n_groups_;
      double tmp[kMaxGroups];
      for (Index r = 0; r < n; ++r) {
        row_margin<T, Acc>(m, x + r * ld, tmp);
        for (int g = 0; g < k; ++g) acc[r * k + g] = static_cast<Acc>(tmp[g]);
      }
    } else if (m.dense_ && ld < (Index{1} << 26) && have_avx512()) {
      if constexpr (std::is_same_v<T, float>) {
        block_margin_dense_simd<Acc>(m, x, ld, n, acc);
      } else {
        // Round the block to float32 once (the comparison precision) for the gathers.
        const Index f = m.n_features_;
        scratch.resize(to_size(n * f));
        for (Index r = 0; r < n; ++r) {
          for (Index j = 0; j < f; ++j) scratch[to_size(r * f + j)] = static_cast<float>(x[r * ld + j]);
        }
        block_margin_dense_simd<Acc>(m, scratch.data(), f, n, acc);
      }
    } else if (m.dense_) {
      block_margin_dense<T, Acc>(m, x, ld, n, acc);
    } else {
      block_margin<T, Acc>(m, x, ld, n, acc);
    }
  }

  template <class Acc>
  static Acc leaf_value(const TreeEnsemble& m, std::int32_t i) noexcept {
    if constexpr (std::is_same_v<Acc, float>) {
      return m.value_f_[static_cast<std::size_t>(i)];
    } else {
      return m.value_[static_cast<std::size_t>(i)];
    }
  }

  /// Margins of one row (n_groups values) without allocation.
  template <class T, class Acc>
  static void row_margin(const TreeEnsemble& m, const T* row, double* out) noexcept {
    Acc acc[kMaxGroups];  // K <= kMaxGroups is checked at construction
    const int k = m.n_groups_;
    for (int g = 0; g < k; ++g) acc[g] = static_cast<Acc>(m.base_margin_);
    constexpr Index kMaxSimdRow = 1024;
    if (m.dense_ && m.n_features_ <= kMaxSimdRow && have_avx512()) {
      // 16 trees per AVX-512 step for one row; leaves are then added in tree order, so the
      // sum is the same as the scalar walk's.
      float buf[kMaxSimdRow];
      const float* xf;
      if constexpr (std::is_same_v<T, float>) {
        xf = row;
      } else {
        for (Index j = 0; j < m.n_features_; ++j) buf[j] = static_cast<float>(row[j]);
        xf = buf;
      }
      std::uint32_t rel[kTreeLanes];
      const auto n_trees = static_cast<Index>(m.tree_offset_.size());
      for (Index t0 = 0; t0 < n_trees; t0 += kTreeLanes) {
        const Index lanes = std::min(kTreeLanes, n_trees - t0);
        trees_leaves_avx512(m, t0, lanes, xf, rel);
        for (Index l = 0; l < lanes; ++l) {
          const auto t = to_size(t0 + l);
          const auto at = static_cast<std::size_t>(m.dense_leaf_offset_[t]) + rel[l];
          if constexpr (std::is_same_v<Acc, float>) {
            acc[m.tree_group_[t]] += m.dense_leaf_f_[at];
          } else {
            acc[m.tree_group_[t]] += m.dense_leaf_[at];
          }
        }
      }
    } else if (m.dense_) {
      // Branch-free walks; consecutive trees are independent, so the core overlaps them.
      for (std::size_t t = 0; t < m.tree_offset_.size(); ++t) {
        const TreeEnsemble::DenseNode* nodes = m.dense_nodes_.data() + m.dense_offset_[t];
        const int depth = m.tree_depth_[t];
        std::uint32_t i = 0;
        for (int d = 0; d < depth; ++d) {
          const TreeEnsemble::DenseNode nd = nodes[i];
          const float v = static_cast<float>(row[nd.feature & 0x7fffffffu]);
          const std::uint32_t right = static_cast<std::uint32_t>(v >= nd.threshold) |
                                      (static_cast<std::uint32_t>(v != v) & (nd.feature >> 31));
          i = 2 * i + 1 + right;
        }
        const auto leaf_at = m.dense_leaf_offset_[t] + (i - ((1u << depth) - 1u));
        if constexpr (std::is_same_v<Acc, float>) {
          acc[m.tree_group_[t]] += m.dense_leaf_f_[static_cast<std::size_t>(leaf_at)];
        } else {
          acc[m.tree_group_[t]] += m.dense_leaf_[static_cast<std::size_t>(leaf_at)];
        }
      }
    } else {
      for (std::size_t t = 0; t < m.tree_offset_.size(); ++t) {
        acc[m.tree_group_[t]] += leaf_value<Acc>(m, leaf(m, t, row));
      }
    }
    for (int g = 0; g < k; ++g) out[g] = static_cast<double>(acc[g]);
  }

  // ---- TreeSHAP (Lundberg et al. 2018, Algorithm 2; the layout of XGBoost's TreeShap) ----

  struct PathElement {
    std::int32_t feature;
    double zero_fraction;
    double one_fraction;
    double pweight;
  };

  static void extend_path(PathElement* path, int depth, double zero_fraction, double one_fraction,
                          std::int32_t feature) noexcept {
    path[depth] = {feature, zero_fraction, one_fraction, depth == 0 ? 1.0 : 0.0};
    for (int i = depth - 1; i >= 0; --i) {
      path[i + 1].pweight += one_fraction * path[i].pweight * (i + 1) / (depth + 1);
      path[i].pweight = zero_fraction * path[i].pweight * (depth - i) / (depth + 1);
    }
  }

  static void unwind_path(PathElement* path, int depth, int path_index) noexcept {
    const double one_fraction = path[path_index].one_fraction;
    const double zero_fraction = path[path_index].zero_fraction;
    double next_one_portion = path[depth].pweight;
    for (int i = depth - 1; i >= 0; --i) {
      if (one_fraction != 0) {
        const double tmp = path[i].pweight;
        path[i].pweight = next_one_portion * (depth + 1) / ((i + 1) * one_fraction);
        next_one_portion = tmp - path[i].pweight * zero_fraction * (depth - i) / (depth + 1);
      } else {
        path[i].pweight = (path[i].pweight * (depth + 1)) / (zero_fraction * (depth - i));
      }
    }
    for (int i = path_index; i < depth; ++i) {
      path[i].feature = path[i + 1].feature;
      path[i].zero_fraction = path[i + 1].zero_fraction;
      path[i].one_fraction = path[i + 1].one_fraction;
    }
  }

  static double unwound_path_sum(const PathElement* path, int depth, int path_index) noexcept {
    const double one_fraction = path[path_index].one_fraction;
    const double zero_fraction = path[path_index].zero_fraction;
    double next_one_portion = path[depth].pweight;
    double total = 0;
    for (int i = depth - 1; i >= 0; --i) {
      if (one_fraction != 0) {
        const double tmp = next_one_portion * (depth + 1) / ((i + 1) * one_fraction);
        total += tmp;
        next_one_portion =
            path[i].pweight - tmp * zero_fraction * (static_cast<double>(depth - i) / (depth + 1));
      } else if (zero_fraction != 0) {
        total += (path[i].pweight / zero_fraction) /
                 (static_cast<double>(depth - i) / (depth + 1));
      }
    }
    return total;
  }

  template <class T>
  static void tree_shap(const TreeEnsemble& m, const T* row, double* phi, std::int32_t node,
                        int depth, PathElement* parent_path, double parent_zero,
                        double parent_one, std::int32_t parent_feature) noexcept {
    PathElement* path = parent_path + depth + 1;
    std::copy(parent_path, parent_path + depth + 1, path);
    extend_path(path, depth, parent_zero, parent_one, parent_feature);
    const Node& nd = m.nodes_[static_cast<std::size_t>(node)];
    if (nd.feature < 0) {
      const double v = m.value_[static_cast<std::size_t>(node)];
      for (int i = 1; i <= depth; ++i) {
        const double w = unwound_path_sum(path, depth, i);
        const PathElement& el = path[i];
        phi[el.feature] += w * (el.one_fraction - el.zero_fraction) * v;
      }
      return;
    }
    const std::int32_t hot = step(m, nd, row);
    const std::int32_t cold = hot == nd.left ? nd.left + 1 : nd.left;
    const double w = m.cover_[static_cast<std::size_t>(node)];
    const double hot_zero = m.cover_[static_cast<std::size_t>(hot)] / w;
    const double cold_zero = m.cover_[static_cast<std::size_t>(cold)] / w;
    double incoming_zero = 1;
    double incoming_one = 1;
    // Undo an earlier split on the same feature so this node's split replaces it.
    int path_index = 0;
    for (; path_index <= depth; ++path_index) {
      if (path[path_index].feature == nd.feature) break;
    }
    if (path_index != depth + 1) {
      incoming_zero = path[path_index].zero_fraction;
      incoming_one = path[path_index].one_fraction;
      unwind_path(path, depth, path_index);
      depth -= 1;
    }
    tree_shap(m, row, phi, hot, depth + 1, path, hot_zero * incoming_zero, incoming_one,
              nd.feature);
    tree_shap(m, row, phi, cold, depth + 1, path, cold_zero * incoming_zero, 0, nd.feature);
  }

  /// Path entries tree_shap needs for a tree `depth` levels deep over `n_features` features. A
  /// level's path starts where its parent's ends and holds one entry per distinct feature split
  /// on above it (a repeated feature is unwound), plus the root's: level l needs at most
  /// min(l, F) + 1 entries, and a gap of one when it adds a feature. O(depth x min(depth, F)).
  static std::size_t shap_scratch_size(int depth, Index n_features) noexcept {
    const auto d = static_cast<std::size_t>(depth);
    const auto f = static_cast<std::size_t>(n_features);
    // sum over levels 1..d of (min(l, f) + 1)
    const std::size_t sum = d <= f ? d * (d + 1) / 2 + d : f * (f + 1) / 2 + (d - f) * f + d;
    return sum + std::min(d, f) + 3;
  }

  /// Contributions of one row for all groups: phi is K x (F + 1), zeroed by the caller.
  template <class T>
  static void row_shap(const TreeEnsemble& m, const T* row, double* phi,
                       std::vector<PathElement>& scratch) {
    const Index stride = m.n_features_ + 1;
    for (int g = 0; g < m.n_groups_; ++g) phi[g * stride + m.n_features_] += m.base_margin_;
    for (std::size_t t = 0; t < m.tree_offset_.size(); ++t) {
      const std::int32_t root = m.tree_offset_[t];
      double* p = phi + m.tree_group_[t] * stride;
      p[m.n_features_] += m.mean_[static_cast<std::size_t>(root)];
      const std::size_t need = shap_scratch_size(m.tree_depth_[t], m.n_features_);
      if (scratch.size() < need) scratch.resize(need);
      tree_shap(m, row, p, root, 0, scratch.data(), 1, 1, -1);
    }
  }
};

}  // namespace earlyhelp::models::detail
