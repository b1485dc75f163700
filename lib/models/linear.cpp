// SPDX-License-Identifier: Apache-2.0
// LinearModel, Scorecard, Calibration and RiskBands.

#include "earlyhelp/models/linear.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/types.hpp"
#include "earlyhelp/models/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace earlyhelp::models {

namespace {
using ::earlyhelp::detail::kNaN;

void softmax(const double* m, double* out, int k) noexcept {
  double wmax = m[0];
  for (int g = 1; g < k; ++g) wmax = std::max(wmax, m[g]);
  double sum = 0;
  for (int g = 0; g < k; ++g) sum += (out[g] = std::exp(m[g] - wmax));
  for (int g = 0; g < k; ++g) out[g] /= sum;
}

double sigmoid(double m) noexcept { return 1.0 / (1.0 + std::exp(-m)); }
}  // namespace

// ---- LinearModel ----------------------------------------------------------------------------

Index FeatureEncoding::width() const noexcept {
  if (encoding == Encoding::one_hot) return to_index(categories.size()) + 1;
  return missing == MissingPolicy::indicator ? 2 : 1;
}

namespace {
// The declared category index of a code, or -1 for missing / unseen.
Index category_of(double x, std::size_t n) noexcept {
  if (!(x >= 0) || x >= static_cast<double>(n) || x != std::floor(x)) return -1;
  return static_cast<Index>(x);
}
}  // namespace

LinearModel::LinearModel(RowMatrixXd coef, Eigen::VectorXd intercept, Link link,
                         Eigen::VectorXd center, Eigen::VectorXd scale, Eigen::VectorXd fill)
    : coef_(std::move(coef)), intercept_(std::move(intercept)), link_(link) {
  const Index f = coef_.cols();
  EH_CHECK(f > 0 && coef_.rows() > 0, "LinearModel: coef must be K x F with K, F >= 1 (got {}x{})",
           coef_.rows(), f);
  if (center.size() == 0) center = Eigen::VectorXd::Zero(f);
  if (scale.size() == 0) scale = Eigen::VectorXd::Ones(f);
  if (fill.size() == 0) fill = Eigen::VectorXd::Zero(f);
  EH_CHECK(center.size() == f && scale.size() == f && fill.size() == f,
           "LinearModel: center, scale and fill need {} values (got {}, {}, {})", f,
           center.size(), scale.size(), fill.size());
  encodings_.resize(to_size(f));
  for (Index j = 0; j < f; ++j) {
    auto& e = encodings_[to_size(j)];
    e.center = center[j];
    e.scale = scale[j];
    // A NaN fill has always meant "propagate".
    if (std::isnan(fill[j])) {
      e.missing = MissingPolicy::propagate;
    } else {
      e.fill = fill[j];
    }
  }
  init();
}

LinearModel::LinearModel(RowMatrixXd coef, Eigen::VectorXd intercept, Link link,
                         std::vector<FeatureEncoding> encodings)
    : coef_(std::move(coef)),
      intercept_(std::move(intercept)),
      link_(link),
      encodings_(std::move(encodings)) {
  init();
}

