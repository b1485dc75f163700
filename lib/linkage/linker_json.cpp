// SPDX-License-Identifier: Apache-2.0
// Settings and trained parameters as JSON (nlohmann), and reading a Splink model file.
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/linkage/linker.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace earlyhelp::linkage {

namespace {

using json = nlohmann::json;

constexpr std::string_view link_type_name(LinkType t) noexcept {
  switch (t) {
    case LinkType::dedupe_only: return "dedupe_only";
    case LinkType::link_only: return "link_only";
    case LinkType::link_and_dedupe: return "link_and_dedupe";
  }
  return "dedupe_only";
}

json parse_json(std::string_view text, const char* what) {
  try {
    return json::parse(text.begin(), text.end());
  } catch (const json::exception& e) {  // also out_of_range: a number beyond double range
    throw InvalidArgument(fmt::format("{}: not valid JSON ({})", what, e.what()));
  }
}

template <class T>
T get(const json& j, const char* key, const char* what) {
  try {
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
      // json::get would cast 2.5, -1 or 1e22 into T unchecked (the last is undefined behaviour).
      const json& v = j.at(key);
      using L = std::numeric_limits<T>;
      const bool fits =
          v.is_number_unsigned() ? v.get<std::uint64_t>() <= static_cast<std::uint64_t>(L::max())
          : v.is_number_integer() ? v.get<std::int64_t>() >= static_cast<std::int64_t>(L::min()) &&
                                        (L::is_signed || v.get<std::int64_t>() >= 0) &&
                                        (!L::is_signed || v.get<std::int64_t>() <= static_cast<std::int64_t>(L::max()))
                                  : false;
      if (!fits)
        throw InvalidArgument(fmt::format("{}: key '{}' must be a whole number from {} to {}", what, key,
                                          L::min(), L::max()));
    }
    return j.at(key).get<T>();
  } catch (const json::exception&) {
    throw InvalidArgument(fmt::format("{}: key '{}' is missing or has the wrong type", what, key));
  }
}

}  // namespace

std::string Settings::to_json() const {
  json j;
  j["link_type"] = std::string(link_type_name(link_type));
  json rules = json::array();
  for (const auto& r : blocking_rules) rules.push_back(r.name());
  j["blocking_rules"] = rules;
  j["match_threshold"] = match_threshold;
  j["max_block_size"] = max_block_size;
  j["window"] = window;
  j["u_sample_pairs"] = u_sample_pairs;
  j["max_training_pairs"] = max_training_pairs;
  j["em_max_iterations"] = em_max_iterations;
  j["em_tolerance"] = em_tolerance;
  j["tf_adjustment"] = tf_adjustment;
  j["household_guard"] = household_guard;
  j["guard_max_m"] = guard_max_m;
  j["absorb_orphans"] = absorb_orphans;
  j["adult_sources"] = adult_sources;
  j["households"] = households == Households::present ? "present" : households == Households::absent ? "absent" : "auto";
  j["place_once"] = place_once;
  j["seed"] = seed;
  j["n_threads"] = n_threads;
  return j.dump(2);
}

