// SPDX-License-Identifier: Apache-2.0
// Risk profiling on a date (profiling/profile.hpp) on a hand-built council: scores per person
// (a family's score for each member), alerts only on change against the history, reasons as the
// features' sentences, and the guards (a bundle needing a feature the domain lacks, no threshold).
// Retraining (profiling/train.hpp): a logistic regression that finds the one informative feature.
// One subject's row (profiling/domain_row.hpp, score_row.hpp): a case system's row of a household
// scores the family as profile does.
#include "features_test_data.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/features/case.hpp"
#include "earlyhelp/features/load.hpp"
#include "earlyhelp/profiling/domain_row.hpp"
#include "earlyhelp/profiling/profile.hpp"
#include "earlyhelp/profiling/score_row.hpp"
#include "earlyhelp/profiling/train.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

using namespace earlyhelp;
using namespace earlyhelp::profiling;
using eh_test::Row;

namespace {

Row reg(const std::string& person, const std::string& dob) {
  return Row{person, {{"dob", dob}, {"start_date", "2020-01-01"}}};
}

// An ASB model over one feature: p = sigmoid(3 x - 2): 0.119 with no incident, 0.731 with one.
std::string asb_bundle(const eh_test::CouncilDir& dir, const std::string& feature, bool threshold = true) {
  RowMatrixXd coef(1, 1);
  coef(0, 0) = 3;
  Eigen::VectorXd b(1);
  b(0) = -2;
  models::Model m(models::LinearModel(coef, b, models::Link::logit), {feature});
  m.set_bands(models::RiskBands{{0.5}, {"low", "high"}});
  if (threshold) m.set_thresholds({{"alert", 0.5}});
  m.set_info(models::ModelInfo{"asb-test", "2", "asb", "", "", "", {}});
  const std::string path = dir.path(feature + (threshold ? ".ehm" : ".nothreshold.ehm"));
  m.save(path);
  return path;
}

struct Council {
  eh_test::CouncilDir dir{"profile"};
  features::Linkage links{schema::Schema::builtin()};
  Council() {
    dir.stream("person_register", {reg("y12", "2012-01-01"), reg("y13", "2011-01-01"), reg("a1", "1980-01-01")});
    dir.stream("asb_incidents",
               {{"y12", {{"incident_date", "2024-05-01"}, {"role", "perpetrator"}}},     // between the two dates
                {"y13", {{"incident_date", "2022-01-01"}, {"role", "perpetrator"}}}});  // long before either
    links = features::read_persons_csv(dir.persons(), schema::Schema::builtin());
    features::read_households_csv(links, dir.households({{"y12", "h1", "child"}, {"a1", "h1", "adult"},
                                                         {"y13", "h2", "child"}}));
  }
  ProfileOptions options(const std::string& model) const {
    ProfileOptions o;
    o.domains = {"asb"};
    o.models = {{"asb", model}};
    o.history = dir.path("history.sqlite");
    o.n_threads = 1;
    return o;
  }
};

const ScoreRow& row_of(const DomainProfile& d, const std::string& person) {
  return *std::find_if(d.scores.begin(), d.scores.end(), [&](const ScoreRow& r) { return r.person_id == person; });
}

}  // namespace