void LinearModel::init() {
  const Index k = coef_.rows();
  const Index f = to_index(encodings_.size());
  EH_CHECK(f > 0 && k > 0, "LinearModel: needs at least one feature and one row of coef (got {} "
           "features, {} rows)", f, k);
  EH_CHECK(intercept_.size() == k, "LinearModel: {} intercepts for {} rows of coef",
           intercept_.size(), k);
  EH_CHECK(link_ != Link::logit || k == 1, "LinearModel: a logit link has one row of coef ({})",
           k);
  EH_CHECK((link_ != Link::softmax && link_ != Link::ovr_logit) || k >= 2,
           "LinearModel: a multi-class link needs K >= 2 (got {})", k);
  EH_CHECK(coef_.allFinite() && intercept_.allFinite(),
           "LinearModel: coefficients and intercepts must be finite");
  offset_.resize(to_size(f));
  center_.resize(f);
  scale_.resize(f);
  fill_.resize(f);
  Index d = 0;
  plain_ = true;
  for (Index j = 0; j < f; ++j) {
    const auto& e = encodings_[to_size(j)];
    offset_[to_size(j)] = d;
    d += e.width();
    const bool coded = e.encoding != Encoding::numeric;
    if (coded || e.missing == MissingPolicy::indicator) plain_ = false;
    if (coded) {
      EH_CHECK(!e.categories.empty(), "LinearModel: feature {}: a {} feature needs categories", j,
               e.encoding == Encoding::one_hot ? "one-hot" : "ordinal");
      std::vector<std::string> sorted = e.categories;
      std::sort(sorted.begin(), sorted.end());
      EH_CHECK(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end(),
               "LinearModel: feature {}: duplicated category", j);
    } else {
      EH_CHECK(e.categories.empty() && e.ordinal_values.empty(),
               "LinearModel: feature {}: a numeric feature takes no categories", j);
    }
    if (e.encoding == Encoding::one_hot) {
      EH_CHECK(e.ordinal_values.empty(), "LinearModel: feature {}: ordinal_values on a one-hot feature", j);
      EH_CHECK(e.baseline.empty() || to_index(e.baseline.size()) == e.width(),
               "LinearModel: feature {}: baseline needs {} weights (categories + other), got {}",
               j, e.width(), e.baseline.size());
    } else {
      EH_CHECK(std::isfinite(e.center) && std::isfinite(e.scale) && e.scale > 0,
               "LinearModel: feature {}: center must be finite and scale positive", j);
      EH_CHECK(std::isfinite(e.fill), "LinearModel: feature {}: fill must be finite (use the "
               "propagate policy for NaN)", j);
      EH_CHECK(e.encoding != Encoding::ordinal || e.ordinal_values.empty() ||
                   e.ordinal_values.size() == e.categories.size(),
               "LinearModel: feature {}: {} ordinal values for {} categories", j,
               e.ordinal_values.size(), e.categories.size());
      EH_CHECK(e.baseline.empty() || (e.missing == MissingPolicy::indicator && e.baseline.size() == 1),
               "LinearModel: feature {}: baseline takes one value (the missing rate), and only "
               "with the indicator policy", j);
    }
    for (double v : e.ordinal_values) EH_CHECK(std::isfinite(v), "LinearModel: feature {}: ordinal values must be finite", j);
    for (double v : e.baseline) EH_CHECK(std::isfinite(v), "LinearModel: feature {}: baseline must be finite", j);
    const bool numeric_like = e.encoding != Encoding::one_hot;
    center_[j] = numeric_like ? e.center : 0.0;
    scale_[j] = numeric_like ? e.scale : 1.0;
    fill_[j] = numeric_like && e.missing == MissingPolicy::propagate
                   ? std::numeric_limits<double>::quiet_NaN()
                   : (numeric_like ? e.fill : 0.0);
  }
  EH_CHECK(coef_.cols() == d, "LinearModel: the encodings need {} coefficients per row, coef has {}",
           d, coef_.cols());
  base_ = RowMatrixXd::Zero(k, f);
  for (Index g = 0; g < k; ++g) {
    for (Index j = 0; j < f; ++j) {
      const auto& e = encodings_[to_size(j)];
      const Index c = offset_[to_size(j)];
      double b = 0;
      for (std::size_t l = 0; l < e.baseline.size(); ++l) {
        b += e.baseline[l] * coef_(g, c + to_index(l) + (e.encoding == Encoding::one_hot ? 0 : 1));
      }
      base_(g, j) = b;
    }
  }
}

double LinearModel::term(Index g, Index j, double x) const noexcept {
  const auto& e = encodings_[to_size(j)];
  const Index c = offset_[to_size(j)];
  if (e.encoding == Encoding::one_hot) {
    const Index cat = category_of(x, e.categories.size());
    return coef_(g, c + (cat < 0 ? to_index(e.categories.size()) : cat));
  }
  bool missing = std::isnan(x);
  double v = x;
  if (e.encoding == Encoding::ordinal && !missing) {
    const Index cat = category_of(x, e.categories.size());
    missing = cat < 0;
    if (!missing) v = e.ordinal_values.empty() ? static_cast<double>(cat) : e.ordinal_values[to_size(cat)];
  }
  if (!missing) return coef_(g, c) * ((v - e.center) / e.scale);
  switch (e.missing) {
    case MissingPolicy::propagate: return std::numeric_limits<double>::quiet_NaN();
    case MissingPolicy::indicator: return coef_(g, c) * e.fill + coef_(g, c + 1);
    case MissingPolicy::fill: break;
  }
  return coef_(g, c) * e.fill;
}

