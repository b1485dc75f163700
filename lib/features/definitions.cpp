// SPDX-License-Identifier: Apache-2.0
// Feature definitions: parsing and checking JSON against the schema. Every error names the
// source, the JSON path and what was expected, e.g.
//   my.features.json: features[4].where.risk_level[0]: expected one of standard, medium, high
//   (the categories of police_domestic_abuse.risk_level); got "hihg" (did you mean "high"?)

#include "earlyhelp/features/definitions.hpp"

#include "features/templates.hpp"
#include "schema/json_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <utility>

namespace earlyhelp::detail {
std::string_view embedded_file(std::string_view name) noexcept;
}

namespace earlyhelp::features {

using schema::Field;
using schema::FieldType;
using schema::Missing;
using schema::Stream;
using schema::detail::describe;
using schema::detail::join;
using schema::detail::Reader;
using schema::detail::suggestion;
using json = schema::detail::json;
using detail::Stat;

namespace {

constexpr std::string_view builtin_file = "council.features.json";

const std::vector<std::string_view> top_keys{"name", "version", "description", "streams", "features"};
const std::vector<std::string_view> stream_time_keys{"end_field"};
const std::vector<std::string_view> kind_names{"count",     "aggregate", "days_since", "ratio",      "trend", "change",
                                               "attribute", "state",     "rollup",     "count_true", "rule",  "records"};
const std::vector<std::string_view> common_keys{"name", "kind", "label", "description", "template", "format", "domains",
                                                "alerting"};
const std::vector<std::string_view> domain_names{"safeguarding", "homelessness", "asb", "debt", "troubled_families"};
const std::vector<std::string_view> function_names{"sum", "mean", "min", "max", "first", "last"};
const std::vector<std::string_view> op_names{"<", "<=", ">", ">=", "==", "!="};
const std::vector<std::string_view> missing_names{"propagate", "zero", "skip"};
const std::vector<std::string_view> change_names{"first_ever", "new", "changed", "doubled"};
const std::vector<std::string_view> attribute_names{"age", "age_band", "sex"};
const std::vector<std::string_view> rollup_names{"any_adult",     "any_child", "any_member", "count_adults", "count_children",
                                                 "count_members", "max",       "min",        "sum"};
const std::vector<std::string_view> format_names{"integer", "number", "percent", "percentage_points", "flag", "gbp", "band"};

// Keys each kind takes besides the common ones.
const std::map<std::string_view, std::vector<std::string_view>>& kind_keys() {
  static const std::map<std::string_view, std::vector<std::string_view>> keys{
      {"count", {"stream", "where", "window_days", "undated", "missing"}},
      {"aggregate",
       {"stream", "field", "function", "where", "window_days", "events", "offset_events", "latest_per", "undated",
        "missing"}},
      {"days_since", {"stream", "where", "window_days", "from", "missing"}},
      {"ratio",
       {"stream", "numerator", "denominator", "per_event", "where", "window_days", "events", "offset_events",
        "missing"}},
      {"trend",
       {"stream", "field", "function", "numerator", "denominator", "where", "window_days", "events", "compare",
        "missing"}},
      {"change",
       {"change", "stream", "where", "window_days", "lookback_days", "field", "function", "latest_per", "factor",
        "missing"}},
      {"attribute", {"attribute", "bands", "equals", "undated"}},
      {"state", {"stream", "where", "window_days", "undated", "missing"}},
      {"rollup", {"rollup", "of"}},
      {"count_true", {"features"}},
      {"rule", {"any", "all"}},
      {"records", {"streams", "excluded_streams", "window_days", "window_months"}},
  };
  return keys;
}

std::vector<std::string_view> names_of(const std::vector<Field>& fields) {
  std::vector<std::string_view> out;
  for (const auto& f : fields) out.push_back(f.name);
  return out;
}

bool is_numeric(FieldType t) noexcept {
  return t == FieldType::integer || t == FieldType::floating || t == FieldType::boolean;
}
bool is_dated(FieldType t) noexcept { return t == FieldType::date || t == FieldType::datetime; }

std::size_t index_in(const std::vector<std::string_view>& names, std::string_view s) {
  return static_cast<std::size_t>(std::find(names.begin(), names.end(), s) - names.begin());
}

}  // namespace

// Reads one definitions file into a FeatureSet (a friend: it fills the private members).
class FeatureSetParser {
 public:
  FeatureSetParser(std::string_view source, const schema::Schema& schema) : source_(source) {
    set_.schema_ = schema;
  }

