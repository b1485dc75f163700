// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The Troubled Families engagement model: from early-help (family support) episodes, predict
/// how long a family's engagement lasts and whether it ends with its outcomes achieved (the
/// family "turned around"), from the family's headline problems at assessment and features; list
/// the families likely to be turned around in a short engagement, with the avoided cost per
/// family (the savings calculator, savings.hpp, with weeks of engagement saved).
///
/// **Data.** The schema's `early_help_episodes` stream (`earlyhelp synth --early-help` draws
/// it): family_ref, start_date, end_date (empty while open), closure_reason (outcomes_achieved,
/// stepped_up, disengaged, moved_away), children, and the six headline problems recorded at
/// assessment (problem_crime_asb, problem_school_attendance, problem_children_need_help,
/// problem_worklessness_debt, problem_domestic_abuse, problem_health). Only what is dated before
/// the as-of date is used: an episode that ends on or after it is open on it. Episodes that began
/// before the extract's first date are in it only because they were still open then, so they
/// enter the risk sets from that date (left truncation); the first date is `data_start` or, when
/// unset, the earliest end date in the file (an extract holds no episode that closed before it).
///
/// **Model.** A discrete-time competing-risks model in 4-week intervals: P(the episode closes in
/// interval k | open at its start) and P(outcomes achieved | it closes in interval k), each an
/// L2-regularised logistic regression (models/logistic_fit.hpp) on the six problems, their
/// number, children (capped at 4), the family's earlier episodes (capped at 2) and the interval
/// (seven bands: 1, 2, 3, 4-6, 7-9, 10-13, 14+). From them: the probability of being turned
/// around within `short_weeks`, and the expected length of engagement (restricted to
/// `max_weeks`), both given the weeks already engaged.
///
/// **Families.** Every episode open on the as-of date is scored; it is listed when its
/// probability of being turned around by `short_weeks` after its start is at least `threshold`.
/// A listed family's weeks saved = expected weeks under the current service - short_weeks (at
/// least 0), and its avoided cost = savings::calculate with those weeks at `weekly_cost` (the
/// county case: 24 weeks instead of 38 at 435 GBP a week = 6,090 GBP). Predictions are advisory:
/// they help plan a service, never decide a family's support.
///
/// Example:
/// @code
/// auto eps = earlyhelp::forecast::read_engagement_episodes("council/early_help_episodes.csv");
/// earlyhelp::forecast::EngagementOptions o;
/// o.as_of = *earlyhelp::parse_date("2024-10-01");
/// auto r = earlyhelp::forecast::assess_engagement(eps, o);
/// for (const auto& f : r.families) if (f.listed) fmt::print("{} {:.0f}\n", f.family_ref, f.avoided_cost);
/// @endcode

