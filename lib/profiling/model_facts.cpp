// SPDX-License-Identifier: Apache-2.0
// What a model card and a transparency record say, gathered from a bundle, its evaluation and
// its domain.
#include "profiling/model_facts.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/features/definitions.hpp"
#include "earlyhelp/models/trees.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <set>
#include <variant>

namespace earlyhelp::profiling::detail {

std::string num(double v) { return governance::format_figure(v); }

Json json_number(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

namespace {

bool mentions_synthetic(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s.find("synthetic") != std::string::npos;
}

std::string estimator_text(const models::Model& model) {
  const auto& est = model.estimator();
  if (const auto* t = std::get_if<models::TreeEnsemble>(&est))
    return fmt::format("gradient-boosted decision trees: {} trees, depth at most {}, objective {}", t->n_trees(),
                       t->max_depth(), models::objective_name(t->objective()));
  if (std::holds_alternative<models::LinearModel>(est))
    return fmt::format("linear model (logistic or linear) on {} features", model.n_features());
  return fmt::format("points-based scorecard on {} features", model.n_features());
}

std::string bands_text(const models::RiskBands& b) {
  if (b.thresholds.empty()) return "";
  std::string s = b.names.front();
  for (std::size_t i = 0; i < b.thresholds.size(); ++i)
    s += fmt::format(" < {} <= {}", num(b.thresholds[i]), b.names[i + 1]);
  return s;
}

// The evaluated selection at the alert threshold (within rounding), else the first one.
const governance::SelectionMetrics* selection_at(const governance::Evaluation& e, std::optional<double> alert) {
  if (e.selections.empty()) return nullptr;
  if (alert) {
    for (const auto& s : e.selections)
      if (s.selection.kind == governance::Selection::Kind::threshold &&
          std::abs(s.selection.threshold - *alert) <= 1e-9 * std::max(1.0, std::abs(*alert)))
        return &s;
  }
  return nullptr;
}

void gather_fairness(ModelFacts& f) {
  const auto& e = f.evaluation->evaluation;
  // One gap per (grouping, rule), in the order the evaluation lists them.
  std::vector<std::pair<std::string, std::string>> order;
  for (const auto& g : e.by_group) {
    const auto key = std::make_pair(g.column, g.selection);
    if (std::find(order.begin(), order.end(), key) == order.end()) order.push_back(key);
    if (!g.judged && g.selection == e.by_group.front().selection)
      f.too_small.push_back(fmt::format("{} = {} ({})", g.column, g.group, g.note));
  }
  for (const auto& [column, selection] : order) {
    FairnessGap gap{column, selection, 0, 0, 0, 0, 0, ""};
    double lo[4] = {std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity(),
                    std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity()};
    double hi[4] = {-lo[0], -lo[0], -lo[0], -lo[0]};
    double worst_fnr = -1;
    for (const auto& g : e.by_group) {
      if (g.column != column || g.selection != selection || !g.judged) continue;
      ++gap.judged_groups;
      const double v[4] = {g.rates.precision, g.rates.false_negative_rate, g.rates.false_positive_rate,
                           g.rates.selection_rate};
      for (int i = 0; i < 4; ++i) {
        if (!std::isfinite(v[i])) continue;
        lo[i] = std::min(lo[i], v[i]);
        hi[i] = std::max(hi[i], v[i]);
      }
      if (std::isfinite(g.rates.false_negative_rate) && g.rates.false_negative_rate > worst_fnr) {
        worst_fnr = g.rates.false_negative_rate;
        gap.lowest_recall_group = g.group;
      }
    }
    if (gap.judged_groups < 2) continue;
    auto width = [&](int i) { return hi[i] >= lo[i] ? hi[i] - lo[i] : std::numeric_limits<double>::quiet_NaN(); };
    gap.precision_gap = width(0);
    gap.fnr_gap = width(1);
    gap.fpr_gap = width(2);
    gap.selection_rate_gap = width(3);
    f.gaps.push_back(gap);
  }
}

void gather_limitations(ModelFacts& f) {
  const auto& d = *f.evaluation;
  const auto& e = d.evaluation;
  auto& l = f.limitations;
  if (f.synthetic)
    l.push_back("Trained or evaluated on synthetic data only: its figures say nothing about any real council, "
                "and it is not for use on residents.");
  l.push_back(fmt::format(
      "The outcome is a recorded service event ({}), not harm itself: it reflects where services looked as "
      "well as need, so groups more often in contact with services are more often recorded, and the model "
      "learns that pattern.",
      f.outcome.empty() ? "as the evaluation defines it" : f.outcome));
  if (f.at_alert && std::isfinite(f.at_alert->rates.precision))
    l.push_back(fmt::format("At the alert threshold a share {} of the people flagged do not go on to have the outcome "
                            "(precision {}; base rate {}): an alert is a reason to look, not a finding.",
                            num(1.0 - f.at_alert->rates.precision), num(f.at_alert->rates.precision),
                            num(e.base_rate)));
  if (const auto it = d.context.find("verdict"); it != d.context.end())
    l.push_back(fmt::format("Against a simple baseline: {}.", it->second));
  if (!f.too_small.empty())
    l.push_back(fmt::format("{} group(s) were too small to judge fairness for; their rates are not reported: {}.",
                            f.too_small.size(), fmt::join(f.too_small, "; ")));
  // Gaps at the alert threshold (else the first rule evaluated): the rule a team works to.
  const std::string rule = f.at_alert ? f.at_alert->label : e.selections.empty() ? "" : e.selections.front().label;
  for (const auto& g : f.gaps) {
    if (g.selection == rule && std::isfinite(g.fnr_gap) && g.fnr_gap >= 0.05)
      l.push_back(fmt::format("By {} at {}: the false-negative rate differs by {} between groups (highest for {}): "
                              "the model misses more of that group's outcomes.",
                              g.column, g.selection, num(g.fnr_gap), g.lowest_recall_group));
  }
  l.push_back("Records are linked into persons and families before features are derived; a linkage error "
              "gives a person another's history. Check the linkage figures of the run.");
  l.push_back("The figures hold for the period and population evaluated; a model must be re-evaluated on "
              "later data before it is relied on, and retrained when they drift.");
}

}  // namespace

ModelFacts gather_facts(const models::Model& model, const governance::EvaluationDocument& evaluation,
                        const std::optional<Domain>& domain_arg) {
  ModelFacts f;
  const auto& info = model.info();
  f.name = info.name.empty() ? std::string("unnamed model") : info.name;
  f.version = info.version;
  f.domain = info.domain;
  f.training_window = info.training_window;
  f.intended_use = info.intended_use;
  f.owner = info.owner;
  f.evaluation = &evaluation;
  if (const auto it = evaluation.context.find("domain");
      it != evaluation.context.end() && !f.domain.empty() && it->second != f.domain)
    earlyhelp::detail::throw_error<InvalidArgument>(
        "model card: the evaluation is of domain '{}' but the bundle '{}' is of domain '{}'", it->second, f.name,
        f.domain);

  std::optional<Domain> domain = domain_arg;
  if (!domain) {
    const auto names = Domain::builtin_names();
    if (std::find(names.begin(), names.end(), f.domain) != names.end()) domain = Domain::builtin(f.domain);
  }
  const auto* data = evaluation.context.count("data") ? &evaluation.context.at("data") : nullptr;
  f.synthetic = mentions_synthetic(info.intended_use) || mentions_synthetic(info.training_window) ||
                (data && mentions_synthetic(*data));
  f.estimator = estimator_text(model);
  f.bands = bands_text(model.bands());
  if (const auto it = model.thresholds().find("alert"); it != model.thresholds().end()) f.alert = it->second;
  f.at_alert = selection_at(evaluation.evaluation, f.alert);

  std::set<std::string> streams_read, outcome_streams;
  const features::FeatureSet* set = domain ? &domain->feature_set() : nullptr;
  for (const auto& name : model.feature_names()) {
    FeatureFact ff{name, name, "", ""};
    if (const auto it = model.labels().find(name); it != model.labels().end()) ff.label = it->second;
    if (set) {
      if (const auto i = set->find(name)) {
        const auto& def = set->features()[*i];
        if (!def.label.empty()) ff.label = def.label;
        ff.description = def.description;
        ff.stream = def.stream;
        if (!def.stream.empty()) streams_read.insert(def.stream);
        streams_read.insert(def.streams.begin(), def.streams.end());  // records: every stream counted
      }
    }
    f.features.push_back(std::move(ff));
  }
  if (domain) {
    f.domain_known = true;
    f.domain_title = domain->title();
    f.level = std::string(features::to_string(domain->level()));
    f.population = domain->population();
    f.population_label = f.population;
    if (const auto i = set->find(f.population)) {
      const auto& def = set->features()[*i];
      f.population_label = def.description.empty() ? def.label : def.description;
      while (!f.population_label.empty() && f.population_label.back() == '.') f.population_label.pop_back();
    }
    f.horizon_months = domain->outcome().horizon_months;
    std::vector<std::string> events;
    for (const auto& ev : domain->outcome().events) {
      outcome_streams.insert(ev.stream);
      events.push_back(ev.where_json == "{}" ? fmt::format("any record of {}", ev.stream)
                                             : fmt::format("a record of {} where {}", ev.stream, ev.where_json));
    }
    f.outcome = fmt::format("{} within {} months", fmt::join(events, ", or "), f.horizon_months);
    const auto& schema = set->schema();
    std::set<std::string> all = streams_read;
    all.insert(outcome_streams.begin(), outcome_streams.end());
    for (const auto& s : all) {
      const auto* st = schema.find(s);
      if (!st) continue;
      StreamFact sf{st->name, st->title, st->owner, st->lawful_basis, st->refresh, {}, {}, outcome_streams.count(s) > 0};
      for (const auto& field : st->fields) {
        const std::string label = field.label.empty() ? field.name : field.label;
        if (field.sensitivity == schema::Sensitivity::special_category) sf.special_category.push_back(label);
        if (field.sensitivity == schema::Sensitivity::criminal_offence) sf.criminal_offence.push_back(label);
      }
      f.streams.push_back(std::move(sf));
    }
  }
  gather_fairness(f);
  gather_limitations(f);
  return f;
}

}  // namespace earlyhelp::profiling::detail
