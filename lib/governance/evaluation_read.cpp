// SPDX-License-Identifier: Apache-2.0
// Reading an evaluation's JSON (the layout evaluation_report.cpp writes) back into an Evaluation.
#include "earlyhelp/governance/evaluation_report.hpp"

#include "schema/json_reader.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <string>

namespace earlyhelp::governance {
namespace {

using Json = nlohmann::ordered_json;

// One JSON object being read, with its path for errors.
class Node {
 public:
  Node(std::string_view source, const Json& j, std::string path) : source_(source), j_(j), path_(std::move(path)) {
    if (!j_.is_object()) fail(path_.empty() ? "(top level)" : path_, "an object", j_);
  }

  [[noreturn]] void fail(const std::string& where, std::string_view expected, const Json& got) const {
    earlyhelp::detail::throw_error<FormatError>("{}: {}: expected {}; got {}", source_, where, expected,
                                                schema::detail::describe(got));
  }
  std::string at(std::string_view key) const { return path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key); }
  bool has(std::string_view key) const { return j_.contains(std::string(key)); }
  const Json& get(std::string_view key) const {
    const auto it = j_.find(std::string(key));
    if (it == j_.end()) earlyhelp::detail::throw_error<FormatError>("{}: {}: missing", source_, at(key));
    return *it;
  }
  // A number, or null for NaN.
  double number(std::string_view key) const {
    const Json& v = get(key);
    if (v.is_null()) return std::numeric_limits<double>::quiet_NaN();
    if (!v.is_number()) fail(at(key), "a number or null", v);
    return v.get<double>();
  }
  Index count(std::string_view key) const {
    const Json& v = get(key);
    if (!v.is_number_integer() || v.get<long long>() < 0) fail(at(key), "a count (an integer of 0 or more)", v);
    return static_cast<Index>(v.get<long long>());
  }
  bool boolean(std::string_view key) const {
    const Json& v = get(key);
    if (!v.is_boolean()) fail(at(key), "true or false", v);
    return v.get<bool>();
  }
  std::string string(std::string_view key) const {
    const Json& v = get(key);
    if (!v.is_string()) fail(at(key), "a string", v);
    return v.get<std::string>();
  }
  // Each item of an array field as a Node.
  template <class F>
  void each(std::string_view key, F&& f) const {
    const Json& v = get(key);
    if (!v.is_array()) fail(at(key), "an array", v);
    for (std::size_t i = 0; i < v.size(); ++i) f(Node(source_, v[i], fmt::format("{}[{}]", at(key), i)));
  }
  Node child(std::string_view key) const { return Node(source_, get(key), at(key)); }
  const Json& json() const noexcept { return j_; }
  const std::string& path() const noexcept { return path_; }

 private:
  std::string_view source_;
  const Json& j_;
  std::string path_;
};

SelectionRates read_rates(const Node& n) {
  SelectionRates r;
  r.selection_rate = n.number("selection_rate");
  r.precision = n.number("precision");
  r.recall = n.number("recall");
  r.false_positive_rate = n.number("false_positive_rate");
  r.false_negative_rate = n.number("false_negative_rate");
  return r;
}

SelectionMetrics read_selection(const Node& n) {
  SelectionMetrics m;
  const std::string rule = n.string("rule");
  if (rule == "top_k") {
    m.selection.kind = Selection::Kind::top_k;
    m.selection.k = n.count("k");
  } else if (rule == "threshold") {
    m.selection.kind = Selection::Kind::threshold;
    m.selection.threshold = n.number("threshold");
  } else {
    n.fail(n.at("rule"), "\"top_k\" or \"threshold\"", n.get("rule"));
  }
  m.label = n.string("label");
  m.selected = n.number("selected");
  m.rates = read_rates(n);
  return m;
}

Verdict read_verdict(const Node& n, std::string_view key) {
  const std::string v = n.string(key);
  for (Verdict x : {Verdict::beaten, Verdict::not_beaten, Verdict::not_clearly_beaten})
    if (v == to_string(x)) return x;
  n.fail(n.at(key), "\"beaten\", \"not beaten\" or \"not clearly beaten\"", n.get(key));
}

GroupMetrics read_group(const Node& n) {
  GroupMetrics g;
  g.column = n.string("column");
  g.group = n.string("group");
  g.selection = n.string("selection");
  g.rows = n.count("rows");
  g.positives = n.count("positives");
  g.negatives = n.count("negatives");
  g.selected = n.number("selected");
  g.judged = n.boolean("judged");
  g.note = n.string("note");
  g.base_rate = n.number("base_rate");
  g.mean_score = n.number("mean_score");
  g.rates = read_rates(n);
  g.calibration_in_the_large = n.number("calibration_in_the_large");
  g.auc = n.number("auc");
  return g;
}

DifferenceInterval read_difference(const Node& n) {
  DifferenceInterval d;
  d.score = n.number("score");
  d.baseline = n.number("baseline");
  d.difference = n.number("difference");
  d.lower = n.number("lower");
  d.upper = n.number("upper");
  d.verdict = read_verdict(n, "verdict");
  return d;
}

BaselineComparison read_comparison(const Node& n) {
  BaselineComparison c;
  c.baseline = n.string("baseline");
  c.rows = n.count("rows");
  c.positives = n.count("positives");
  c.clusters = n.has("clusters") ? n.count("clusters") : 0;  // absent in files written before clusters
  c.resamples = static_cast<int>(n.count("resamples"));
  const Json& seed = n.get("seed");
  if (!seed.is_number_unsigned() && !(seed.is_number_integer() && seed.get<long long>() >= 0))
    n.fail(n.at("seed"), "an integer of 0 or more", seed);
  c.seed = seed.get<std::uint64_t>();
  c.level = n.number("level");
  c.min_difference = n.number("min_difference");
  c.verdict = read_verdict(n, "verdict");
  c.roc_auc = read_difference(n.child("roc_auc"));
  c.pr_auc = read_difference(n.child("pr_auc"));
  return c;
}

}  // namespace

