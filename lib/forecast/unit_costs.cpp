// SPDX-License-Identifier: Apache-2.0
// Weekly unit costs per state: published defaults and a council's own CSV (forecast/unit_costs.hpp).

#include "earlyhelp/forecast/unit_costs.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/io/csv.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace earlyhelp::forecast {
namespace {

void apply(UnitCosts& c, const UnitCost& row) {
  if (row.state == "lac") {
    for (int p = 0; p < n_placements; ++p) {
      c.weekly[static_cast<std::size_t>(state_lac0 + p)] = row.weekly;
      c.source[static_cast<std::size_t>(state_lac0 + p)] = row.source;
    }
  } else {
    for (int s = state_cin; s < n_states; ++s)
      if (state_name(s) == row.state) {
        c.weekly[static_cast<std::size_t>(s)] = row.weekly;
        c.source[static_cast<std::size_t>(s)] = row.source;
      }
  }
  c.rows.push_back(row);
}

bool known_state(std::string_view s) {
  if (s == "lac") return true;
  for (int k = state_cin; k < n_states; ++k)
    if (state_name(k) == s) return true;
  return false;
}

}  // namespace

std::string whole_pounds(double amount) {
  const long long n = std::llround(amount);
  const std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out = n < 0 ? "-" : "";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

UnitCosts default_unit_costs() {
  constexpr const char* pssru = "PSSRU Unit Costs of Health and Social Care 2017 (Curtis & Burns), p.86: foster care, cost per child per week "
                                "including allowances, administration and social work support (2016/17 prices)";
  constexpr const char* dfe_home = "DfE answer to written question UIN 49075 (2016): a local authority children's home costs 'around "
                                   "GBP 3,000' per resident week (approximate)";
  UnitCosts c;
  apply(c, {"cin", 0, "not costed by default: add a cin row (e.g. social work per case per week)"});
  apply(c, {"cpp", 0, "not costed by default: add a cpp row"});
  apply(c, {"lac:foster", 646, pssru});
  apply(c, {"lac:foster_relative", 646, std::string(pssru) + "; PSSRU gives no separate kinship figure (approximate)"});
  apply(c, {"lac:residential", 3000, dfe_home});
  apply(c, {"lac:supported", 621,
            "Lincolnshire County Council FOI response on supported accommodation for 16-18s (placements at 1 November 2023): "
            "average weekly cost GBP 621 for independent placements (one council; approximate)"});
  apply(c, {"lac:placed_with_parents", 0, "no placement payment (social work time is not a placement cost)"});
  apply(c, {"lac:placed_for_adoption", 0, "no weekly placement payment (one-off adoption fees are not counted)"});
  apply(c, {"lac:other", 3000, std::string(dfe_home) + "; secure units and other settings priced as a children's home (approximate)"});
  return c;
}

UnitCosts read_unit_costs(const std::string& path) {
  UnitCosts c = default_unit_costs();
  auto r = io::CsvReader::open(path);
  int c_state = -1, c_cost = -1, c_source = -1;
  for (std::size_t i = 0; i < r.header().size(); ++i) {
    const auto& h = r.header()[i];
    if (h == "state") c_state = static_cast<int>(i);
    if (h == "weekly_cost") c_cost = static_cast<int>(i);
    if (h == "source") c_source = static_cast<int>(i);
  }
  if (c_state < 0 || c_cost < 0) {
    const std::string hint = r.format_hint();
    throw SchemaError(fmt::format("forecast: {} needs the columns state, weekly_cost (and optionally source){}", path,
                                  hint.empty() ? "" : "; " + hint));
  }
  io::CsvRecord rec;
  while (r.next(rec)) {
    if (rec.size() != r.header().size())
      throw InvalidArgument(fmt::format("forecast: {}: expected {} fields, got {}", r.location(rec, 0), r.header().size(), rec.size()));
    const std::string state(rec[static_cast<std::size_t>(c_state)]);
    if (!known_state(state))
      throw InvalidArgument(fmt::format("forecast: {}: unknown state (expected cin, cpp, lac or lac:<placement>, placements {})",
                                        r.location(rec, static_cast<std::size_t>(c_state)), fmt::join(placement_names, ", ")));
    const std::string_view t = rec[static_cast<std::size_t>(c_cost)];
    double v = 0;
    const auto res = std::from_chars(t.data(), t.data() + t.size(), v);
    if (t.empty() || res.ec != std::errc() || res.ptr != t.data() + t.size() || !std::isfinite(v) || v < 0)
      throw InvalidArgument(fmt::format("forecast: {}: expected a non-negative weekly cost in pounds",
                                        r.location(rec, static_cast<std::size_t>(c_cost))));
    apply(c, {state, v, c_source >= 0 ? std::string(rec[static_cast<std::size_t>(c_source)]) : fmt::format("{} (no source given)", path)});
  }
  return c;
}

}  // namespace earlyhelp::forecast