  FeatureSet parse(std::string_view text) {
    const json root = schema::detail::parse_json(text, source_);
    const Reader r(source_, root, "", top_keys);
    set_.name_ = r.string("name", true);
    set_.version_ = r.string("version", false);
    r.string("description", false);
    if (r.has("streams")) read_stream_times(r);
    if (!r.has("features")) r.fail_at("", "missing required key \"features\"");
    const json& features = r.value("features");
    if (!features.is_array() || features.empty())
      r.fail_at("features", fmt::format("expected a non-empty list of features; got {}", describe(features)));
    for (std::size_t i = 0; i < features.size(); ++i) read_feature(features[i], fmt::format("features[{}]", i));
    for (std::size_t i = 0; i < features.size(); ++i) read_template(fmt::format("features[{}]", i), i);
    return std::move(set_);
  }

 private:
  const schema::Schema& sch() const noexcept { return set_.schema_; }

  // Throws as Reader::fail_at does, where no Reader can be built (a value that is not an object).
  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    throw SchemaError(fmt::format("{}: {}: {}", source_, path, what));
  }

  // ---- streams and fields ------------------------------------------------------------------

  void read_stream_times(const Reader& top) {
    const json& v = top.value("streams");
    if (!v.is_object()) top.fail_at("streams", fmt::format("expected an object of stream names; got {}", describe(v)));
    for (const auto& item : v.items()) {
      const std::string path = fmt::format("streams.{}", item.key());
      const Stream* s = sch().find(item.key());
      if (s == nullptr) {
        std::vector<std::string_view> names;
        for (const auto& st : sch().streams) names.push_back(st.name);
        top.fail_at(path, fmt::format("expected the name of a stream of the schema \"{}\"{}", sch().name,
                                      suggestion(item.key(), names)));
      }
      const Reader r(source_, item.value(), path, stream_time_keys);
      StreamTime t;
      t.stream = s->name;
      if (r.has("end_field")) {
        const std::size_t f = field_ref(r, "end_field", *s);
        if (!is_dated(s->fields[f].type) || s->fields[f].name == s->event_date_field)
          r.fail_at(r.at("end_field"), fmt::format("expected a date field other than the event date ({}); got \"{}\" ({})",
                                                    s->event_date_field, s->fields[f].name,
                                                    schema::to_string(s->fields[f].type)));
        t.end_field = f;
      }
      set_.stream_times_.push_back(std::move(t));
    }
  }

  std::size_t stream_ref(const Reader& r) const {
    const std::string name = r.string("stream", true);
    std::vector<std::string_view> names;
    for (std::size_t i = 0; i < sch().streams.size(); ++i) {
      if (sch().streams[i].name == name) {
        if (sch().streams[i].event_date_field.empty())
          r.fail_at(r.at("stream"), fmt::format("expected a stream with an event_date_field (features are placed "
                                                "in time); got \"{}\", which has none",
                                                name));
        return i;
      }
      names.push_back(sch().streams[i].name);
    }
    r.fail_at(r.at("stream"), fmt::format("expected the name of a stream of the schema \"{}\"; got \"{}\"{}",
                                          sch().name, name, suggestion(name, names)));
  }

  // The index of the field named by `key` in stream `s`.
  std::size_t field_ref(const Reader& r, std::string_view key, const Stream& s) const {
    const std::string name = r.string(key, true);
    if (const Field* f = s.find(name)) return static_cast<std::size_t>(f - s.fields.data());
    const auto names = names_of(s.fields);
    r.fail_at(r.at(key), fmt::format("expected a field of stream \"{}\" ({}); got \"{}\"{}", s.name, join(names), name,
                                     suggestion(name, names)));
  }

  std::size_t numeric_field_ref(const Reader& r, std::string_view key, const Stream& s) const {
    const std::size_t f = field_ref(r, key, s);
    const Field& fd = s.fields[f];
    if (!is_numeric(fd.type))
      r.fail_at(r.at(key), fmt::format("expected a numeric field (integer, float or boolean) of stream \"{}\"; "
                                       "got \"{}\" ({})",
                                       s.name, fd.name, schema::to_string(fd.type)));
    return f;
  }

  // A field whose values are compared for equality (a key or an address): not a date, not a float.
  std::size_t key_field_ref(const Reader& r, std::string_view key, const Stream& s) const {
    const std::size_t f = field_ref(r, key, s);
    const FieldType t = s.fields[f].type;
    if (is_dated(t) || t == FieldType::floating)
      r.fail_at(r.at(key), fmt::format("expected a field whose values identify something (identifier, text, "
                                       "category or integer); got \"{}\" ({})",
                                       s.fields[f].name, schema::to_string(t)));
    return f;
  }

  // ---- numbers -----------------------------------------------------------------------------

  int whole(const Reader& r, std::string_view key, int lo, int hi, int fallback) const {
    if (!r.has(key)) return fallback;
    const json& v = r.value(key);
    if (!v.is_number_integer() || v.get<std::int64_t>() < lo || v.get<std::int64_t>() > hi)
      r.fail_at(r.at(key), fmt::format("expected a whole number from {} to {}; got {}", lo, hi, describe(v)));
    return static_cast<int>(v.get<std::int64_t>());
  }

