// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Gradient-boosted tree ensembles evaluated from flat arrays.
///
/// Trees are laid out breadth-first with the two children of a split next to each other, so a
/// step is `node = left + go_right`. Batch prediction walks 16 rows through a tree at once (16
/// independent dependency chains keep the core busy while one waits for memory) over blocks of
/// 128 rows that stay in cache while every tree passes over them.
///
/// Split semantics follow XGBoost exactly: the feature value is rounded to float32 and goes left
/// when `value < threshold` (float32 compare, so a value equal to the threshold goes right); NaN
/// follows the node's default direction; a categorical split sends the listed categories right
/// and every other non-negative category left (XGBoost's `common::Decision`). With
/// `Accumulate::float32` margins are summed in float32 in tree order from the base margin, as
/// XGBoost's CPU predictor does, so imported models reproduce its output bit for bit.
///
/// Explanations use path-dependent TreeSHAP: S. M. Lundberg, G. G. Erion, S.-I. Lee,
/// "Consistent Individualized Feature Attribution for Tree Ensembles", arXiv:1802.03888 (2018),
/// Algorithm 2.

#include "earlyhelp/core/types.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace earlyhelp::models {

namespace detail {
struct TreeKernels;
}  // namespace detail

/// Learning objective: fixes how base_score becomes a margin and how a margin becomes an output.
enum class Objective {
  reg_squarederror,  ///< identity (also reg:linear, reg:absoluteerror, reg:pseudohubererror, ...)
  reg_logistic,      ///< logit base, sigmoid output
  binary_logistic,   ///< logit base, sigmoid output
  binary_logitraw,   ///< identity base and output (the margin)
  count_poisson,     ///< log base, exp output (also reg:gamma, reg:tweedie)
  multi_softprob,    ///< one margin per class, softmax output (n x K probabilities)
  multi_softmax      ///< one margin per class, output the arg-max class index (n x 1)
};

/// How margins are summed over trees.
enum class Accumulate {
  float32,  ///< float32 in tree order, as XGBoost (bit-exact with its predict)
  float64   ///< double (scikit-learn models)
};

/// How a numeric split compares a value with its threshold.
enum class SplitRule {
  less_float32,       ///< float(x) < float(t) goes left (XGBoost, LightGBM-style)
  less_equal_float64  ///< x <= t in double goes left (scikit-learn HistGradientBoosting)
};

/// Parses an XGBoost objective name ("binary:logistic", ...).
/// @throws InvalidArgument for an objective this evaluator does not support.
Objective parse_objective(std::string_view name);
/// The canonical XGBoost name of an objective.
std::string_view objective_name(Objective objective) noexcept;

/// One tree in the column layout XGBoost uses in its JSON model (node 0 is the root).
struct TreeArrays {
  std::vector<std::int32_t> left;          ///< left child, -1 for a leaf
  std::vector<std::int32_t> right;         ///< right child, -1 for a leaf
  std::vector<std::int32_t> feature;       ///< split feature (ignored for leaves)
  std::vector<double> threshold;           ///< split threshold (ignored for leaves, categorical)
  std::vector<std::uint8_t> default_left;  ///< 1: NaN goes left
  std::vector<double> value;               ///< leaf value (ignored for splits)
  std::vector<double> cover;               ///< training weight (hessian sum) reaching the node
  /// Per node: categories sent right by a categorical split; empty for a numeric split.
  std::vector<std::vector<std::int32_t>> categories;
  int group = 0;  ///< output (class) this tree adds to
};

/// An immutable tree ensemble. All members are const and safe to call from many threads.
///
/// Example:
/// @code
/// auto model = earlyhelp::models::import_xgboost_json_file("m.json");
/// earlyhelp::RowMatrixXd p = model.predict(X);          // n x 1 probabilities
/// earlyhelp::RowMatrixXd phi = model.explain(X);        // n x (F + 1), bias last
/// @endcode
class TreeEnsemble {
 public:
  /// Deepest tree accepted (levels below the root). Trained models stay far shallower (XGBoost's
  /// default max_depth is 6, and leaf-wise growth with hundreds of leaves rarely passes 50); a
  /// deeper tree is malformed or hostile. The limit bounds explanation memory (see explain) and
  /// recursion.
  static constexpr int max_depth_limit = 1024;

  /// Builds the flat layout.
  /// @param trees      the trees, in the order their leaves are summed
  /// @param n_features number of input columns
  /// @param n_groups   number of outputs (classes for multi-class, else 1)
  /// @param objective  link and transform
  /// @param base_score on the output scale (a probability for logistic), as XGBoost stores it
  /// @param accumulate summation precision
  /// @param split_rule numeric comparison (the dense/SIMD kernels serve less_float32 only)
  /// @throws InvalidArgument for a malformed tree (cycles, bad child or feature indices,
  ///         inconsistent array lengths, deeper than max_depth_limit), naming the tree and node.
  TreeEnsemble(std::vector<TreeArrays> trees, Index n_features, int n_groups, Objective objective,
               double base_score, Accumulate accumulate = Accumulate::float32,
               SplitRule split_rule = SplitRule::less_float32);

  Index n_features() const noexcept { return n_features_; }
  /// Number of margins per row (K classes for multi-class, else 1).
  int n_groups() const noexcept { return n_groups_; }
  /// Number of columns of predict(): K for multi:softprob, else 1.
  int n_outputs() const noexcept;
  Index n_trees() const noexcept { return to_index(tree_offset_.size()); }
  Objective objective() const noexcept { return objective_; }
  Accumulate accumulate() const noexcept { return accumulate_; }
  SplitRule split_rule() const noexcept { return split_rule_; }
  /// base_score as given (output scale).
  double base_score() const noexcept { return base_score_; }
  /// The base margin added before the trees (base_score mapped through the link).
  double base_margin() const noexcept { return base_margin_; }
  /// Depth of the deepest tree (a lone leaf has depth 0).
  int max_depth() const noexcept;