Settings Settings::from_json(std::string_view text) {
  const json j = parse_json(text, "settings");
  EH_CHECK(j.is_object(), "settings: expected a JSON object");
  Settings s;
  static const char* known[] = {"link_type", "blocking_rules", "match_threshold", "max_block_size", "window",
                                "u_sample_pairs", "max_training_pairs", "em_max_iterations", "em_tolerance",
                                "tf_adjustment", "household_guard", "guard_max_m", "absorb_orphans", "adult_sources", "households",
                                "place_once", "seed", "n_threads"};
  for (const auto& item : j.items()) {
    const std::string& key = item.key();  // a named variable: C++17 lambdas cannot capture a structured binding
    EH_CHECK(std::find_if(std::begin(known), std::end(known), [&](const char* k) { return key == k; }) !=
                 std::end(known),
             "settings: unknown key '{}'", key);
  }
  const char* w = "settings";
  if (j.contains("link_type")) {
    const auto t = get<std::string>(j, "link_type", w);
    if (t == "dedupe_only") s.link_type = LinkType::dedupe_only;
    else if (t == "link_only") s.link_type = LinkType::link_only;
    else if (t == "link_and_dedupe") s.link_type = LinkType::link_and_dedupe;
    else throw InvalidArgument(fmt::format("settings: link_type '{}' (expected dedupe_only, link_only or link_and_dedupe)", t));
  }
  if (j.contains("blocking_rules")) {
    const auto rules = get<std::vector<std::string>>(j, "blocking_rules", w);
    EH_CHECK(!rules.empty(), "settings: blocking_rules is empty");
    s.blocking_rules.clear();
    for (const auto& r : rules) s.blocking_rules.push_back(BlockingRule::parse(r));
  }
  if (j.contains("match_threshold")) s.match_threshold = get<double>(j, "match_threshold", w);
  EH_CHECK(s.match_threshold > 0 && s.match_threshold < 1, "settings: match_threshold must be in (0, 1) (got {})",
           s.match_threshold);
  if (j.contains("max_block_size")) s.max_block_size = get<std::size_t>(j, "max_block_size", w);
  if (j.contains("window")) s.window = get<std::size_t>(j, "window", w);
  if (j.contains("u_sample_pairs")) s.u_sample_pairs = get<std::size_t>(j, "u_sample_pairs", w);
  if (j.contains("max_training_pairs")) s.max_training_pairs = get<std::size_t>(j, "max_training_pairs", w);
  EH_CHECK(s.max_training_pairs >= 1, "settings: max_training_pairs must be at least 1");
  if (j.contains("em_max_iterations")) s.em_max_iterations = get<int>(j, "em_max_iterations", w);
  if (j.contains("em_tolerance")) s.em_tolerance = get<double>(j, "em_tolerance", w);
  if (j.contains("tf_adjustment")) s.tf_adjustment = get<bool>(j, "tf_adjustment", w);
  if (j.contains("household_guard")) s.household_guard = get<bool>(j, "household_guard", w);
  if (j.contains("guard_max_m")) s.guard_max_m = get<double>(j, "guard_max_m", w);
  if (j.contains("absorb_orphans")) s.absorb_orphans = get<bool>(j, "absorb_orphans", w);
  if (j.contains("adult_sources")) s.adult_sources = get<bool>(j, "adult_sources", w);
  if (j.contains("households")) {
    const auto t = get<std::string>(j, "households", w);
    if (t == "auto") s.households = Households::automatic;
    else if (t == "present") s.households = Households::present;
    else if (t == "absent") s.households = Households::absent;
    else throw InvalidArgument(fmt::format("settings: households '{}' (expected auto, present or absent)", t));
  }
  if (j.contains("place_once")) s.place_once = get<bool>(j, "place_once", w);
  if (j.contains("seed")) s.seed = get<std::uint64_t>(j, "seed", w);
  if (j.contains("n_threads")) s.n_threads = get<int>(j, "n_threads", w);
  return s;
}

std::string Linker::model_json() const {
  json j;
  j["format"] = "earlyhelp.linkage.model";
  j["version"] = 1;
  j["settings"] = json::parse(settings_.to_json());
  j["probability_two_random_records_match"] = params_.lambda;
  json fields = json::array();
  for (std::size_t f = 0; f < n_fields; ++f) {
    const auto field = static_cast<Field>(f);
    json levels = json::array();
    for (std::size_t l = 0; l < n_levels(field); ++l)
      levels.push_back({{"label", level_names(field)[l]},
                        {"m_probability", params_.fields[f].m[l]},
                        {"u_probability", params_.fields[f].u[l]}});
    fields.push_back({{"field", std::string(field_name(field))}, {"levels", levels}});
  }
  j["fields"] = fields;
  json sessions = json::array();
  for (const auto& s : params_.sessions) {
    json fixed = json::array();
    for (const Field f : s.fixed) fixed.push_back(std::string(field_name(f)));
    json m = json::object();
    for (std::size_t f = 0; f < n_fields; ++f)
      if (!s.m[f].empty()) m[std::string(field_name(static_cast<Field>(f)))] = s.m[f];
    sessions.push_back({{"blocking_rule", s.rule}, {"pairs", s.pairs}, {"lambda", s.lambda},
                        {"iterations", s.iterations}, {"fixed", fixed}, {"m_probabilities", m}});
  }
  j["training_sessions"] = sessions;
  return j.dump(2);
}

