// SPDX-License-Identifier: Apache-2.0
// What the forecast, savings and engagement verbs read besides the population and cost files:
// the first byte picks the reader, the rest is the input: an early-help episodes extract
// (`engagement`), the safeguarding rows of a scores file (the intervention scenario), an
// intervention JSON (`savings --config`), or a scenario list (`forecast --scenarios`). Each is
// read or refused with an earlyhelp::Error; what reads keeps its counts and ranges.

#include "earlyhelp/forecast/engagement.hpp"
#include "earlyhelp/forecast/flags.hpp"
#include "earlyhelp/forecast/savings.hpp"
#include "earlyhelp/forecast/scenario.hpp"

#include "fuzz_support.hpp"

#include <cmath>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace fc = earlyhelp::forecast;
  namespace fz = earlyhelp::fuzz;
  if (size == 0) return 0;
  const int reader = data[0] % 4;
  const std::string_view text = fz::as_text(data + 1, size - 1);
  fz::expect_only_errors([&] {
    if (reader == 0) {
      const fc::EngagementEpisodes eps = fc::read_engagement_episodes(fz::as_file("early_help", ".csv", data + 1, size - 1));
      fz::check(eps.rows_read == eps.episodes.size() + eps.rejects.size(), "every row read is an episode or a reject");
      for (const fc::EngagementEpisode& e : eps.episodes)
        fz::check(!e.end || !(*e.end < e.start), "no episode ends before it starts");
    } else if (reader == 1) {
      for (const fc::FlagInput& f : fc::read_safeguarding_scores(fz::as_file("scores", ".csv", data + 1, size - 1)))
        fz::check(f.score >= 0 && f.score <= 1, "a score read is in [0, 1]");
    } else if (reader == 2) {
      const fc::savings::Result r = fc::savings::calculate(fc::savings::parse_intervention(std::string(text), "fuzz.intervention.json"));
      fz::check(std::isfinite(r.cost) && std::isfinite(r.gross) && std::isfinite(r.net),
                "a calculated intervention has finite cost, gross and net");
    } else {
      fc::parse_scenarios(text);
    }
  });
  return 0;
}