  double number(const Reader& r, const json& v, const std::string& path) const {
    if (!v.is_number() || !std::isfinite(v.get<double>()))
      r.fail_at(path, fmt::format("expected a number; got {}", describe(v)));
    return v.get<double>();
  }

  Op op(const Reader& r, const std::string& text, const std::string& path) const {
    const std::size_t i = index_in(op_names, text);
    if (i == op_names.size())
      r.fail_at(path, fmt::format("expected an operator, one of {}; got \"{}\"", join(op_names), text));
    return static_cast<Op>(i);
  }

  // ---- filters and measures ----------------------------------------------------------------

  Missing missing_override(const Reader& r, Missing fallback) const {
    if (!r.has("missing")) return fallback;
    const std::string s = r.one_of("missing", missing_names, false);
    return *schema::parse_missing(s);
  }

  void read_where(const Reader& r, const Stream& s, detail::Measure& m, std::optional<Missing> override_missing) const {
    if (!r.has("where")) return;
    const json& w = r.value("where");
    const std::string wp = r.at("where");
    if (!w.is_object()) r.fail_at(wp, fmt::format("expected an object of field conditions; got {}", describe(w)));
    for (const auto& item : w.items()) {
      const std::string path = fmt::format("{}.{}", wp, item.key());
      const Field* f = s.find(item.key());
      if (f == nullptr) {
        const auto names = names_of(s.fields);
        r.fail_at(path, fmt::format("expected a field of stream \"{}\" ({}){}", s.name, join(names),
                                    suggestion(item.key(), names)));
      }
      detail::Filter flt;
      flt.field = static_cast<std::size_t>(f - s.fields.data());
      flt.missing = override_missing.value_or(f->missing);
      const json& v = item.value();
      if (f->type == FieldType::category) {
        if (!v.is_array() || v.empty())
          r.fail_at(path, fmt::format("expected a non-empty list of categories of {}.{} ({}); got {}", s.name, f->name,
                                      join(std::vector<std::string_view>(f->categories.begin(), f->categories.end())),
                                      describe(v)));
        flt.test = detail::Filter::Test::categories;
        flt.allowed.assign(f->categories.size(), false);
        for (std::size_t k = 0; k < v.size(); ++k) {
          const std::string p = fmt::format("{}[{}]", path, k);
          const std::vector<std::string_view> cats(f->categories.begin(), f->categories.end());
          if (!v[k].is_string())
            r.fail_at(p, fmt::format("expected a category of {}.{} ({}); got {}", s.name, f->name, join(cats),
                                     describe(v[k])));
          const std::string c = v[k].get<std::string>();
          const std::size_t ci = index_in(cats, c);
          if (ci == cats.size())
            r.fail_at(p, fmt::format("expected one of {} (the categories of {}.{}); got \"{}\"{}", join(cats), s.name,
                                     f->name, c, suggestion(c, cats)));
          flt.allowed[ci] = true;
        }
        m.where.push_back(std::move(flt));
      } else if (f->type == FieldType::boolean) {
        if (!v.is_boolean())
          r.fail_at(path, fmt::format("expected true or false ({}.{} is a boolean field); got {}", s.name, f->name,
                                      describe(v)));
        flt.test = detail::Filter::Test::boolean;
        flt.flag = v.get<bool>();
        m.where.push_back(std::move(flt));
      } else if (f->type == FieldType::integer || f->type == FieldType::floating) {
        if (!v.is_object() || v.empty())
          r.fail_at(path, fmt::format("expected an object of comparisons such as {{\">=\": 4}} ({}.{} is a number); "
                                      "got {}",
                                      s.name, f->name, describe(v)));
        for (const auto& cmp : v.items()) {
          const std::string p = fmt::format("{}.{}", path, cmp.key());
          detail::Filter c = flt;
          c.test = detail::Filter::Test::compare;
          c.op = op(r, cmp.key(), p);
          c.value = number(r, cmp.value(), p);
          m.where.push_back(std::move(c));
        }
      } else {
        r.fail_at(path, fmt::format("expected a category, boolean, integer or float field to filter on; {}.{} is {}",
                                    s.name, f->name, schema::to_string(f->type)));
      }
    }
  }

  // The window / events selection keys shared by several kinds.
  void read_selection(const Reader& r, detail::Measure& m, bool events_allowed) const {
    m.window_days = whole(r, "window_days", 1, 36500, 0);
    if (events_allowed) {
      m.events = whole(r, "events", 1, 1000, 0);
      m.offset_events = whole(r, "offset_events", 0, 1000, 0);
      if (m.offset_events > 0 && m.events == 0)
        r.fail_at(r.at("offset_events"), "expected \"events\" with \"offset_events\" (the events skipped come "
                                         "before the ones counted)");
    }
  }

  void read_undated(const Reader& r, detail::Measure& m) const {
    m.undated = r.boolean("undated", false);
    if (m.undated && m.window_days > 0)
      r.fail_at(r.at("undated"), "expected no \"undated\": true with a window (a record without a date cannot be "
                                 "placed in a window)");
  }

