// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Calibration maps (Platt scaling, isotonic) and risk bands, attachable to any model.
///
/// Platt: J. Platt, "Probabilistic outputs for support vector machines" (1999), in the form of
/// scikit-learn's `_SigmoidCalibration`: p = 1 / (1 + exp(a * s + b)). Isotonic: a
/// non-decreasing piecewise-linear map through (x_i, y_i), clipped at both ends (scikit-learn
/// `IsotonicRegression(out_of_bounds="clip")`).

#include <string>
#include <vector>

namespace earlyhelp::models {

/// What a calibration map reads.
enum class CalibrationInput {
  margin,     ///< the model's raw margin (log-odds)
  prediction  ///< the model's uncalibrated prediction (probability)
};

/// A calibration map from a model score to a probability.
struct Calibration {
  enum class Kind { platt, isotonic };
  Kind kind = Kind::platt;
  CalibrationInput input = CalibrationInput::margin;
  double a = -1, b = 0;   ///< Platt parameters
  std::vector<double> x;  ///< isotonic knots, ascending
  std::vector<double> y;  ///< isotonic values, non-decreasing

  /// Platt map p = 1 / (1 + exp(a * s + b)).
  static Calibration platt(double a, double b, CalibrationInput input = CalibrationInput::margin);
  /// Isotonic map through (x_i, y_i).
  /// @throws InvalidArgument when x is not strictly ascending, y decreases, or sizes differ.
  static Calibration isotonic(std::vector<double> x, std::vector<double> y,
                              CalibrationInput input = CalibrationInput::prediction);

  /// Checks the invariants above. @throws InvalidArgument.
  void validate() const;
  /// Applies the map (NaN stays NaN).
  double apply(double s) const noexcept;
};

/// Risk bands over a final score: band i covers [thresholds[i-1], thresholds[i]), so a score
/// falls in band `number of thresholds <= score`; there are thresholds.size() + 1 bands.
struct RiskBands {
  std::vector<double> thresholds;  ///< ascending cut points
  std::vector<std::string> names;  ///< thresholds.size() + 1 names (e.g. "low", "medium", "high")

  /// Bands at the 1/n, 2/n, ... quantiles of `scores` named "1".."n" (ventiles: n = 20).
  /// @throws InvalidArgument when n < 2 or scores is empty or contains NaN.
  static RiskBands quantiles(std::vector<double> scores, int n);
  /// @throws InvalidArgument on unsorted thresholds or a wrong number of names.
  void validate() const;
  /// Band index of a score (-1 for NaN).
  int band(double score) const noexcept;
  bool empty() const noexcept { return names.empty(); }
};

}  // namespace earlyhelp::models
