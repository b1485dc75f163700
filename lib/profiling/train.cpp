// SPDX-License-Identifier: Apache-2.0
// Retraining a domain's model on a council's own history (profiling/train.hpp).
#include "earlyhelp/profiling/train.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/features/events.hpp"
#include "earlyhelp/models/logistic_fit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace earlyhelp::profiling {

namespace {

// The q-quantile of sorted values (lower interpolation point, as the bands need a real score).
double quantile(const std::vector<double>& sorted, double q) {
  const auto i = static_cast<std::size_t>(std::floor(q * static_cast<double>(sorted.size() - 1)));
  return sorted[i];
}

}  // namespace

TrainedModel train_domain_model(const Domain& domain, const DomainTable& table, const TrainOptions& o) {
  const auto n = table.values.rows();
  const auto f = static_cast<Index>(domain.features().size());
  // The table's columns are the domain's features, then its groups: the fit reads the features.
  EH_CHECK(table.columns.size() >= domain.features().size() &&
               std::equal(domain.features().begin(), domain.features().end(), table.columns.begin()),
           "train_domain_model: the table's columns are not domain '{}''s features (build it with training_table)",
           domain.name());
  EH_CHECK(n > 0, "train_domain_model: domain '{}' has no row to train on (no one in its population on the dates)",
           domain.name());
  EH_CHECK(o.l2 >= 0 && std::isfinite(o.l2), "train_domain_model: l2 is {}, expected a finite value >= 0", o.l2);
  std::size_t positives = 0;
  for (auto y : table.outcome) positives += y != 0;
  EH_CHECK(positives > 0 && positives < static_cast<std::size_t>(n),
           "train_domain_model: domain '{}' has {} positive outcomes in {} rows: both outcomes are needed to train",
           domain.name(), positives, n);

  // Standardised design with missing values at the mean (z = 0), then an intercept column.
  Eigen::VectorXd center = Eigen::VectorXd::Zero(f), scale = Eigen::VectorXd::Ones(f);
  for (Index j = 0; j < f; ++j) {
    double sum = 0, sq = 0;
    Index m = 0;
    for (Index i = 0; i < n; ++i) {
      const float v = table.values(i, j);
      if (std::isnan(v)) continue;
      sum += v;
      sq += static_cast<double>(v) * v;
      ++m;
    }
    if (m == 0) continue;
    center(j) = sum / static_cast<double>(m);
    const double var = sq / static_cast<double>(m) - center(j) * center(j);
    scale(j) = var > 1e-12 ? std::sqrt(var) : 1.0;
  }
  Eigen::MatrixXd z(n, f);
  for (Index j = 0; j < f; ++j)
    for (Index i = 0; i < n; ++i) {
      const float v = table.values(i, j);
      z(i, j) = std::isnan(v) ? 0.0 : (v - center(j)) / scale(j);
    }
  Eigen::VectorXd y(n);
  for (Index i = 0; i < n; ++i) y(i) = table.outcome[static_cast<std::size_t>(i)];

  // Newton's method on the penalised log-likelihood (models/logistic_fit.hpp).
  o.progress("fit", 0, 1);
  const models::LogisticFit fit = [&] {
    try {
      return models::fit_logistic(z, y, {}, o.l2);
    } catch (const InvalidArgument&) {
      throw InvalidArgument(fmt::format("train_domain_model: domain '{}': the fit did not converge", domain.name()));
    }
  }();
  o.progress("fit", 1, 1);
  const int it = fit.iterations;

  RowMatrixXd coef(1, f);
  for (Index j = 0; j < f; ++j) coef(0, j) = fit.coef(j);
  Eigen::VectorXd intercept(1);
  intercept(0) = fit.intercept;
  models::LinearModel lm(coef, intercept, models::Link::logit, center, scale, Eigen::VectorXd::Zero(f));
  TrainedModel out{models::Model(std::move(lm), domain.features()), static_cast<std::size_t>(n), positives, it};

  std::map<std::string, std::string> labels;
  const features::FeatureSet& set = domain.feature_set();
  for (const auto& name : domain.features())
    if (const auto j = set.find(name)) labels[name] = set.features()[*j].label;
  out.model.set_labels(std::move(labels));

  RowMatrixXd x(n, f);
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < f; ++j) x(i, j) = static_cast<double>(table.values(i, j));
  const RowMatrixXd p = out.model.predict(x, o.n_threads);
  std::vector<double> sorted(p.data(), p.data() + p.size());
  std::sort(sorted.begin(), sorted.end());
  double lo = quantile(sorted, 0.90), hi = quantile(sorted, 0.98);
  if (!(hi > lo)) hi = std::nextafter(lo, 2.0);  // ties: keep the cut points ascending
  out.model.set_bands(models::RiskBands{{lo, hi}, {"low", "medium", "high"}});
  out.model.set_thresholds({{"alert", hi}});

  Date first = table.as_of.front(), last = table.as_of.front();
  for (Date d : table.as_of) {
    first = std::min(first, d);
    last = std::max(last, d);
  }
  models::ModelInfo info;
  info.name = o.name.empty() ? domain.name() + "-council" : o.name;
  info.version = o.version;
  info.domain = domain.name();
  info.training_window = fmt::format("{}..{} (as-of dates; outcomes over {} months)", format_date(first),
                                     format_date(last), domain.outcome().horizon_months);
  info.intended_use =
      "Advisory risk score for early help, trained on the council's own history (earlyhelp profile --train): "
      "a professional decides; evaluate it on a later period before use.";
  info.owner = o.owner;
  info.evaluation = {{"training_rows", static_cast<double>(n)}, {"training_positives", static_cast<double>(positives)}};
  out.model.set_info(std::move(info));
  return out;
}

TrainedModel train_domain_model(const Domain& domain, const std::string& data_dir, const features::Linkage& links,
                                const TrainOptions& o) {
  features::LoadOptions lo;
  lo.n_threads = o.n_threads;
  lo.progress = o.progress;
  const features::EventStore store = features::load_events(domain.feature_set(), data_dir, links, lo);
  return train_domain_model(domain, training_table(domain, store, o.as_of, o.evaluation_start, o.n_threads, o.progress),
                            o);
}

}  // namespace earlyhelp::profiling
