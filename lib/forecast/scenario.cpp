// SPDX-License-Identifier: Apache-2.0
// Parsing forecast scenarios (forecast/scenario.hpp).

#include "earlyhelp/forecast/scenario.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/forecast/flags.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace earlyhelp::forecast {
namespace {

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  for (;;) {
    const std::size_t next = s.find(sep, pos);
    out.push_back(s.substr(pos, next == std::string_view::npos ? std::string_view::npos : next - pos));
    if (next == std::string_view::npos) break;
    pos = next + 1;
  }
  return out;
}

double number(std::string_view spec, std::string_view what, std::string_view text, double lo, double hi) {
  double v = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || r.ec != std::errc() || r.ptr != text.data() + text.size() || !std::isfinite(v) || v < lo || v > hi)
    throw InvalidArgument(fmt::format("forecast: scenario '{}': {} must be a number from {:g} to {:g}", spec, what, lo, hi));
  return v;
}

}  // namespace

std::vector<Scenario> parse_scenarios(std::string_view spec) {
  std::vector<Scenario> out;
  for (std::string_view item : split(spec, ',')) {
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.empty()) continue;
    const auto parts = split(item, ':');
    Scenario s;
    if (parts[0] == "population" || parts[0] == "trend") {
      EH_CHECK(parts.size() == 1, "forecast: scenario '{}' takes no parameters", item);
      s.kind = parts[0] == "trend" ? ScenarioKind::trend : ScenarioKind::population;
      s.name = std::string(parts[0]);
    } else if (parts[0] == "target") {
      EH_CHECK(parts.size() == 2 || parts.size() == 3,
               "forecast: scenario '{}': expected target:<looked-after children per 10,000 children>[:<years>], e.g. target:67", item);
      s.kind = ScenarioKind::target;
      s.target_per_10k = number(item, "the target rate per 10,000 children", parts[1], 0, 10000);
      if (parts.size() == 3) s.target_years = number(item, "the years to reach it", parts[2], 0.1, 50);
      s.name = fmt::format("target:{}", parts[1]);
    } else if (parts[0] == "intervention") {
      s.kind = ScenarioKind::intervention;
      s.name = "intervention";
      bool has_prevent = false, has_recall = false, has_flagged = false;
      FlagRule rule;
      std::string band_text;
      for (std::size_t i = 1; i < parts.size(); ++i) {
        const auto eq = parts[i].find('=');
        EH_CHECK(eq != std::string_view::npos, "forecast: scenario '{}': expected key=value after 'intervention:' (prevent, recall, flagged, cost)", item);
        const auto key = parts[i].substr(0, eq), val = parts[i].substr(eq + 1);
        if (key == "prevent") s.prevent = number(item, "prevent (share of flagged entrants prevented)", val, 0, 1), has_prevent = true;
        else if (key == "recall") s.recall = number(item, "recall (share of entrants the model flags)", val, 0, 1), has_recall = true;
        else if (key == "flagged") s.flagged_per_year = number(item, "flagged (families a year)", val, 0, 1e7), has_flagged = true;
        else if (key == "scores") s.scores = std::string(val);
        else if (key == "band") rule.band = std::string(val), band_text = std::string(val);
        else if (key == "threshold") rule.threshold = number(item, "threshold (score at which a child is flagged)", val, 0, 1);
        else if (key == "cost") s.cost_per_flagged = number(item, "cost (pounds per family)", val, 0, 1e7);
        else
          throw InvalidArgument(
              fmt::format("forecast: scenario '{}': unknown key '{}' (expected prevent, recall, flagged, cost, scores, band, threshold)", item, key));
      }
      EH_CHECK(s.scores.empty() || !has_recall,
               "forecast: scenario '{}': give recall=Q or scores=FILE (the recall is then computed from the scores), not both", item);
      EH_CHECK(!s.scores.empty() || (band_text.empty() && !rule.threshold),
               "forecast: scenario '{}': band= and threshold= apply to scores=FILE only", item);
      EH_CHECK(band_text.empty() || !rule.threshold, "forecast: scenario '{}': give band= or threshold=, not both", item);
      if (!s.scores.empty()) {
        // The reach of the programme from the safeguarding model's own scores (flags.hpp).
        const FlagSummary f = summarise_flags(read_safeguarding_scores(s.scores), rule);
        s.recall = f.recall;
        s.flagged_children = f.flagged;
        if (!has_flagged) s.flagged_per_year = static_cast<double>(f.flagged_families);
        has_recall = true;
      }
      EH_CHECK(has_prevent && has_recall,
               "forecast: scenario '{}' needs prevent=<share of flagged entrants prevented> and recall=<share of entrants the "
               "safeguarding model flags> (or scores=<earlyhelp profile --scores file>), e.g. "
               "intervention:prevent=0.2:recall=0.6:flagged=400:cost=2285",
               item);
    } else {
      throw InvalidArgument(
          fmt::format("forecast: unknown scenario '{}' (expected population, trend, target:<rate>[:<years>] or intervention:...)", item));
    }
    for (const auto& o : out) EH_CHECK(o.name != s.name, "forecast: scenario '{}' is given twice", s.name);
    out.push_back(s);
  }
  EH_CHECK(!out.empty(), "forecast: no scenarios given (expected e.g. trend,population,target:67)");
  return out;
}

}  // namespace earlyhelp::forecast