  /// Raw margins, n x n_groups(). X is n x n_features(), NaN = missing.
  /// @param n_threads <= 0: all cores; results are identical for every thread count.
  /// @throws InvalidArgument when X has the wrong number of columns or out has the wrong shape.
  void predict_margin(ConstMatrixRef x, MatrixRef out, int n_threads = 0) const;
  void predict_margin(ConstMatrixRefF x, MatrixRef out, int n_threads = 0) const;
  RowMatrixXd predict_margin(ConstMatrixRef x, int n_threads = 0) const;
  RowMatrixXd predict_margin(ConstMatrixRefF x, int n_threads = 0) const;

  /// Transformed predictions, n x n_outputs(): probabilities, values or class indices.
  void predict(ConstMatrixRef x, MatrixRef out, int n_threads = 0) const;
  void predict(ConstMatrixRefF x, MatrixRef out, int n_threads = 0) const;
  RowMatrixXd predict(ConstMatrixRef x, int n_threads = 0) const;
  RowMatrixXd predict(ConstMatrixRefF x, int n_threads = 0) const;

  /// Raw-pointer batch entry point (C API): x is row-major n_rows x n_features(); writes
  /// n_rows x n_groups() margins (or n_outputs() transformed values) to out.
  void predict_raw(const double* x, Index n_rows, double* out, bool margin, int n_threads) const;
  void predict_raw(const float* x, Index n_rows, double* out, bool margin, int n_threads) const;

  /// One record: writes n_groups() margins or n_outputs() values to `out`. No allocation.
  void predict_one(const double* row, double* out, bool margin = false) const noexcept;
  void predict_one(const float* row, double* out, bool margin = false) const noexcept;

  /// Path-dependent TreeSHAP contributions, n x (n_groups() * (n_features() + 1)): for group g,
  /// columns [g*(F+1), g*(F+1)+F) are the features and column g*(F+1)+F is the bias (the base
  /// margin plus each tree's cover-weighted mean), as XGBoost's `pred_contribs=True`. Each
  /// group's row sums to its margin. Memory per thread is O(depth x min(depth, n_features)):
  /// each level of a tree's path holds one entry per distinct feature split on above it, so it
  /// grows linearly with depth for a given number of features (a 1,000-level tree over 2
  /// features needs about 100 KB; XGBoost's layout reserves depth^2 / 2 entries, 16 MB).
  /// @throws InvalidArgument on a wrong shape.
  RowMatrixXd explain(ConstMatrixRef x, int n_threads = 0) const;
  RowMatrixXd explain(ConstMatrixRefF x, int n_threads = 0) const;

  /// Applies the objective's transform to one row of margins (n_groups() in, n_outputs() out).
  void transform(const double* margin, double* out) const noexcept;

  /// The trees back in column form (for serialization and inspection).
  std::vector<TreeArrays> trees() const;

  /// Flat node as evaluated: children are adjacent (right = left + 1). Public for the kernels.
  struct Node {
    std::int32_t left;     ///< absolute index of the left child; right = left + 1
    std::int32_t feature;  ///< split feature, -1 for a leaf
    float threshold;       ///< float32 split threshold
    std::uint32_t info;    ///< bit 0: default left; bit 1: categorical; bits 2..: category set
  };

 private:
  Index n_features_ = 0;
  int n_groups_ = 1;
  Objective objective_ = Objective::reg_squarederror;
  Accumulate accumulate_ = Accumulate::float32;
  SplitRule split_rule_ = SplitRule::less_float32;
  std::vector<double> threshold_d_;  // per node: the threshold as given
  double base_score_ = 0.5;
  double base_margin_ = 0;
  std::vector<Node> nodes_;
  std::vector<double> value_;     // leaf value (0 for splits)
  std::vector<float> value_f_;    // the same in float32
  std::vector<double> cover_;     // per node
  std::vector<double> mean_;      // cover-weighted mean of each subtree (TreeSHAP bias)
  // Dense layout (no categorical splits, depth <= kDenseMaxDepth): every tree padded to a
  // complete tree of its depth, children implicit (2i+1, 2i+2), so a walk is exactly `depth`
  // branch-free steps. A leaf above the bottom becomes a split whose two subtrees carry the
  // same value, so the padding cannot change any output.
  struct DenseNode {
    std::uint32_t feature;  ///< bits 0..30: feature; bit 31: NaN goes right
    float threshold;
  };
  bool dense_ = false;
  std::vector<DenseNode> dense_nodes_;
  std::vector<float> dense_leaf_f_;
  std::vector<double> dense_leaf_;
  std::vector<std::int64_t> dense_offset_;       // per tree: first internal node
  std::vector<std::int32_t> dense_offset32_;     // the same as int32 (SIMD gathers), padded
  std::vector<std::int64_t> dense_leaf_offset_;  // per tree: first leaf
  void build_dense();

  std::vector<std::int32_t> tree_offset_;
  std::vector<std::int32_t> tree_depth_;
  std::vector<std::int32_t> tree_group_;
  std::vector<std::uint32_t> cat_begin_;   // per category set: offset into cat_words_
  std::vector<std::uint32_t> cat_size_;    // per category set: number of 32-bit words
  std::vector<std::uint32_t> cat_words_;   // bitsets of categories sent right

  friend struct detail::TreeKernels;
};

}  // namespace earlyhelp::models
