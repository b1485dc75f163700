// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// `Model`: a scoring model bundled with everything a case system needs to use it safely — its
/// feature list (bound to the schema by name), plain-language labels, calibration, risk bands,
/// alert thresholds and metadata (name, version, domain, training window, evaluation figures,
/// intended use, owner). Saved as a Boost.Serialization payload inside a verified envelope
/// (io/envelope.hpp), optionally HMAC-signed so that only approved models load.

#include "earlyhelp/core/types.hpp"
#include "earlyhelp/models/calibration.hpp"
#include "earlyhelp/models/import_xgboost.hpp"
#include "earlyhelp/models/linear.hpp"
#include "earlyhelp/models/trees.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace earlyhelp::models {

/// Who made a model, for what, and how well it did.
struct ModelInfo {
  std::string name;
  std::string version;
  std::string domain;           ///< "safeguarding", "homelessness", "asb", "debt", ...
  std::string training_window;  ///< e.g. "2019-04-01..2023-03-31"
  std::string intended_use;
  std::string owner;
  std::map<std::string, double> evaluation;  ///< e.g. {"auc": 0.81, "brier": 0.07}
};

/// One reason code: a feature pushing a score up, in plain language.
struct Reason {
  Index feature;        ///< column index
  std::string name;     ///< feature name
  std::string label;    ///< plain-language label (the name when none is known)
  double contribution;  ///< in margin units (log-odds for classifiers)
};

/// A model and its bundle. Immutable once built; const members are safe from many threads.
///
/// Example:
/// @code
/// auto x = earlyhelp::models::import_xgboost_json_file("m.json");
/// earlyhelp::models::Model m(x.ensemble, x.feature_names);
/// m.set_bands(earlyhelp::models::RiskBands{{0.1, 0.3}, {"low", "medium", "high"}});
/// m.save("risk.ehm", key);
/// auto back = earlyhelp::models::Model::load("risk.ehm", key);
/// @endcode
class Model {
 public:
  using Estimator = std::variant<TreeEnsemble, LinearModel, Scorecard>;

  /// @param feature_names empty, or one name per feature
  /// @throws InvalidArgument when the number of names does not match the estimator.
  explicit Model(Estimator estimator, std::vector<std::string> feature_names = {});

  const Estimator& estimator() const noexcept { return estimator_; }
  Index n_features() const noexcept;
  /// Margins per row (K for multi-class).
  int n_groups() const noexcept;
  /// Columns of predict().
  int n_outputs() const noexcept;
  /// "trees", "linear" or "scorecard".
  std::string_view kind() const noexcept;

  const std::vector<std::string>& feature_names() const noexcept { return feature_names_; }
  const std::map<std::string, std::string>& labels() const noexcept { return labels_; }
  const std::optional<Calibration>& calibration() const noexcept { return calibration_; }
  const RiskBands& bands() const noexcept { return bands_; }
  const std::map<std::string, double>& thresholds() const noexcept { return thresholds_; }
  const ModelInfo& info() const noexcept { return info_; }

  /// Setters validate; use them while assembling a bundle, before sharing it across threads.
  void set_feature_names(std::vector<std::string> names);
  void set_labels(std::map<std::string, std::string> labels);
  /// @throws InvalidArgument for a multi-output model or an invalid map.
  void set_calibration(std::optional<Calibration> calibration);
  void set_bands(RiskBands bands);
  void set_thresholds(std::map<std::string, double> thresholds);
  void set_info(ModelInfo info);

  /// Final predictions (calibrated when a calibration is attached), n x n_outputs().
  /// @throws InvalidArgument on a wrong number of columns.
  RowMatrixXd predict(ConstMatrixRef x, int n_threads = 0) const;
  RowMatrixXd predict(ConstMatrixRefF x, int n_threads = 0) const;
  /// Raw margins, n x n_groups().
  RowMatrixXd predict_margin(ConstMatrixRef x, int n_threads = 0) const;
  RowMatrixXd predict_margin(ConstMatrixRefF x, int n_threads = 0) const;
  /// Raw-pointer batch (C API): x is row-major n_rows x n_features(); out n_rows x n_outputs()
  /// (n_groups() with margin).
  void predict_raw(const double* x, Index n_rows, double* out, bool margin, int n_threads) const;
  /// One record; no allocation for tree models.
  void predict_one(const double* row, double* out, bool margin = false) const;
  /// Contributions, n x n_groups() * (n_features() + 1), bias last in each group (margin units).
  RowMatrixXd explain(ConstMatrixRef x, int n_threads = 0) const;
  RowMatrixXd explain(ConstMatrixRefF x, int n_threads = 0) const;
  /// Up to k features with the largest positive contributions for each row (class `group`).
  std::vector<std::vector<Reason>> reasons(ConstMatrixRef x, int k, int group = 0,
                                           int n_threads = 0) const;
  /// Band index of each final prediction (-1 when no bands are attached or NaN).
  std::vector<int> band(ConstMatrixRef x, int n_threads = 0) const;

  /// Serialised bundle (envelope + payload); signed with HMAC-SHA256 when key is non-empty.
  std::string to_bytes(std::string_view key = {}) const;
  /// @throws FormatError for a truncated, corrupt, tampered, wrong-key or unknown-version bundle.
  static Model from_bytes(std::string_view bytes, std::string_view key = {});
  /// Writes to_bytes(key) through io::OutputFile: "-" is standard output, a device or FIFO is
  /// written in place, a regular file is replaced complete or not at all.
  /// @throws IOError when the file cannot be written.
  void save(const std::string& path, std::string_view key = {}) const;
  /// @throws IOError when the file cannot be read; FormatError as from_bytes.
  static Model load(const std::string& path, std::string_view key = {});

 private:
  Estimator estimator_;
  std::vector<std::string> feature_names_;
  std::map<std::string, std::string> labels_;
  std::optional<Calibration> calibration_;
  RiskBands bands_;
  std::map<std::string, double> thresholds_;
  ModelInfo info_;
};

/// Magic bytes of a model bundle file.
inline constexpr std::string_view kModelMagic{"EHMODEL\0", 8};
/// Current bundle format version (older versions keep loading): 1 the first release; 2 adds the
/// declared encodings of linear features (FeatureEncoding).
inline constexpr std::uint32_t kModelFormatVersion = 2;

}  // namespace earlyhelp::models
