// SPDX-License-Identifier: Apache-2.0
// The intervention calculator: gross, net and cashable savings, cost per outcome, break-even
// (forecast/savings.hpp).

#include "earlyhelp/forecast/savings.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/forecast/unit_costs.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <sstream>

namespace earlyhelp::forecast::savings {
namespace {

using nlohmann::json;

// Present value of an amount over the horizon: once, or each year discounted (year 0 first).
double present_value(double amount, bool recurring, double rate, int years) {
  if (!recurring) return amount;
  double pv = 0;
  for (int y = 0; y < years; ++y) pv += amount / std::pow(1.0 + rate, y);
  return pv;
}

double get_number(const json& j, const std::string& key, const std::string& where) {
  const json& v = j.at(key);
  if (!v.is_number()) throw InvalidArgument(fmt::format("savings: {}: '{}' must be a number", where, key));
  const double d = v.get<double>();
  if (!std::isfinite(d) || d < 0) throw InvalidArgument(fmt::format("savings: {}: '{}' must be a non-negative number", where, key));
  return d;
}

std::string get_string(const json& j, const std::string& key, const std::string& where) {
  const json& v = j.at(key);
  if (!v.is_string()) throw InvalidArgument(fmt::format("savings: {}: '{}' must be text", where, key));
  return v.get<std::string>();
}

void only_keys(const json& j, std::initializer_list<const char*> keys, const std::string& where) {
  for (auto it = j.begin(); it != j.end(); ++it) {
    bool ok = false;
    for (const char* k : keys) ok = ok || it.key() == k;
    if (!ok) throw InvalidArgument(fmt::format("savings: {}: unknown key '{}' (expected {})", where, it.key(), fmt::join(keys, ", ")));
  }
}

}  // namespace

Result calculate(const Intervention& in) {
  const int effects = (in.outcomes >= 0) + (in.outcome_rate >= 0) + (in.weeks_saved >= 0);
  EH_CHECK(effects == 1, "savings: '{}': give exactly one effect: outcomes, outcome_rate or weeks_saved ({} given)", in.name, effects);
  EH_CHECK(in.eligible >= 0 && in.cost_per_unit >= 0 && in.fixed_cost >= 0, "savings: '{}': eligible and costs must be non-negative", in.name);
  EH_CHECK(in.discount_rate >= 0 && in.discount_rate < 1, "savings: '{}': discount_rate {} (expected 0 to 1, e.g. 0.035)", in.name, in.discount_rate);
  EH_CHECK(in.horizon_years >= 1 && in.horizon_years <= 100, "savings: '{}': horizon_years {} (expected 1 to 100)", in.name, in.horizon_years);
  EH_CHECK(!in.savings.empty(), "savings: '{}': no savings listed (each outcome or week must save something)", in.name);
  Result r;
  r.name = in.name;
  r.cost = in.eligible * in.cost_per_unit + in.fixed_cost;
  const bool weeks = in.weeks_saved >= 0;
  r.outcomes = weeks ? in.eligible * in.weeks_saved : in.outcomes >= 0 ? in.outcomes : in.eligible * in.outcome_rate;
  double per_outcome = 0, per_outcome_cashable = 0;
  for (const auto& s : in.savings) {
    EH_CHECK(s.amount >= 0 && std::isfinite(s.amount), "savings: '{}': item '{}' has a negative amount", in.name, s.item);
    const double pv = present_value(s.amount, s.recurring, in.discount_rate, in.horizon_years);
    per_outcome += pv;
    if (s.cashable) per_outcome_cashable += pv;
    r.items.push_back({s.item, pv * r.outcomes, s.cashable});
  }
  r.gross = per_outcome * r.outcomes;
  r.cashable = per_outcome_cashable * r.outcomes;
  r.net = r.gross - r.cost;
  r.net_cashable = r.cashable - r.cost;
  r.gross_per_unit = in.eligible > 0 ? r.gross / in.eligible : 0.0;
  r.cost_per_outcome = r.outcomes > 0 ? r.cost / r.outcomes : 0.0;
  r.break_even_outcomes = per_outcome > 0 ? r.cost / per_outcome : 0.0;
  r.break_even_rate = in.eligible > 0 ? r.break_even_outcomes / in.eligible : 0.0;
  r.return_per_pound = r.cost > 0 ? r.gross / r.cost : 0.0;
  return r;
}

Pounds to_pounds(const Result& r) noexcept {
  Pounds p;
  p.cost = std::llround(r.cost);
  p.gross = std::llround(r.gross);
  p.cashable = std::llround(r.cashable);
  p.net = p.gross - p.cost;
  p.net_cashable = p.cashable - p.cost;
  return p;
}

Intervention parse_intervention(const std::string& text, const std::string& name) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    throw InvalidArgument(fmt::format("savings: {}: not valid JSON (byte {}): expected an object like {{\"name\": ..., \"eligible\": ...}}", name, e.byte));
  }
  if (!j.is_object()) throw InvalidArgument(fmt::format("savings: {}: expected a JSON object", name));
  only_keys(j, {"name", "eligible", "unit", "cost_per_unit", "fixed_cost", "effect", "savings", "discount_rate", "horizon_years"}, name);
  Intervention in;
  try {
    in.name = j.contains("name") ? get_string(j, "name", name) : name;
    if (!j.contains("eligible")) throw InvalidArgument(fmt::format("savings: {}: missing 'eligible' (families or children worked with)", name));
    in.eligible = get_number(j, "eligible", name);
    if (j.contains("unit")) in.unit = get_string(j, "unit", name);
    if (j.contains("cost_per_unit")) in.cost_per_unit = get_number(j, "cost_per_unit", name);
    if (j.contains("fixed_cost")) in.fixed_cost = get_number(j, "fixed_cost", name);
    if (j.contains("discount_rate")) in.discount_rate = get_number(j, "discount_rate", name);
    if (j.contains("horizon_years")) in.horizon_years = static_cast<int>(get_number(j, "horizon_years", name));
    if (!j.contains("effect") || !j.at("effect").is_object())
      throw InvalidArgument(fmt::format("savings: {}: missing 'effect' object (outcomes, outcome_rate or weeks_saved)", name));
    const json& e = j.at("effect");
    const std::string where = name + ": effect";
    only_keys(e, {"outcomes", "outcome_rate", "weeks_saved", "outcome"}, where);
    if (e.contains("outcomes")) in.outcomes = get_number(e, "outcomes", where);
    if (e.contains("outcome_rate")) in.outcome_rate = get_number(e, "outcome_rate", where);
    if (e.contains("weeks_saved")) in.weeks_saved = get_number(e, "weeks_saved", where);
    if (e.contains("outcome")) in.outcome = get_string(e, "outcome", where);
    if (!j.contains("savings") || !j.at("savings").is_array())
      throw InvalidArgument(fmt::format("savings: {}: missing 'savings' list of {{\"item\", \"amount\", \"cashable\"}}", name));
    std::size_t i = 0;
    for (const json& s : j.at("savings")) {
      const std::string w = fmt::format("{}: savings[{}]", name, i++);
      if (!s.is_object()) throw InvalidArgument(fmt::format("savings: {}: expected an object", w));
      only_keys(s, {"item", "amount", "cashable", "recurring", "source"}, w);
      SavingItem it;
      if (!s.contains("amount")) throw InvalidArgument(fmt::format("savings: {}: missing 'amount' (pounds)", w));
      it.amount = get_number(s, "amount", w);
      if (s.contains("item")) it.item = get_string(s, "item", w);
      if (s.contains("source")) it.source = get_string(s, "source", w);
      if (s.contains("cashable")) {
        if (!s.at("cashable").is_boolean()) throw InvalidArgument(fmt::format("savings: {}: 'cashable' must be true or false", w));
        it.cashable = s.at("cashable").get<bool>();
      }
      if (s.contains("recurring")) {
        if (!s.at("recurring").is_boolean()) throw InvalidArgument(fmt::format("savings: {}: 'recurring' must be true or false", w));
        it.recurring = s.at("recurring").get<bool>();
      }
      in.savings.push_back(it);
    }
  } catch (const json::exception& e) {
    throw InvalidArgument(fmt::format("savings: {}: {}", name, e.what()));
  }
  return in;
}