  void read_end_field(detail::Measure& m) const {
    for (const auto& t : set_.stream_times_)
      if (t.stream == sch().streams[m.stream].name) m.end_field = t.end_field;
  }

  // A measure's statistic from "field"+"function" (aggregate), "numerator"+"denominator"
  // (ratio) or neither (count).
  void read_stat(const Reader& r, const Stream& s, detail::Measure& m, Missing* policy) const {
    const bool has_fn = r.has("function") || r.has("field");
    const bool has_ratio = r.has("numerator") || r.has("denominator");
    if (has_fn && has_ratio)
      r.fail_at(r.path(), "expected either \"field\" and \"function\" or \"numerator\" and \"denominator\", not both");
    if (has_fn) {
      if (!r.has("field")) r.fail_at(r.path(), "missing required key \"field\" (with \"function\")");
      if (!r.has("function")) r.fail_at(r.path(), "missing required key \"function\" (with \"field\")");
      m.field = numeric_field_ref(r, "field", s);
      m.stat = static_cast<Stat>(static_cast<int>(Stat::sum) +
                                 static_cast<int>(index_in(function_names, r.one_of("function", function_names, false))));
      m.field_missing = policy ? *policy : s.fields[m.field].missing;
    } else if (has_ratio) {
      m.field = numeric_field_ref(r, "numerator", s);
      m.field2 = numeric_field_ref(r, "denominator", s);
      m.field_missing = policy ? *policy : s.fields[m.field].missing;
      m.field2_missing = policy ? *policy : s.fields[m.field2].missing;
      m.stat = Stat::ratio;
    } else {
      m.stat = Stat::count;
    }
  }

  // ---- rules and references ----------------------------------------------------------------

  std::size_t feature_ref(const Reader& r, const json& v, const std::string& path) const {
    if (!v.is_string()) r.fail_at(path, fmt::format("expected the name of a feature defined above; got {}", describe(v)));
    const std::string name = v.get<std::string>();
    for (std::size_t i = 0; i < set_.features_.size(); ++i)
      if (set_.features_[i].name == name) return i;
    std::vector<std::string_view> names;
    for (const auto& f : set_.features_) names.push_back(f.name);
    r.fail_at(path, fmt::format("expected the name of a feature defined above this one; got \"{}\"{}", name,
                                suggestion(name, names)));
  }