EvaluationDocument evaluation_from_json(std::string_view text, std::string_view source) {
  Json j;
  try {
    j = Json::parse(text);
  } catch (const Json::parse_error& e) {
    earlyhelp::detail::throw_error<FormatError>("{}: not JSON (byte {}): expected an evaluation written by earlyhelp",
                                                source, e.byte);
  }
  const Node top(source, j, "");
  if (!j.contains("format") || j["format"] != "earlyhelp.evaluation")
    top.fail("format", "\"earlyhelp.evaluation\" (an evaluation written by earlyhelp)",
             j.contains("format") ? j["format"] : Json());
  if (top.count("version") != 1) top.fail("version", "1", top.get("version"));

  EvaluationDocument d;
  const Node context = top.child("context");
  for (const auto& [k, v] : context.json().items()) {
    if (!v.is_string()) context.fail(context.at(k), "a string", v);
    d.context[k] = v.get<std::string>();
  }
  Evaluation& e = d.evaluation;
  e.rows = top.count("rows");
  e.positives = top.count("positives");
  e.weighted = top.boolean("weighted");
  e.probabilities = top.boolean("probabilities");
  e.base_rate = top.number("base_rate");
  e.mean_score = top.number("mean_score");
  e.roc_auc = top.number("roc_auc");
  e.pr_auc = top.number("pr_auc");
  e.brier = top.number("brier");

  const Node cal = top.child("calibration");
  const std::string binning = cal.string("binning");
  if (binning != "uniform" && binning != "quantile") cal.fail(cal.at("binning"), "\"uniform\" or \"quantile\"", cal.get("binning"));
  e.options.binning = binning_from_string(binning);
  e.calibration.binning = e.options.binning;
  e.options.n_bins = static_cast<int>(cal.count("n_bins"));
  e.calibration.ece = cal.number("ece");
  cal.each("bins", [&](const Node& b) {
    CalibrationBin bin;
    bin.lower = b.number("lower");
    bin.upper = b.number("upper");
    bin.rows = b.count("rows");
    bin.weight = b.number("weight");
    bin.mean_score = b.number("mean_score");
    bin.observed_rate = b.number("observed_rate");
    e.calibration.bins.push_back(bin);
  });
  top.each("selections", [&](const Node& s) {
    e.selections.push_back(read_selection(s));
    e.options.selections.push_back(e.selections.back().selection);
  });
  const Node fairness = top.child("fairness");
  e.options.fairness.min_positives = fairness.count("min_positives");
  e.options.fairness.min_negatives = fairness.count("min_negatives");
  top.each("by_group", [&](const Node& g) { e.by_group.push_back(read_group(g)); });
  if (j.contains("baselines"))  // absent in files without a comparison
    top.each("baselines", [&](const Node& c) { e.baselines.push_back(read_comparison(c)); });
  return d;
}

EvaluationDocument evaluation_from_file(const std::string& path) {
  return evaluation_from_json(schema::detail::read_file(path, "evaluation"), path);
}

}  // namespace earlyhelp::governance
