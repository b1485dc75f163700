// SPDX-License-Identifier: Apache-2.0
// Reading a family programme's criteria (profiling/framework.hpp).
#include "earlyhelp/profiling/framework.hpp"

#include "earlyhelp/core/error.hpp"
#include "profiling/extra_features.hpp"
#include "schema/json_reader.hpp"

#include <fmt/format.h>

#include <set>
#include <utility>

namespace earlyhelp::detail {
std::string_view embedded_file(std::string_view name) noexcept;
}

namespace earlyhelp::profiling {

namespace {
constexpr std::string_view builtin_file = "troubled_families.framework.json";
using schema::detail::json;
using schema::detail::Reader;
}  // namespace

class FrameworkParser {
 public:
  FrameworkParser(std::string_view source, const schema::Schema& schema) : source_(source), schema_(schema) {}

  Framework parse(std::string_view text) {
    const json doc = schema::detail::parse_json(text, source_);
    const Reader top(source_, doc, "",
                     {"name", "title", "version", "description", "min_criteria", "criteria", "attendance", "features"});
    Framework fw;
    fw.name_ = top.name("name");
    fw.title_ = top.string("title", false, fw.name_);
    fw.version_ = top.string("version", false);
    fw.set_ = feature_set(top);
    if (top.has("features")) fw.definitions_json_ = top.value("features").dump();
    if (!top.has("criteria") || !top.value("criteria").is_array() || top.value("criteria").empty())
      top.fail_at(top.at("criteria"), "expected a non-empty list of criteria");
    const json& list = top.value("criteria");
    std::set<std::string> names;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const Reader r(source_, list[i], fmt::format("criteria[{}]", i), {"name", "label", "feature", "description"});
      Criterion c;
      c.name = r.name("name");
      c.label = r.string("label", false, c.name);
      c.feature = r.string("feature", true);
      if (!names.insert(c.name).second) r.fail_at(r.at("name"), fmt::format("expected unique names; got \"{}\" twice", c.name));
      check_criterion_feature(fw.set_, r, c.feature);
      fw.criteria_.push_back(std::move(c));
    }
    fw.min_criteria_ = static_cast<int>(fw.criteria_.size());
    if (top.has("min_criteria")) {
      const json& v = top.value("min_criteria");
      if (!v.is_number_integer() || v.get<long long>() < 1 || v.get<long long>() > static_cast<long long>(list.size()))
        top.fail_at(top.at("min_criteria"), fmt::format("expected a whole number from 1 to {} (the criteria); got {}",
                                                        list.size(), schema::detail::describe(v)));
      fw.min_criteria_ = v.get<int>();
    }
    if (top.has("attendance")) fw.attendance_ = attendance(top, fw, names);
    else fw.attendance_.criterion.clear();
    return fw;
  }

 private:
  // The built-in definitions, plus the framework's own features appended to them.
  features::FeatureSet feature_set(const Reader& top) const {
    return detail::builtin_plus(top.has("features") ? &top.value("features") : nullptr, schema_, source_);
  }

  void check_criterion_feature(const features::FeatureSet& set, const Reader& r, const std::string& name) const {
    const auto j = set.find(name);
    if (!j) {
      std::vector<std::string> all;
      for (const auto& f : set.features()) all.push_back(f.name);
      r.fail_at(r.at("feature"), fmt::format("expected a feature of the definitions; got \"{}\"{}", name,
                                             schema::detail::suggestion(name, all)));
    }
    const features::FeatureDef& f = set.features()[*j];
    if (f.level == features::Level::family && !(f.kind == features::Kind::rollup && f.plan.of))
      r.fail_at(r.at("feature"), fmt::format("expected a person feature or a family roll-up of one (\"rollup\" with "
                                             "\"of\"); got \"{}\", a family {}",
                                             name, features::to_string(f.kind)));
  }

  AttendanceSpec attendance(const Reader& top, const Framework& fw, const std::set<std::string>& names) const {
    const Reader r(source_, top.value("attendance"), "attendance",
                   {"criterion", "last", "previous", "target", "near_miss_points"});
    AttendanceSpec a;
    a.criterion = r.string("criterion", true);
    if (!names.count(a.criterion))
      r.fail_at(r.at("criterion"), fmt::format("expected the name of a criterion; got \"{}\"", a.criterion));
    a.last = r.string("last", false, a.last);
    a.previous = r.string("previous", false, a.previous);
    for (const auto* key : {"last", "previous"}) {
      const std::string& feature = std::string_view(key) == "last" ? a.last : a.previous;
      const auto j = fw.set_.find(feature);
      if (!j || fw.set_.features()[*j].level != features::Level::person)
        r.fail_at(r.at(key), fmt::format("expected a person feature of the definitions; got \"{}\"", feature));
    }
    a.target = number(r, "target", a.target, 0.0, 1.0);
    a.near_miss_points = number(r, "near_miss_points", a.near_miss_points, 0.0, 100.0);
    return a;
  }

  static double number(const Reader& r, std::string_view key, double fallback, double lo, double hi) {
    if (!r.has(key)) return fallback;
    const json& v = r.value(key);
    if (!v.is_number() || v.get<double>() < lo || v.get<double>() > hi)
      r.fail_at(r.at(key), fmt::format("expected a number from {} to {}; got {}", lo, hi, schema::detail::describe(v)));
    return v.get<double>();
  }

  std::string_view source_;
  const schema::Schema& schema_;
};

std::string_view Framework::builtin_json() {
  const std::string_view text = earlyhelp::detail::embedded_file(builtin_file);
  if (text.empty()) throw Error(fmt::format("Framework::builtin: {} is not embedded in this build", builtin_file));
  return text;
}

Framework Framework::builtin() {
  static const Framework fw = from_json(builtin_json(), schema::Schema::builtin(), fmt::format("{} (built-in)", builtin_file));
  return fw;
}

Framework Framework::from_json(std::string_view json_text, const schema::Schema& schema, std::string_view source) {
  return FrameworkParser(source, schema).parse(json_text);
}

Framework Framework::from_file(const std::string& path, const schema::Schema& schema) {
  return from_json(schema::detail::read_file(path, "Framework::from_file"), schema, path);
}

}  // namespace earlyhelp::profiling