void Linker::load_model_json(std::string_view text) {
  const json j = parse_json(text, "load_model_json");
  EH_CHECK(j.is_object(), "load_model_json: expected a JSON object");
  ModelParameters p = ModelParameters::defaults();
  const char* w = "load_model_json";
  p.lambda = get<double>(j, "probability_two_random_records_match", w);
  EH_CHECK(p.lambda > 0 && p.lambda < 1, "load_model_json: probability_two_random_records_match must be in (0, 1)");
  auto probability = [&](std::size_t f, const json& lv, const char* key) {
    const double x = lv[key].get<double>();
    EH_CHECK(x >= 0 && x <= 1, "load_model_json: field '{}': {} must be in [0, 1] (got {})",
             field_name(static_cast<Field>(f)), key, x);
    return std::max(x, 1e-6);
  };
  auto set_level = [&](std::size_t f, std::size_t l, const json& lv) {
    if (lv.contains("m_probability") && lv["m_probability"].is_number())
      p.fields[f].m[l] = probability(f, lv, "m_probability");
    if (lv.contains("u_probability") && lv["u_probability"].is_number())
      p.fields[f].u[l] = probability(f, lv, "u_probability");
  };
  if (j.contains("fields")) {
    // Our own format: levels by label.
    EH_CHECK(j["fields"].is_array(), "load_model_json: 'fields' must be an array");
    for (const auto& fj : j["fields"]) {
      const auto name = get<std::string>(fj, "field", w);
      std::size_t f = n_fields;
      for (std::size_t i = 0; i < n_fields; ++i)
        if (field_name(static_cast<Field>(i)) == name) f = i;
      EH_CHECK(f < n_fields, "load_model_json: unknown field '{}'", name);
      EH_CHECK(fj.contains("levels") && fj["levels"].is_array(), "load_model_json: field '{}' has no levels", name);
      for (const auto& lv : fj["levels"]) {
        const auto label = get<std::string>(lv, "label", w);
        const auto& names = level_names(static_cast<Field>(f));
        const auto it = std::find(names.begin(), names.end(), label);
        EH_CHECK(it != names.end(), "load_model_json: field '{}' has no level '{}'", name, label);
        set_level(f, static_cast<std::size_t>(it - names.begin()), lv);
      }
    }
  } else if (j.contains("comparisons")) {
    // A Splink model: comparisons matched by output column name, non-null levels in order
    // (Splink lists levels strongest first, with "else" last, as ours).
    EH_CHECK(j["comparisons"].is_array(), "load_model_json: 'comparisons' must be an array");
    static const std::pair<const char*, Field> aliases[] = {
        {"first_name", Field::first_name}, {"given_name", Field::first_name}, {"forename", Field::first_name},
        {"surname", Field::surname}, {"last_name", Field::surname}, {"dob", Field::dob},
        {"date_of_birth", Field::dob}, {"sex", Field::sex}, {"gender", Field::sex},
        {"address", Field::address}, {"address_1", Field::address}, {"postcode", Field::postcode},
        {"postcode_fake", Field::postcode}, {"town", Field::town}, {"city", Field::town},
        {"suburb", Field::town}, {"uprn", Field::uprn}, {"nhs_number", Field::identifier},
        {"soc_sec_id", Field::identifier}};
    for (const auto& c : j["comparisons"]) {
      EH_CHECK(c.is_object() && (!c.contains("output_column_name") || c["output_column_name"].is_string()) &&
                   (!c.contains("comparison_levels") || c["comparison_levels"].is_array()),
               "load_model_json: each Splink comparison must be an object with a string output_column_name "
               "and a comparison_levels array");
      const std::string col = c.value("output_column_name", std::string());
      const auto it = std::find_if(std::begin(aliases), std::end(aliases),
                                   [&](const auto& a) { return col == a.first; });
      if (it == std::end(aliases) || !c.contains("comparison_levels")) continue;
      const auto f = static_cast<std::size_t>(it->second);
      std::vector<json> levels;
      for (const auto& lv : c["comparison_levels"]) {
        EH_CHECK(lv.is_object() && (!lv.contains("is_null_level") || lv["is_null_level"].is_boolean()),
                 "load_model_json: comparison '{}': each level must be an object (is_null_level true or false)", col);
        if (!lv.value("is_null_level", false)) levels.push_back(lv);
      }
      const std::size_t ours = p.fields[f].m.size();
      // Map the k-th of their n levels onto ours proportionally (first -> first, last -> last).
      for (std::size_t k = 0; k < levels.size(); ++k) {
        const std::size_t l = levels.size() == 1 ? 0
            : static_cast<std::size_t>(std::lround(static_cast<double>(k) * static_cast<double>(ours - 1) /
                                                   static_cast<double>(levels.size() - 1)));
        set_level(f, l, levels[k]);
      }
    }
  } else {
    throw InvalidArgument("load_model_json: neither an earlyhelp model ('fields') nor a Splink model ('comparisons')");
  }
  for (auto& fp : p.fields) {
    for (auto* v : {&fp.m, &fp.u}) {
      double s = 0;
      for (double x : *v) s += x;
      // A model written by us sums to 1 up to the probability floor: keep it bit for bit.
      // Normalised values stay at or above the floor too, so what is written reads back the same.
      if (std::abs(s - 1.0) > 1e-3)
        for (double& x : *v) x = std::max(x / s, 1e-6);
    }
  }
  p.fitted = true;
  params_ = std::move(p);
  fitted_ = true;
  rebuild_scorer();
}

}  // namespace earlyhelp::linkage