  detail::Rule read_rule(const Reader& parent, const json& list, const std::string& path, bool all, Level& level,
                         bool& level_set) const {
    if (!list.is_array() || list.empty())
      parent.fail_at(path, fmt::format("expected a non-empty list of conditions; got {}", describe(list)));
    detail::Rule rule;
    rule.all = all;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string p = fmt::format("{}[{}]", path, i);
      const json& c = list[i];
      if (c.is_object() && (c.contains("any") || c.contains("all"))) {
        const Reader sub(source_, c, p, {"any", "all"});
        if (c.size() != 1) sub.fail_at(p, "expected exactly one of \"any\" or \"all\"");
        const bool sub_all = c.contains("all");
        rule.rules.push_back(read_rule(sub, sub.value(sub_all ? "all" : "any"), sub.at(sub_all ? "all" : "any"), sub_all,
                                       level, level_set));
        continue;
      }
      const Reader cr(source_, c, p, {"feature", "op", "value"});
      if (!cr.has("feature")) cr.fail_at(p, "missing required key \"feature\"");
      if (!cr.has("op")) cr.fail_at(p, "missing required key \"op\"");
      if (!cr.has("value")) cr.fail_at(p, "missing required key \"value\"");
      detail::Condition cond;
      cond.feature = feature_ref(cr, cr.value("feature"), cr.at("feature"));
      cond.op = op(cr, cr.string("op", true), cr.at("op"));
      cond.value = number(cr, cr.value("value"), cr.at("value"));
      same_level(cr, cr.at("feature"), cond.feature, level, level_set);
      rule.conditions.push_back(cond);
    }
    return rule;
  }

  void same_level(const Reader& r, const std::string& path, std::size_t feature, Level& level, bool& level_set) const {
    const Level l = set_.features_[feature].level;
    if (level_set && l != level)
      r.fail_at(path, fmt::format("expected a {}-level feature like the others; got \"{}\" ({} level)", to_string(level),
                                  set_.features_[feature].name, to_string(l)));
    level = l;
    level_set = true;
  }

  // ---- one feature -------------------------------------------------------------------------

  void read_feature(const json& j, const std::string& path) {
    if (!j.is_object()) fail(path, fmt::format("expected an object; got {}", describe(j)));
    if (!j.contains("kind")) fail(path, "missing required key \"kind\"");
    std::string kind_name;
    {
      // Read the kind first: it decides which keys are allowed.
      const json only_kind = json::object({{"kind", j.at("kind")}});
      const Reader k(source_, only_kind, path, {"kind"});
      kind_name = k.one_of("kind", kind_names, false);
    }
    std::vector<std::string_view> allowed = common_keys;
    for (auto key : kind_keys().at(kind_name)) allowed.push_back(key);
    const Reader r(source_, j, path, allowed);

    FeatureDef f;
    f.name = r.name("name");
    for (const auto& other : set_.features_)
      if (other.name == f.name)
        r.fail_at(r.at("name"), fmt::format("expected a unique feature name; got \"{}\" again", f.name));
    f.kind = static_cast<Kind>(index_in(kind_names, kind_name));
    f.description = r.string("description", true);
    f.label = r.string("label", false);
    if (f.label.empty()) {
      f.label = f.name;
      std::replace(f.label.begin(), f.label.end(), '_', ' ');
    }
    f.template_text = r.string("template", true);
    if (r.has("domains")) {
      f.domains = r.strings("domains", false);
      for (std::size_t i = 0; i < f.domains.size(); ++i)
        if (index_in(domain_names, f.domains[i]) == domain_names.size())
          r.fail_at(fmt::format("{}[{}]", r.at("domains"), i),
                    fmt::format("expected one of {}; got \"{}\"{}", join(domain_names), f.domains[i],
                                suggestion(f.domains[i], domain_names)));
    }
    f.alerting = r.boolean("alerting", false);

    Format default_format = Format::number;
    detail::Plan& p = f.plan;
    detail::Measure& m = p.measure;
    std::optional<Missing> policy;
    if (r.has("missing")) policy = missing_override(r, Missing::propagate);
    Missing* pol = policy ? &*policy : nullptr;

    auto stream_of = [&]() -> const Stream& {
      m.stream = stream_ref(r);
      f.stream = sch().streams[m.stream].name;
      read_end_field(m);
      return sch().streams[m.stream];
    };

    switch (f.kind) {
      case Kind::count: {
        const Stream& s = stream_of();
        read_selection(r, m, false);
        read_undated(r, m);
        read_where(r, s, m, policy);
        m.stat = Stat::count;
        default_format = Format::integer;
        break;
      }
      case Kind::aggregate: {
        const Stream& s = stream_of();
        read_selection(r, m, true);
        read_undated(r, m);
        read_where(r, s, m, policy);
        if (!r.has("field")) r.fail_at(path, "missing required key \"field\"");
        if (!r.has("function")) r.fail_at(path, "missing required key \"function\"");
        read_stat(r, s, m, pol);
        if (r.has("latest_per")) m.latest_per = key_field_ref(r, "latest_per", s);
        default_format = s.fields[m.field].unit.rfind("GBP", 0) == 0 ? Format::gbp : Format::number;
        break;
      }
      case Kind::days_since: {
        const Stream& s = stream_of();
        read_selection(r, m, false);
        read_where(r, s, m, policy);
        const std::string from = r.has("from") ? r.one_of("from", {"last", "first"}, false) : "last";
        m.stat = from == "first" ? Stat::days_since_first : Stat::days_since_last;
        default_format = Format::integer;
        break;
      }
      case Kind::ratio: {
        const Stream& s = stream_of();
        read_selection(r, m, true);
        read_where(r, s, m, policy);
        if (!r.has("numerator")) r.fail_at(path, "missing required key \"numerator\"");
        if (!r.has("denominator")) r.fail_at(path, "missing required key \"denominator\"");
        read_stat(r, s, m, pol);
        if (r.has("per_event")) {
          const std::string pe = r.one_of("per_event", {"min", "max"}, false);
          m.stat = pe == "min" ? Stat::ratio_min : Stat::ratio_max;
        }
        default_format = Format::percent;
        break;
      }
      case Kind::trend: {
        const Stream& s = stream_of();
        read_selection(r, m, true);
        read_where(r, s, m, policy);
        read_stat(r, s, m, pol);
        if (m.window_days == 0 && m.events == 0)
          r.fail_at(path, "expected \"window_days\" or \"events\" (a trend compares one window, or the last N events, "
                          "with the one before)");
        if (m.window_days > 0 && m.events > 0)
          r.fail_at(path, "expected either \"window_days\" or \"events\", not both (the period compared)");
        p.compare_ratio = r.has("compare") && r.one_of("compare", {"difference", "ratio"}, false) == "ratio";
        default_format = p.compare_ratio ? Format::number
                         : m.stat == Stat::ratio ? Format::percentage_points
                         : m.stat == Stat::count ? Format::integer
                                                 : (s.fields[m.field].unit.rfind("GBP", 0) == 0 ? Format::gbp : Format::number);
        break;
      }
      case Kind::change: read_change(r, f, stream_of, policy, pol); default_format = Format::flag; break;
      case Kind::attribute: default_format = read_attribute(r, f); break;
      case Kind::state: {
        const Stream& s = stream_of();
        read_selection(r, m, false);
        read_undated(r, m);
        read_where(r, s, m, policy);
        if (m.end_field && m.window_days > 0)
          r.fail_at(r.at("window_days"), fmt::format("expected no window on an episode stream (\"{}\" has an end "
                                                     "field: an episode is open or not on the date)",
                                                     s.name));
        default_format = Format::flag;
        break;
      }
      case Kind::rollup: {
        f.level = Level::family;
        if (!r.has("rollup")) r.fail_at(path, "missing required key \"rollup\"");
        const std::string rn = r.one_of("rollup", rollup_names, false);
        p.rollup = static_cast<detail::Rollup>(index_in(rollup_names, rn));
        const bool counting = p.rollup == detail::Rollup::count_adults || p.rollup == detail::Rollup::count_children ||
                              p.rollup == detail::Rollup::count_members;
        const bool any = p.rollup == detail::Rollup::any_adult || p.rollup == detail::Rollup::any_child ||
                         p.rollup == detail::Rollup::any_member;
        if (!r.has("of")) {
          if (!counting && !any)
            r.fail_at(path, fmt::format("missing required key \"of\" (the person feature to take the {} of)", rn));
          default_format = counting ? Format::integer : Format::flag;
          break;
        }
        p.of = feature_ref(r, r.value("of"), r.at("of"));
        const FeatureDef& of = set_.features_[*p.of];
        if (of.level != Level::person)
          r.fail_at(r.at("of"), fmt::format("expected a person-level feature to roll up over the members; got \"{}\" "
                                            "(family level)",
                                            of.name));
        default_format = counting ? Format::integer : any ? Format::flag : of.format;
        if (default_format == Format::band) p.bands = of.plan.bands;
        break;
      }
      case Kind::count_true: {
        if (!r.has("features")) r.fail_at(path, "missing required key \"features\"");
        const json& list = r.value("features");
        if (!list.is_array() || list.empty())
          r.fail_at(r.at("features"), fmt::format("expected a non-empty list of feature names; got {}", describe(list)));
        bool level_set = false;
        for (std::size_t i = 0; i < list.size(); ++i) {
          const std::string fp = fmt::format("{}[{}]", r.at("features"), i);
          p.inputs.push_back(feature_ref(r, list[i], fp));
          same_level(r, fp, p.inputs.back(), f.level, level_set);
        }
        default_format = Format::integer;
        break;
      }
      case Kind::records: read_records(r, f); default_format = Format::integer; break;
      case Kind::rule: {
        if (r.has("any") == r.has("all")) r.fail_at(path, "expected exactly one of \"any\" or \"all\"");
        const bool all = r.has("all");
        bool level_set = false;
        p.rule = read_rule(r, r.value(all ? "all" : "any"), r.at(all ? "all" : "any"), all, f.level, level_set);
        default_format = Format::flag;
        break;
      }
    }
    f.format = default_format;
    if (r.has("format")) {
      f.format = static_cast<Format>(index_in(format_names, r.one_of("format", format_names, false)));
      if (f.format == Format::band && p.bands.empty())
        r.fail_at(r.at("format"), "expected \"band\" only on an age band (or a roll-up of one)");
    }
    set_.features_.push_back(std::move(f));
  }

  // A records feature: the streams it counts (every dated stream, or `streams`, less
  // `excluded_streams`) and its window (days, or calendar months as the alerts' contact rule).
  void read_records(const Reader& r, FeatureDef& f) const {
    detail::Measure& m = f.plan.measure;
    m.window_days = whole(r, "window_days", 1, 36500, 0);
    f.plan.window_months = whole(r, "window_months", 1, 1200, 0);
    if ((m.window_days == 0) == (f.plan.window_months == 0))
      r.fail_at(r.path(), "expected exactly one of \"window_days\" or \"window_months\" (the records counted are recent)");
    std::vector<std::string_view> all;
    for (const auto& s : sch().streams) all.push_back(s.name);
    auto named = [&](std::string_view key) {
      std::vector<std::size_t> out;
      const std::vector<std::string> list = r.strings(key, false);
      for (std::size_t i = 0; i < list.size(); ++i) {
        const std::size_t k = index_in(all, list[i]);
        if (k == all.size())
          r.fail_at(fmt::format("{}[{}]", r.at(key), i),
                    fmt::format("expected the name of a stream of the schema \"{}\"; got \"{}\"{}", sch().name, list[i],
                                suggestion(list[i], all)));
        out.push_back(k);
      }
      return out;
    };
    std::vector<std::size_t> chosen;
    if (r.has("streams")) {
      chosen = named("streams");
      for (std::size_t i = 0; i < chosen.size(); ++i)
        if (sch().streams[chosen[i]].event_date_field.empty())
          r.fail_at(fmt::format("{}[{}]", r.at("streams"), i),
                    fmt::format("expected a stream with an event_date_field (records are counted in a window); got "
                                "\"{}\", which has none",
                                all[chosen[i]]));
    } else {
      for (std::size_t k = 0; k < all.size(); ++k)
        if (!sch().streams[k].event_date_field.empty()) chosen.push_back(k);
    }
    const std::vector<std::size_t> excluded = r.has("excluded_streams") ? named("excluded_streams") : std::vector<std::size_t>{};
    std::sort(chosen.begin(), chosen.end());
    chosen.erase(std::unique(chosen.begin(), chosen.end()), chosen.end());
    chosen.erase(std::remove_if(chosen.begin(), chosen.end(),
                                [&](std::size_t k) { return std::find(excluded.begin(), excluded.end(), k) != excluded.end(); }),
                 chosen.end());
    if (chosen.empty()) r.fail_at(r.path(), "expected at least one stream to count (every one is excluded)");
    f.plan.streams = chosen;
    for (std::size_t k : chosen) f.streams.emplace_back(all[k]);
  }

  void read_change(const Reader& r, FeatureDef& f, const std::function<const Stream&()>& stream_of,
                   std::optional<Missing> policy, Missing* pol) const {
    detail::Plan& p = f.plan;
    detail::Measure& m = p.measure;
    if (!r.has("change")) r.fail_at(r.path(), "missing required key \"change\"");
    const std::string cn = r.one_of("change", change_names, false);
    p.change = static_cast<detail::Change>(index_in(change_names, cn));
    const Stream& s = stream_of();
    read_selection(r, m, false);
    read_where(r, s, m, policy);
    auto forbid = [&](std::string_view key) {
      if (r.has(key)) r.fail_at(r.at(key), fmt::format("expected no \"{}\" for change \"{}\"", key, cn));
    };
    switch (p.change) {
      case detail::Change::first_ever:
      case detail::Change::new_event:
      case detail::Change::changed:
        if (m.window_days == 0)
          r.fail_at(r.path(), fmt::format("missing required key \"window_days\" (the period in which change \"{}\" "
                                          "happened)",
                                          cn));
        forbid("function");
        forbid("latest_per");
        forbid("factor");
        if (p.change == detail::Change::changed) {
          if (!r.has("field")) r.fail_at(r.path(), "missing required key \"field\" (the value that changes, e.g. uprn)");
          m.field = key_field_ref(r, "field", s);
          m.field_missing = Missing::skip;  // a record without the value says nothing about a change
          forbid("lookback_days");
        } else {
          forbid("field");
          if (p.change == detail::Change::first_ever) forbid("lookback_days");
          p.lookback_days = whole(r, "lookback_days", 1, 36500, m.window_days);
        }
        m.stat = Stat::count;
        break;
      case detail::Change::doubled:
        forbid("window_days");
        if (!r.has("lookback_days"))
          r.fail_at(r.path(), "missing required key \"lookback_days\" (how long ago the value compared was)");
        p.lookback_days = whole(r, "lookback_days", 1, 36500, 0);
        if (!r.has("field") || !r.has("function"))
          r.fail_at(r.path(), "missing required keys \"field\" and \"function\" (the measure that doubles)");
        read_stat(r, s, m, pol);
        if (r.has("latest_per")) m.latest_per = key_field_ref(r, "latest_per", s);
        if (r.has("factor")) {
          p.factor = number(r, r.value("factor"), r.at("factor"));
          if (p.factor <= 1.0) r.fail_at(r.at("factor"), fmt::format("expected a number above 1; got {}", p.factor));
        }
        break;
    }
  }

  Format read_attribute(const Reader& r, FeatureDef& f) const {
    detail::Plan& p = f.plan;
    if (!r.has("attribute")) r.fail_at(r.path(), "missing required key \"attribute\"");
    p.attribute = static_cast<detail::Attribute>(index_in(attribute_names, r.one_of("attribute", attribute_names, false)));
    p.measure.undated = r.boolean("undated", false);
    const std::string_view link = p.attribute == detail::Attribute::sex ? "sex" : "dob";
    bool found = false;
    std::vector<std::string_view> cats;
    for (const auto& s : sch().streams)
      for (const auto& fd : s.fields)
        if (fd.link_key == link && !s.event_date_field.empty()) {
          found = true;
          if (fd.type == FieldType::category) cats.assign(fd.categories.begin(), fd.categories.end());
        }
    if (!found)
      r.fail_at(r.at("attribute"), fmt::format("expected a schema with a dated stream holding a field with link_key "
                                               "\"{}\"; schema \"{}\" has none",
                                               link, sch().name));
    if (p.attribute != detail::Attribute::age_band && r.has("bands"))
      r.fail_at(r.at("bands"), "expected \"bands\" only with attribute \"age_band\"");
    if (p.attribute != detail::Attribute::sex && r.has("equals"))
      r.fail_at(r.at("equals"), "expected \"equals\" only with attribute \"sex\"");
    switch (p.attribute) {
      case detail::Attribute::age: return Format::integer;
      case detail::Attribute::age_band: {
        if (!r.has("bands")) r.fail_at(r.path(), "missing required key \"bands\" (ages where bands start, e.g. [5, 10, 16, 18])");
        const json& b = r.value("bands");
        if (!b.is_array() || b.empty())
          r.fail_at(r.at("bands"), fmt::format("expected a non-empty list of ages; got {}", describe(b)));
        for (std::size_t i = 0; i < b.size(); ++i) {
          const std::string bp = fmt::format("{}[{}]", r.at("bands"), i);
          if (!b[i].is_number_integer() || b[i].get<std::int64_t>() < 1 || b[i].get<std::int64_t>() > 120)
            r.fail_at(bp, fmt::format("expected a whole number of years from 1 to 120; got {}", describe(b[i])));
          const int age = static_cast<int>(b[i].get<std::int64_t>());
          if (!p.bands.empty() && age <= p.bands.back())
            r.fail_at(bp, fmt::format("expected ages in increasing order; got {} after {}", age, p.bands.back()));
          p.bands.push_back(age);
        }
        return Format::band;
      }
      case detail::Attribute::sex: {
        if (!r.has("equals")) r.fail_at(r.path(), "missing required key \"equals\" (the category that gives 1, e.g. \"F\")");
        p.equals = r.string("equals", true);
        if (!cats.empty() && index_in(cats, p.equals) == cats.size())
          r.fail_at(r.at("equals"), fmt::format("expected one of {} (the categories of the sex fields); got \"{}\"{}",
                                                join(cats), p.equals, suggestion(p.equals, cats)));
        return Format::flag;
      }
    }
    return Format::number;
  }

  // Templates are read after every feature, so that they may name any feature of the file.
  void read_template(const std::string& path, std::size_t index) {
    FeatureDef& f = set_.features_[index];
    const auto lookup = [&](std::string_view name) -> std::optional<std::size_t> {
      for (std::size_t i = 0; i < set_.features_.size(); ++i)
        if (set_.features_[i].name == name) return i;
      return std::nullopt;
    };
    const std::string tp = path + ".template";
    f.plan.parts = detail::parse_template(f.template_text, index, lookup, [&](const std::string& what) { fail(tp, what); });
    for (const auto& part : f.plan.parts) {
      if (part.what == detail::TemplatePart::What::text) continue;
      const FeatureDef& ref = set_.features_[part.feature];
      if (f.level == Level::family && ref.level == Level::person)
        fail(tp, fmt::format("expected only family-level features in a family feature's template; \"{}\" is a "
                             "person feature",
                             ref.name));
    }
  }

  std::string source_;
  FeatureSet set_;
};