#include "earlyhelp/core/date.hpp"

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace earlyhelp::forecast {

/// The six headline problems, in the schema's column order (problem_<name>).
inline constexpr std::array<std::string_view, 6> headline_problems = {
    "crime_asb", "school_attendance", "children_need_help", "worklessness_debt", "domestic_abuse", "health"};

/// Why an episode closed.
enum class Closure { open, outcomes_achieved, stepped_up, disengaged, moved_away };
std::string_view to_string(Closure c) noexcept;

/// One early-help episode.
struct EngagementEpisode {
  std::string record_id, family_ref;
  Date start;
  std::optional<Date> end;  ///< none while open
  Closure closure = Closure::open;
  int children = 0;
  std::array<bool, 6> problems{};
  int earlier_episodes = 0;  ///< the family's episodes that started before this one (set by the reader)
};

/// A row that could not be read, with where and why (no cell value).
struct EngagementReject {
  std::string file;
  std::size_t row = 0;
  std::string field, reason;
};

/// The episodes of a file, plus what reading them found.
struct EngagementEpisodes {
  std::vector<EngagementEpisode> episodes;  ///< by family, then start
  std::vector<EngagementReject> rejects;
  std::size_t rows_read = 0;                ///< rows_read == episodes + rejects
  std::optional<Date> first_end;            ///< earliest end date (the extract's first date, see above)
};

/// Reads an early_help_episodes CSV, validated by the built-in schema: rows the schema rejects,
/// an end before the start, or a closure reason without an end (or an end without one) go to
/// rejects with the field and reason. @throws IOError if unreadable; SchemaError for a header
/// lacking the stream's required columns.
EngagementEpisodes read_engagement_episodes(const std::string& path);
/// As read_engagement_episodes, from CSV text (its header first); `name` stands for the file in
/// rejects and messages.
EngagementEpisodes parse_engagement_episodes(std::string csv_text, const std::string& name);
/// One episode a case system holds, as column names and their values (an early_help_episodes
/// row), checked as a file's rows are; `earlier_episodes` is the family's episodes that started
/// before it (a file's reader counts them). What the C API's eh_engagement_predict and Python's
/// EngagementModel.predict read a row with.
/// @throws InvalidArgument when the widths differ or the row is rejected (naming `what`, the field
/// and the reason, never the value); SchemaError for a missing required column.
EngagementEpisode parse_engagement_episode(const std::vector<std::string>& columns,
                                           const std::vector<std::string>& values, int earlier_episodes,
                                           const std::string& what = "the episode row");

/// Options of the engagement model.
struct EngagementOptions {
  Date as_of;                       ///< only data dated before it is used; open episodes on it are scored
  std::optional<Date> data_start;   ///< the extract's first date (default: the earliest end date)
  double short_weeks = 24;          ///< a short engagement (the county case: 24 weeks instead of 38)
  double weekly_cost = 435;         ///< avoided cost per family per week of engagement (unit-cost database)
  double threshold = 0.5;           ///< listed when P(turned around within short_weeks) >= threshold
  double max_weeks = 104;           ///< expected lengths are restricted to this
  double l2 = 1.0;                  ///< ridge penalty of both regressions (standardised features)
};

/// The fitted model: two logistic regressions on the design of the file header (see above).
struct EngagementModel {
  std::vector<std::string> features;  ///< design column names
  std::vector<double> center, scale;  ///< standardisation of each column
  std::vector<double> close_coef, outcome_coef;
  double close_intercept = 0, outcome_intercept = 0;
  std::size_t episodes = 0, intervals = 0, closures = 0, outcomes_achieved = 0;
};

/// One scored family (an episode open on the as-of date).
struct FamilyEngagement {
  std::string family_ref, record_id;
  Date start;
  double weeks_engaged = 0;        ///< from start to the as-of date
  int problems = 0;                ///< headline problems at assessment
  double p_short = 0;              ///< P(outcomes achieved by start + short_weeks | open now)
  double p_achieved = 0;           ///< P(outcomes achieved by start + max_weeks | open now)
  double expected_weeks = 0;       ///< expected total length (restricted to max_weeks)
  bool listed = false;             ///< p_short >= threshold
  double weeks_saved = 0;          ///< listed: max(0, expected_weeks - short_weeks)
  double avoided_cost = 0;         ///< listed: savings::calculate(weeks_saved at weekly_cost).gross
};

/// The families and their total.
struct EngagementResult {
  EngagementModel model;
  std::vector<FamilyEngagement> families;  ///< by p_short, highest first
  std::size_t listed = 0;
  double avoided_cost = 0;                  ///< over the listed families (the savings calculator)
};

/// Fits the model on the episodes as known before options.as_of.
/// @throws InvalidArgument with no closed episode, or no closure of both kinds, before as_of.
EngagementModel fit_engagement(const std::vector<EngagementEpisode>& episodes, std::optional<Date> first_end,
                               const EngagementOptions& options);

/// P(turned around by `weeks` after the start), expected length (weeks, restricted to
/// options.max_weeks) of an episode given it has been open `engaged_weeks`.
struct EngagementPrediction {
  double p_short = 0, p_achieved = 0, expected_weeks = 0;
};
EngagementPrediction predict_engagement(const EngagementModel& model, const EngagementEpisode& episode,
                                        double engaged_weeks, const EngagementOptions& options);

/// Scores one episode open on options.as_of (started before it, not ended before it): its
/// prediction, whether it is listed, and a listed family's weeks saved and avoided cost, as
/// assess_engagement scores each open episode (it calls this). For a case system asking about one
/// family (the C API's eh_engagement_predict). @throws InvalidArgument when the episode is not
/// open on options.as_of.
FamilyEngagement score_engagement(const EngagementModel& model, const EngagementEpisode& episode,
                                  const EngagementOptions& options);
/// Fits, then scores the episodes open on options.as_of. @throws as fit_engagement.
EngagementResult assess_engagement(const EngagementEpisodes& data, const EngagementOptions& options);

/// A back-test: fit before options.as_of, then judge the predictions for the episodes that
/// start from as_of on and whose short-term outcome is known by `data_end` (start + short_weeks
/// <= data_end), against a constant (the training share turned around within short_weeks;
/// the training mean length).
struct EngagementGroup {
  std::string group;               ///< e.g. "problems:3+" or "children:1"
  std::size_t episodes = 0;
  double mean_predicted = 0, observed = 0;  ///< share turned around within short_weeks
};
struct EngagementEvaluation {
  std::size_t train_episodes = 0, test_episodes = 0, positives = 0, listed = 0, listed_positives = 0;
  double base_rate = 0;            ///< training share turned around within short_weeks
  double brier = 0, brier_constant = 0;
  double auc = 0;
  double precision = 0, recall = 0;  ///< of the listed (p_short >= threshold)
  std::size_t length_episodes = 0;   ///< test episodes followed for max_weeks (or closed before)
  double length_mae = 0, length_mae_constant = 0;  ///< weeks, restricted to max_weeks
  std::vector<EngagementGroup> calibration;
};
EngagementEvaluation evaluate_engagement(const EngagementEpisodes& data, Date data_end, const EngagementOptions& options);

/// The families as CSV: family_ref, record_id, start_date, weeks_engaged, problems, p_short,
/// p_achieved, expected_weeks, listed, weeks_saved, avoided_cost (probabilities to 4 places,
/// weeks to 0.1, pounds to the pound).
std::string families_csv(const EngagementResult& result);
/// The model's coefficients as CSV (feature, center, scale, close, outcome; intercepts first):
/// each prediction is explained by them.
std::string model_csv(const EngagementModel& model);
/// Rejected rows as CSV (file, row, field, reason).
std::string rejects_csv(const EngagementEpisodes& data);
/// The back-test as CSV: metric,value rows (train_episodes ... length_mae_constant), then
/// calibration:<group>:episodes|predicted|observed rows.
std::string evaluation_csv(const EngagementEvaluation& evaluation);
/// Plain-text summaries (CLI).
std::string to_text(const EngagementResult& result, const EngagementEpisodes& data, const EngagementOptions& options);
std::string to_text(const EngagementEvaluation& evaluation, const EngagementOptions& options);

}  // namespace earlyhelp::forecast