void LinearModel::margin_one(const double* row, double* out) const noexcept {
  const Index f = n_features();
  for (Index g = 0; g < coef_.rows(); ++g) {
    double m = intercept_[g];
    if (plain_) {
      for (Index j = 0; j < f; ++j) {
        const double z = std::isnan(row[j]) ? fill_[j] : (row[j] - center_[j]) / scale_[j];
        m += coef_(g, j) * z;
      }
    } else {
      for (Index j = 0; j < f; ++j) m += term(g, j, row[j]);
    }
    out[g] = m;
  }
}

void LinearModel::transform(const double* margin, double* out) const noexcept {
  const int k = n_groups();
  switch (link_) {
    case Link::identity:
      for (int g = 0; g < k; ++g) out[g] = margin[g];
      return;
    case Link::logit:
      out[0] = sigmoid(margin[0]);
      return;
    case Link::softmax:
      softmax(margin, out, k);
      return;
    case Link::ovr_logit: {
      double sum = 0;
      for (int g = 0; g < k; ++g) sum += (out[g] = sigmoid(margin[g]));
      for (int g = 0; g < k; ++g) out[g] /= sum;
      return;
    }
  }
}

void LinearModel::explain_one(const double* row, double* out) const noexcept {
  const Index f = n_features();
  for (Index g = 0; g < coef_.rows(); ++g) {
    double* p = out + g * (f + 1);
    double bias = intercept_[g];
    for (Index j = 0; j < f; ++j) {
      p[j] = term(g, j, row[j]) - base_(g, j);
      bias += base_(g, j);
    }
    p[f] = bias;
  }
}

// ---- Scorecard ------------------------------------------------------------------------------

Scorecard::Scorecard(std::vector<ScorecardFeature> features, double base_points,
                     double target_points, double target_odds, double points_to_double_odds)
    : features_(std::move(features)),
      base_points_(base_points),
      target_points_(target_points),
      target_odds_(target_odds),
      pdo_(points_to_double_odds) {
  EH_CHECK(!features_.empty(), "Scorecard: needs at least one feature");
  EH_CHECK(std::isfinite(base_points) && std::isfinite(target_points),
           "Scorecard: base and target points must be finite");
  EH_CHECK(target_odds > 0 && std::isfinite(target_odds),
           "Scorecard: target_odds must be positive (got {})", target_odds);
  EH_CHECK(pdo_ != 0 && std::isfinite(pdo_),
           "Scorecard: points_to_double_odds must be non-zero (got {})", pdo_);
  for (std::size_t j = 0; j < features_.size(); ++j) {
    const auto& fe = features_[j];
    EH_CHECK(fe.points.size() == fe.edges.size() + 1,
             "Scorecard: feature {}: {} edges need {} points (got {})", j, fe.edges.size(),
             fe.edges.size() + 1, fe.points.size());
    for (std::size_t i = 0; i < fe.edges.size(); ++i) {
      EH_CHECK(std::isfinite(fe.edges[i]) && (i == 0 || fe.edges[i - 1] < fe.edges[i]),
               "Scorecard: feature {}: edges must be finite and strictly ascending (edge {})", j,
               i);
    }
    for (double p : fe.points) EH_CHECK(std::isfinite(p), "Scorecard: feature {}: points must be finite", j);
    EH_CHECK(std::isfinite(fe.missing_points), "Scorecard: feature {}: missing_points must be finite", j);
  }
}

double Scorecard::feature_points(Index j, double x) const noexcept {
  const auto& fe = features_[to_size(j)];
  if (std::isnan(x)) return fe.missing_points;
  const auto bin = std::upper_bound(fe.edges.begin(), fe.edges.end(), x) - fe.edges.begin();
  return fe.points[static_cast<std::size_t>(bin)];
}

double Scorecard::points_one(const double* row) const noexcept {
  double total = base_points_;
  for (Index j = 0; j < n_features(); ++j) total += feature_points(j, row[j]);
  return total;
}

double Scorecard::points_to_margin(double points) const noexcept {
  const double factor = pdo_ / std::log(2.0);
  return (points - target_points_) / factor + std::log(target_odds_);
}