Intervention read_intervention(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw IOError(fmt::format("savings: cannot open {}", path));
  std::ostringstream ss;
  ss << f.rdbuf();
  return parse_intervention(ss.str(), path);
}

std::string to_text(const Result& r) {
  auto gbp = [](double v) {
    const std::string w = whole_pounds(v);
    return w.front() == '-' ? "-GBP " + w.substr(1) : "GBP " + w;
  };
  const Pounds p = to_pounds(r);
  std::string out = fmt::format("{}\n", r.name);
  out += fmt::format("  cost                     {}\n", gbp(static_cast<double>(p.cost)));
  out += fmt::format("  outcomes                 {:g}\n", r.outcomes);
  out += fmt::format("  gross savings            {}\n", gbp(static_cast<double>(p.gross)));
  out += fmt::format("  net savings              {}\n", gbp(static_cast<double>(p.net)));
  out += fmt::format("  directly cashable        {}\n", gbp(static_cast<double>(p.cashable)));
  out += fmt::format("  gross per unit           {}\n", gbp(r.gross_per_unit));
  out += fmt::format("  cost per outcome         {}\n", gbp(r.cost_per_outcome));
  out += fmt::format("  break-even outcomes      {:.2f} ({:.4f} per unit)\n", r.break_even_outcomes, r.break_even_rate);
  out += fmt::format("  return per pound         {:.2f}\n", r.return_per_pound);
  for (const auto& i : r.items) out += fmt::format("    {:<28} {} ({})\n", i.item, gbp(i.total), i.cashable ? "cashable" : "not cashable");
  return out;
}

std::string to_json(const Result& r) {
  json j = {{"name", r.name},
            {"cost", r.cost},
            {"outcomes", r.outcomes},
            {"gross", r.gross},
            {"cashable", r.cashable},
            {"net", r.net},
            {"net_cashable", r.net_cashable},
            {"gross_per_unit", r.gross_per_unit},
            {"cost_per_outcome", r.cost_per_outcome},
            {"break_even_outcomes", r.break_even_outcomes},
            {"break_even_rate", r.break_even_rate},
            {"return_per_pound", r.return_per_pound}};
  const Pounds p = to_pounds(r);
  j["pounds"] = {{"cost", p.cost}, {"gross", p.gross}, {"net", p.net}, {"cashable", p.cashable}, {"net_cashable", p.net_cashable}};
  json items = json::array();
  for (const auto& i : r.items) items.push_back({{"item", i.item}, {"total", i.total}, {"cashable", i.cashable}});
  j["items"] = items;
  return j.dump(2);
}

}  // namespace earlyhelp::forecast::savings
