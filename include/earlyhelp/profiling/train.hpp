// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Retraining a domain's model on a council's own history (`earlyhelp profile --train`,
/// `earlyhelp.train_domain_model`): the training table over several as-of dates (the domain's
/// population, its features as of each date, the outcome over the following horizon derived from
/// later events in the extracts; training_table() in domain.hpp), none of whose horizons may
/// overlap the evaluation period, and an L2-regularised logistic regression fitted to it by
/// Newton's method (iteratively reweighted least squares) on standardised features, missing
/// values at the feature's mean. The bundle carries the features' labels, risk bands low / medium
/// / high at the 90th and 98th percentiles of the training scores, the alert threshold at the high
/// cut, and metadata (training window, rows, positives). Reasons are the linear contributions.
///
/// A logistic regression, not gradient boosting, because it is fitted here in C++ with Eigen and
/// needs no other library; a council with XGBoost may train its own and import it
/// (`earlyhelp model import`).
///
/// Example:
/// @code
/// using namespace earlyhelp;
/// profiling::TrainOptions o;
/// o.as_of = {*parse_date("2023-04-01"), *parse_date("2023-07-01")};
/// o.evaluation_start = parse_date("2024-04-01");
/// auto d = profiling::Domain::builtin("asb");
/// auto m = profiling::train_domain_model(d, "council/", profiling::read_linkage("persons.csv"), o);
/// m.model.save("asb.ehm");
/// @endcode

#include "earlyhelp/core/date.hpp"
#include "earlyhelp/features/load.hpp"
#include "earlyhelp/models/model.hpp"
#include "earlyhelp/profiling/domain.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace earlyhelp::profiling {

/// Options of train_domain_model().
struct TrainOptions {
  std::vector<Date> as_of;               ///< the training dates (at least one)
  std::optional<Date> evaluation_start;  ///< every training horizon must end by it
  double l2 = 1.0;                       ///< ridge penalty on the standardised coefficients
  std::string name;                      ///< bundle name (default "<domain>-council")
  std::string version = "1";
  std::string owner;
  int n_threads = 0;  ///< <= 0: all cores
  /// Progress (core/progress.hpp): "load" (streams; from a folder), "features" (training rows over
  /// every date, after each block; from a folder), "fit" (one step).
  Progress progress{};
};

/// A trained bundle and what it was trained on.
struct TrainedModel {
  models::Model model;
  std::size_t rows = 0;
  std::size_t positives = 0;
  int iterations = 0;  ///< Newton steps taken
};

/// Fits the domain's model on a training table of the domain (training_table(); its group
/// columns are not features). @throws InvalidArgument when the table is not the domain's, has no
/// row, or only one outcome class.
TrainedModel train_domain_model(const Domain& domain, const DomainTable& table, const TrainOptions& options);

/// Reads the extracts, builds the training table (training_table) and fits the model.
/// @throws as training_table and features::load_events.
TrainedModel train_domain_model(const Domain& domain, const std::string& data_dir, const features::Linkage& links,
                                const TrainOptions& options);

}  // namespace earlyhelp::profiling