void Scorecard::margin_one(const double* row, double* out) const noexcept {
  out[0] = points_to_margin(points_one(row));
}

void Scorecard::transform(const double* margin, double* out) const noexcept {
  out[0] = sigmoid(margin[0]);
}

void Scorecard::explain_one(const double* row, double* out) const noexcept {
  const double factor = pdo_ / std::log(2.0);
  const Index f = n_features();
  for (Index j = 0; j < f; ++j) out[j] = feature_points(j, row[j]) / factor;
  out[f] = points_to_margin(base_points_);
}

// ---- Calibration ----------------------------------------------------------------------------

Calibration Calibration::platt(double a, double b, CalibrationInput input) {
  Calibration c;
  c.kind = Kind::platt;
  c.input = input;
  c.a = a;
  c.b = b;
  c.validate();
  return c;
}

Calibration Calibration::isotonic(std::vector<double> x, std::vector<double> y,
                                  CalibrationInput input) {
  Calibration c;
  c.kind = Kind::isotonic;
  c.input = input;
  c.x = std::move(x);
  c.y = std::move(y);
  c.validate();
  return c;
}

void Calibration::validate() const {
  if (kind == Kind::platt) {
    EH_CHECK(std::isfinite(a) && std::isfinite(b), "Calibration: Platt a and b must be finite");
    return;
  }
  EH_CHECK(!x.empty() && x.size() == y.size(),
           "Calibration: isotonic needs equal, non-zero numbers of knots (x {}, y {})", x.size(),
           y.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    EH_CHECK(std::isfinite(x[i]) && std::isfinite(y[i]), "Calibration: knot {} is not finite", i);
    EH_CHECK(i == 0 || (x[i - 1] < x[i] && y[i - 1] <= y[i]),
             "Calibration: isotonic knots must have ascending x and non-decreasing y (knot {})",
             i);
  }
}

double Calibration::apply(double s) const noexcept {
  if (std::isnan(s)) return kNaN;
  if (kind == Kind::platt) return 1.0 / (1.0 + std::exp(a * s + b));
  if (s <= x.front()) return y.front();
  if (s >= x.back()) return y.back();
  const auto i = static_cast<std::size_t>(std::upper_bound(x.begin(), x.end(), s) - x.begin());
  const double t = (s - x[i - 1]) / (x[i] - x[i - 1]);
  return y[i - 1] + t * (y[i] - y[i - 1]);
}

// ---- RiskBands ------------------------------------------------------------------------------

RiskBands RiskBands::quantiles(std::vector<double> scores, int n) {
  EH_CHECK(n >= 2, "RiskBands::quantiles: n must be >= 2 (got {})", n);
  EH_CHECK(!scores.empty(), "RiskBands::quantiles: no scores");
  for (double s : scores) EH_CHECK(!std::isnan(s), "RiskBands::quantiles: scores contain NaN");
  std::sort(scores.begin(), scores.end());
  RiskBands b;
  for (int i = 1; i < n; ++i) {
    // Lower quantile (numpy "lower"): a cut that is a real score.
    const auto at = static_cast<std::size_t>(
        std::floor(static_cast<double>(i) / n * static_cast<double>(scores.size() - 1)));
    const double t = scores[at];
    if (b.thresholds.empty() || t > b.thresholds.back()) b.thresholds.push_back(t);
  }
  for (std::size_t i = 0; i <= b.thresholds.size(); ++i) b.names.push_back(std::to_string(i + 1));
  return b;
}

void RiskBands::validate() const {
  EH_CHECK(names.size() == thresholds.size() + 1,
           "RiskBands: {} thresholds need {} names (got {})", thresholds.size(),
           thresholds.size() + 1, names.size());
  for (std::size_t i = 0; i < thresholds.size(); ++i) {
    EH_CHECK(std::isfinite(thresholds[i]) && (i == 0 || thresholds[i - 1] < thresholds[i]),
             "RiskBands: thresholds must be finite and strictly ascending (threshold {})", i);
  }
}

int RiskBands::band(double score) const noexcept {
  if (std::isnan(score)) return -1;
  return static_cast<int>(std::upper_bound(thresholds.begin(), thresholds.end(), score) -
                          thresholds.begin());
}

}  // namespace earlyhelp::models