FeatureSet FeatureSet::from_json(std::string_view json_text, const schema::Schema& schema, std::string_view source) {
  return FeatureSetParser(source, schema).parse(json_text);
}

FeatureSet FeatureSet::from_file(const std::string& path, const schema::Schema& schema) {
  return from_json(schema::detail::read_file(path, "FeatureSet::from_file"), schema, path);
}

std::string_view FeatureSet::builtin_json() {
  const std::string_view text = earlyhelp::detail::embedded_file(builtin_file);
  if (text.empty()) throw Error(fmt::format("FeatureSet::builtin: {} is not embedded in this build", builtin_file));
  return text;
}

FeatureSet FeatureSet::builtin() {
  // Parsed once per process (thread-safe static initialisation); callers get a copy.
  static const FeatureSet set =
      from_json(builtin_json(), schema::Schema::builtin(), fmt::format("{} (built-in)", builtin_file));
  return set;
}

std::optional<std::size_t> FeatureSet::find(std::string_view feature_name) const noexcept {
  for (std::size_t i = 0; i < features_.size(); ++i)
    if (features_[i].name == feature_name) return i;
  return std::nullopt;
}

std::vector<std::size_t> FeatureSet::columns(Level level) const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < features_.size(); ++i)
    if (level == Level::person || features_[i].level == Level::family) out.push_back(i);
  return out;
}

std::vector<std::string> FeatureSet::column_names(Level level) const {
  std::vector<std::string> out;
  for (std::size_t i : columns(level)) out.push_back(features_[i].name);
  return out;
}

bool FeatureSet::has_family_features() const noexcept {
  return std::any_of(features_.begin(), features_.end(), [](const FeatureDef& f) { return f.level == Level::family; });
}

std::string_view to_string(Kind k) noexcept { return kind_names[static_cast<std::size_t>(k)]; }
std::string_view to_string(Level l) noexcept { return l == Level::person ? "person" : "family"; }
std::string_view to_string(Format f) noexcept { return format_names[static_cast<std::size_t>(f)]; }

Level parse_level(std::string_view s) {
  if (s == "person") return Level::person;
  if (s == "family") return Level::family;
  throw InvalidArgument(fmt::format("level: expected \"person\" or \"family\"; got \"{}\"", s));
}

}  // namespace earlyhelp::features