TEST_SUITE("profiling") {

TEST_CASE("profiling.profile: scores per person, and an alert only when the score rose since the last run") {
  const Council c;
  const ProfileOptions o = c.options(asb_bundle(c.dir, "asb_perpetrator_365d"));
  const ProfileResult first = profile(c.dir.data(), c.links, *parse_date("2024-04-01"), o);
  REQUIRE(first.domains.size() == 1);
  const DomainProfile& d1 = first.domains[0];
  CHECK(d1.subjects == 3);
  CHECK(d1.model.name == "asb-test");
  CHECK(d1.model.sha256.size() == 64);
  CHECK(row_of(d1, "y12").score == doctest::Approx(0.119202922).epsilon(1e-8));
  CHECK(row_of(d1, "y12").family_id == "h1");
  CHECK(row_of(d1, "y12").band == "low");
  CHECK(d1.decisions.alerts.empty());  // a first assessment is the baseline

  const ProfileResult second = profile(c.dir.data(), c.links, *parse_date("2024-07-01"), o);
  const DomainProfile& d2 = second.domains[0];
  CHECK(row_of(d2, "y12").score == doctest::Approx(0.731058579).epsilon(1e-8));
  CHECK(row_of(d2, "y12").band == "high");
  REQUIRE(d2.decisions.alerts.size() == 1);
  const Alert& a = d2.decisions.alerts[0];
  CHECK(a.subject_id == "y12");
  CHECK(a.previous_score.value() == doctest::Approx(0.119202922).epsilon(1e-8));
  REQUIRE(a.reasons.size() == 1);
  CHECK(a.reasons[0] == "named as the perpetrator of 1 anti-social behaviour incident in the last year");
  CHECK(d2.in_contact == 1);  // y12's incident is a contact within 12 months; y13's is too old

  // The same date again adds nothing.
  const ProfileResult again = profile(c.dir.data(), c.links, *parse_date("2024-07-01"), o);
  CHECK(again.domains[0].rerun);
}

TEST_CASE("profiling.profile: a family domain gives each member the family's score") {
  const Council c;
  RowMatrixXd coef(1, 1);
  coef(0, 0) = 0.5;
  Eigen::VectorXd b(1);
  b(0) = -3;
  models::Model m(models::LinearModel(coef, b, models::Link::logit), {"family_size"});
  m.set_thresholds({{"alert", 0.9}});
  m.save(c.dir.path("homeless.ehm"));
  ProfileOptions o;
  o.domains = {"homelessness"};
  o.models = {{"homelessness", c.dir.path("homeless.ehm")}};
  o.n_threads = 1;
  const ProfileResult r = profile(c.dir.data(), c.links, *parse_date("2024-07-01"), o);
  const DomainProfile& d = r.domains[0];
  CHECK(d.subject_kind == SubjectKind::family);
  CHECK(d.subjects == 2);
  CHECK(row_of(d, "y12").family_id == "h1");
  CHECK(row_of(d, "a1").score == row_of(d, "y12").score);
  CHECK(row_of(d, "a1").score != row_of(d, "y13").score);  // households of 2 and of 1
  CHECK(row_of(d, "y12").band.empty());                    // the bundle has no bands
}

TEST_CASE("profiling.profile: bundles the domain cannot feed are refused before anything is read") {
  const Council c;
  CHECK_THROWS_WITH_AS(profile(c.dir.data(), c.links, *parse_date("2024-07-01"),
                               c.options(asb_bundle(c.dir, "no_such_feature"))),
                       doctest::Contains("needs feature 'no_such_feature'"), InvalidArgument);
  CHECK_THROWS_WITH_AS(profile(c.dir.data(), c.links, *parse_date("2024-07-01"),
                               c.options(asb_bundle(c.dir, "asb_perpetrator_365d", false))),
                       doctest::Contains("no 'alert' threshold"), InvalidArgument);
  ProfileOptions o = c.options(asb_bundle(c.dir, "asb_perpetrator_365d"));
  o.domains = {"fraud"};
  CHECK_THROWS_WITH_AS(profile(c.dir.data(), c.links, *parse_date("2024-07-01"), o),
                       doctest::Contains("neither a built-in domain"), InvalidArgument);
}

TEST_CASE("profiling.train: a logistic regression on the training table ranks the informative feature") {
  const Domain d = Domain::builtin("asb");
  DomainTable t;
  t.columns = d.features();
  const auto f = static_cast<Index>(d.features().size());
  const auto col = static_cast<Index>(std::find(t.columns.begin(), t.columns.end(), "asb_perpetrator_365d") -
                                      t.columns.begin());
  REQUIRE(col < f);
  t.values = features::ColMatrixXf::Constant(200, f, std::numeric_limits<float>::quiet_NaN());
  for (Index i = 0; i < 200; ++i) {
    const bool prior = i % 4 == 0;  // a quarter have an incident; most of them offend again
    t.values(i, col) = prior ? 1.0f : 0.0f;
    t.ids.push_back(std::to_string(i));
    t.as_of.push_back(*parse_date("2023-04-01"));
    t.outcome.push_back(static_cast<std::int8_t>(prior ? i % 8 == 0 || i % 12 == 0 : i % 25 == 1));
  }
  const TrainedModel m = train_domain_model(d, t, TrainOptions{});
  CHECK(m.rows == 200);
  CHECK(m.positives > 0);
  const auto& lm = std::get<models::LinearModel>(m.model.estimator());
  CHECK(lm.coef()(0, col) > 0.5);  // standardised coefficient of the informative feature
  CHECK(m.model.thresholds().count("alert") == 1);
  CHECK(m.model.bands().names == std::vector<std::string>{"low", "medium", "high"});
  CHECK(m.model.info().domain == "asb");
  DomainTable one_class = t;
  std::fill(one_class.outcome.begin(), one_class.outcome.end(), std::int8_t{0});
  CHECK_THROWS_WITH_AS(train_domain_model(d, one_class, TrainOptions{}), doctest::Contains("both outcomes"),
                       InvalidArgument);
}

TEST_CASE("profiling.domain_row: a row of the domain's features by name, and the names it lacks refused") {
  const Domain d = Domain::builtin("homelessness");
  const features::FeatureSet& set = d.feature_set();
  const std::vector<double> row = domain_row(d, {{"family_size", 2}, {"family_homeless_approaches_365d", 1}});
  REQUIRE(row.size() == set.size());
  CHECK(row[*set.find("family_size")] == 2);
  CHECK(row[*set.find("family_homeless_approaches_365d")] == 1);  // the domain's own feature
  CHECK(std::isnan(row[*set.find("age")]));                        // not named: not known
  CHECK_THROWS_WITH_AS(domain_row(Domain::builtin("asb"), {{"family_homeless_approaches_365d", 1}, {"age", 30}}),
                       "domain_row: not features of domain 'asb' (built-in or its own): family_homeless_approaches_365d",
                       InvalidArgument);
  CHECK_THROWS_WITH_AS(domain_row(d, {{"u1", 0}, {"u2", 0}, {"u3", 0}, {"u4", 0}, {"u5", 0}, {"u6", 0}, {"u7", 0}}),
                       "domain_row: not features of domain 'homelessness' (built-in or its own): u1, u2, u3, u4, u5 "
                       "and 2 more",
                       InvalidArgument);
}

TEST_CASE("profiling.score_row: a case holding a household's members scores the family as profile does") {
  // The shipped homelessness bundle on two households: h1, a mother (a domestic-abuse victim with
  // council tax arrears) and her child; h2, a man living alone known only from a homelessness
  // approach without a date of birth, whose role the households file does not know either.
  eh_test::CouncilDir dir("score_row_family");
  const std::map<std::string, std::vector<Row>> streams{
      {"person_register", {reg("a1", "1985-03-01"), reg("c1", "2016-05-01")}},
      {"police_domestic_abuse",
       {{"a1", {{"incident_date", "2024-02-01"}, {"role", "victim"}, {"risk_level", "high"}}},
        {"c1", {{"incident_date", "2024-02-01"}, {"role", "child_present"}, {"risk_level", "high"}}}}},
      {"council_tax",
       {{"a1", {{"account_ref", "A"}, {"snapshot_date", "2023-09-01"}, {"arrears_gbp", "120"}}},
        {"a1", {{"account_ref", "A"}, {"snapshot_date", "2024-03-01"}, {"arrears_gbp", "300"}, {"recovery_stage", "summons"}}}}},
      {"homelessness_applications",
       {{"l1", {{"dob", ""}, {"approach_date", "2024-01-15"}, {"duty_owed", "none"},
                {"reason_loss_of_home", "end_of_private_tenancy"}}}}},
  };
  for (const auto& [name, rows] : streams) dir.stream(name, rows);
  features::Linkage links = features::read_persons_csv(dir.persons(), schema::Schema::builtin());
  const std::map<std::string, features::Role> role{
      {"a1", features::Role::adult}, {"c1", features::Role::child}, {"l1", features::Role::unknown}};
  features::read_households_csv(links, dir.households({{"a1", "h1", "adult"}, {"c1", "h1", "child"},
                                                       {"l1", "h2", "unknown"}}));
  const Date as_of = *parse_date("2024-04-01");
  ProfileOptions o;
  o.domains = {"homelessness"};
  o.history = dir.path("history.sqlite");
  o.n_threads = 1;
  const ProfileResult r = profile(dir.data(), links, as_of, o);  // the shipped bundle
  const DomainProfile& scored = r.domains.at(0);
  REQUIRE(scored.subjects == 2);

  const Domain d = Domain::builtin("homelessness");
  const DomainModel m = DomainModel::reference("homelessness");
  const std::vector<std::pair<std::string, std::vector<std::string>>> families{{"h1", {"a1", "c1"}}, {"h2", {"l1"}}};
  for (const auto& [family, members] : families) {
    CAPTURE(family);
    // Each member with their records; every stream the extracts hold is given (empty for a
    // member with none), and each member's role as the households file has it: for l1 "unknown",
    // which is what makes a person living alone a household of one.
    features::CaseRecords c(d.feature_set());
    for (std::size_t k = 0; k < members.size(); ++k) {
      for (const auto& [name, rows] : streams) {
        std::vector<Row> mine;
        for (const Row& row : rows)
          if (row.person == members[k]) mine.push_back(row);
        const auto [header, values] = dir.table(name, mine);
        REQUIRE(c.add_rows(k, name, header, values) == 0);
      }
      c.set_role(k, role.at(members[k]));
    }
    const std::vector<float> values = c.row(as_of);
    const std::vector<double> row(values.begin(), values.end());
    CHECK(row[*d.feature_set().find("family_size")] == static_cast<double>(members.size()));
    const RowScore s = score_row(m.model, d.feature_set(), row.data(), row.size(), 0);
    CHECK(s.score == doctest::Approx(row_of(scored, members[0]).score).epsilon(1e-12));
  }
}

}  // TEST_SUITE
