// SPDX-License-Identifier: Apache-2.0
// The intervention scenario's reach from the safeguarding model's flags (forecast/flags.hpp).

#include "earlyhelp/forecast/flags.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/io/csv.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <set>

namespace earlyhelp::forecast {

FlagSummary summarise_flags(const std::vector<FlagInput>& scores, const FlagRule& rule) {
  EH_CHECK(!scores.empty(), "forecast: no safeguarding scores to flag children from");
  FlagSummary s;
  std::set<std::string> families;
  double flagged_sum = 0;
  for (const auto& f : scores) {
    EH_CHECK(std::isfinite(f.score) && f.score >= 0 && f.score <= 1, "forecast: safeguarding score {} (expected 0 to 1)", f.score);
    ++s.children;
    s.expected_entrants += f.score;
    const bool flagged = rule.threshold ? f.score >= *rule.threshold : f.band == rule.band;
    if (!flagged) continue;
    ++s.flagged;
    flagged_sum += f.score;
    families.insert(f.family_id.empty() ? "person:" + f.person_id : "family:" + f.family_id);
  }
  s.flagged_families = families.size();
  s.recall = s.expected_entrants > 0 ? flagged_sum / s.expected_entrants : 0.0;
  return s;
}

std::vector<FlagInput> read_safeguarding_scores(const std::string& path) {
  auto r = io::CsvReader::open(path);
  auto column = [&](std::string_view name) {
    const auto& h = r.header();
    for (std::size_t i = 0; i < h.size(); ++i)
      if (h[i] == name) return i;
    throw SchemaError(fmt::format("forecast: {} has no column '{}' (expected the scores of earlyhelp profile --scores: "
                                  "person_id, family_id, domain, as_of, score, band)",
                                  path, name));
  };
  const std::size_t c_person = column("person_id"), c_family = column("family_id"), c_domain = column("domain"),
                    c_score = column("score"), c_band = column("band");
  std::vector<FlagInput> out;
  io::CsvRecord rec;
  while (r.next(rec)) {
    EH_CHECK(rec.size() == r.header().size(), "forecast: {}: row {} has {} fields, the header {}", path, rec.row, rec.size(),
             r.header().size());
    if (rec[c_domain] != "safeguarding") continue;
    FlagInput f;
    f.person_id = std::string(rec[c_person]);
    f.family_id = std::string(rec[c_family]);
    f.band = std::string(rec[c_band]);
    const auto text = rec[c_score];
    const auto res = std::from_chars(text.data(), text.data() + text.size(), f.score);
    EH_CHECK(!text.empty() && res.ec == std::errc() && res.ptr == text.data() + text.size() && f.score >= 0 && f.score <= 1,
             "forecast: {}: row {}, field score: expected a probability from 0 to 1", path, rec.row);
    out.push_back(std::move(f));
  }
  EH_CHECK(!out.empty(), "forecast: {} holds no safeguarding scores (domain 'safeguarding')", path);
  return out;
}

}  // namespace earlyhelp::forecast
