// SPDX-License-Identifier: Apache-2.0
// Reading a risk domain's configuration (profiling/domain.hpp).
#include "earlyhelp/profiling/domain.hpp"

#include "earlyhelp/core/error.hpp"
#include "profiling/extra_features.hpp"
#include "schema/json_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace earlyhelp::detail {
std::string_view embedded_file(std::string_view name) noexcept;
}

namespace earlyhelp::profiling {

namespace {
using schema::detail::json;
using schema::detail::Reader;
const std::vector<std::string> kBuiltin{"safeguarding", "homelessness", "asb", "debt"};
}  // namespace

class DomainParser {
 public:
  DomainParser(std::string_view source, const schema::Schema& schema) : source_(source), schema_(schema) {}

  Domain parse(std::string_view text) {
    const json doc = schema::detail::parse_json(text, source_);
    const Reader top(source_, doc, "",
                     {"name", "title", "version", "description", "level", "population", "features", "outcome", "groups",
                      "definitions"});
    Domain d;
    d.name_ = top.name("name");
    d.title_ = top.string("title", false, d.name_);
    d.version_ = top.string("version", false);
    d.level_ = top.one_of("level", {"person", "family"}, true) == "family" ? features::Level::family
                                                                            : features::Level::person;
    d.outcome_ = outcome(top);
    // The outcome measures join the domain's own definitions, so the event store keeps the
    // fields their filters read; training_table sets their windows per date.
    json defs = top.has("definitions") ? top.value("definitions") : json::array();
    if (!defs.is_array())
      top.fail_at(top.at("definitions"), fmt::format("expected a list of feature definitions; got {}",
                                                     schema::detail::describe(defs)));
    for (std::size_t k = 0; k < d.outcome_.events.size(); ++k)
      defs.push_back(outcome_definition(d.name_, k, d.outcome_.events[k], 1));
    d.set_ = detail::builtin_plus(&defs, schema_, source_, "definitions");
    d.definitions_json_ = defs.dump();

    d.population_ = top.string("population", true);
    check_feature(d, top, "population", d.population_);
    if (top.has("features")) {
      d.features_ = top.strings("features", false);
      for (std::size_t i = 0; i < d.features_.size(); ++i)
        check_feature(d, top, fmt::format("features[{}]", i), d.features_[i]);
    } else {
      for (std::size_t j : d.set_.columns(d.level_)) {
        const auto& f = d.set_.features()[j];
        if (std::find(f.domains.begin(), f.domains.end(), d.name_) != f.domains.end()) d.features_.push_back(f.name);
      }
    }
    if (d.features_.empty()) top.fail_at(top.at("features"), "expected at least one feature for the domain");
    if (top.has("groups")) {
      d.groups_ = top.strings("groups", false);
      for (std::size_t i = 0; i < d.groups_.size(); ++i)
        check_feature(d, top, fmt::format("groups[{}]", i), d.groups_[i]);
    }
    return d;
  }

  /// The count feature measuring outcome event `k` over a window of `window_days`.
  static json outcome_definition(const std::string& domain, std::size_t k, const OutcomeEvent& e, int window_days) {
    json f = json::object();
    f["name"] = fmt::format("{}_outcome_{}", domain, k);
    f["kind"] = "count";
    f["stream"] = e.stream;
    f["window_days"] = window_days;
    f["where"] = json::parse(e.where_json);
    f["description"] = "Outcome events in the horizon.";
    f["template"] = "{value}";
    return f;
  }

 private:
  OutcomeSpec outcome(const Reader& top) const {
    if (!top.has("outcome")) top.fail_at("", "missing required key \"outcome\"");
    const Reader r(source_, top.value("outcome"), "outcome", {"horizon_months", "events"});
    OutcomeSpec o;
    if (!r.has("horizon_months")) r.fail_at(r.path(), "missing required key \"horizon_months\"");
    const json& h = r.value("horizon_months");
    if (!h.is_number_integer() || h.get<long long>() < 1 || h.get<long long>() > 120)
      r.fail_at(r.at("horizon_months"), fmt::format("expected a whole number of months from 1 to 120; got {}",
                                                    schema::detail::describe(h)));
    o.horizon_months = h.get<int>();
    if (!r.has("events") || !r.value("events").is_array() || r.value("events").empty())
      r.fail_at(r.at("events"), "expected a non-empty list of outcome events ({\"stream\": ..., \"where\": {...}})");
    const json& list = r.value("events");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const Reader e(source_, list[i], fmt::format("outcome.events[{}]", i), {"stream", "where"});
      OutcomeEvent ev;
      ev.stream = e.string("stream", true);
      if (schema_.find(ev.stream) == nullptr)
        e.fail_at(e.at("stream"), fmt::format("expected a stream of schema '{}'; got \"{}\"", schema_.name, ev.stream));
      ev.where_json = e.has("where") ? e.value("where").dump() : "{}";
      o.events.push_back(std::move(ev));
    }
    return o;
  }

  void check_feature(const Domain& d, const Reader& top, const std::string& path, const std::string& feature) const {
    const auto j = d.set_.find(feature);
    const std::vector<std::string> names = d.set_.column_names(d.level_);
    if (!j || std::find(names.begin(), names.end(), feature) == names.end())
      top.fail_at(path, fmt::format("expected a feature of a {} table; got \"{}\"{}", features::to_string(d.level_),
                                    feature, schema::detail::suggestion(feature, names)));
  }

  std::string_view source_;
  const schema::Schema& schema_;
};

namespace detail {
/// The definitions text of the outcome measures of `domain` over `window_days` (training_table).
std::string outcome_definitions(const Domain& domain, int window_days) {
  json doc = json::object();
  doc["name"] = domain.name() + " outcomes";
  doc["features"] = json::array();
  for (std::size_t k = 0; k < domain.outcome().events.size(); ++k)
    doc["features"].push_back(DomainParser::outcome_definition(domain.name(), k, domain.outcome().events[k], window_days));
  return doc.dump();
}
}  // namespace detail

std::vector<std::string> Domain::builtin_names() { return kBuiltin; }

Domain Domain::builtin(std::string_view name) {
  EH_CHECK(std::find(kBuiltin.begin(), kBuiltin.end(), name) != kBuiltin.end(),
           "Domain::builtin: no built-in domain '{}' (expected one of {})", name, fmt::join(kBuiltin, ", "));
  const std::string file = fmt::format("{}.domain.json", name);
  const std::string_view text = earlyhelp::detail::embedded_file(file);
  if (text.empty()) throw Error(fmt::format("Domain::builtin: {} is not embedded in this build", file));
  return from_json(text, schema::Schema::builtin(), fmt::format("{} (built-in)", file));
}

Domain Domain::from_json(std::string_view json_text, const schema::Schema& schema, std::string_view source) {
  return DomainParser(source, schema).parse(json_text);
}

Domain Domain::from_file(const std::string& path, const schema::Schema& schema) {
  return from_json(schema::detail::read_file(path, "Domain::from_file"), schema, path);
}

}  // namespace earlyhelp::profiling
