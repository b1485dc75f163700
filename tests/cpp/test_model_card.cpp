// SPDX-License-Identifier: Apache-2.0
// Model cards and transparency records (issue 17): an evaluation read back from its JSON, the
// card's figures and fairness gaps from a hand-built evaluation, the synthetic-data warning, and
// the organisation file.
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/governance/evaluation.hpp"
#include "earlyhelp/governance/evaluation_report.hpp"
#include "earlyhelp/models/linear.hpp"
#include "earlyhelp/models/model.hpp"
#include "earlyhelp/profiling/model_card.hpp"
#include "earlyhelp/profiling/profile.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

using namespace earlyhelp;

namespace {

// 43 rows in three groups. At score >= 0.5: group A finds all 10 of its outcomes, group B 5 of
// its 10 (false-negative rate 0.5), group C (1 outcome) is too small to judge.
governance::EvaluationDocument hand_evaluation() {
  std::vector<double> y, s;
  std::vector<std::string> g;
  auto add = [&](const char* group, int n, double outcome, double score) {
    for (int i = 0; i < n; ++i) {
      y.push_back(outcome);
      s.push_back(score);
      g.emplace_back(group);
    }
  };
  add("A", 10, 1, 0.9);
  add("A", 10, 0, 0.1);
  add("B", 5, 1, 0.9);
  add("B", 5, 1, 0.2);
  add("B", 10, 0, 0.1);
  add("C", 1, 1, 0.9);
  add("C", 2, 0, 0.1);
  governance::EvaluationOptions o;
  o.selections = {governance::Selection::at_threshold(0.5), governance::Selection::top(10)};
  const Eigen::Map<const Eigen::VectorXd> yv(y.data(), static_cast<Index>(y.size()));
  const Eigen::Map<const Eigen::VectorXd> sv(s.data(), static_cast<Index>(s.size()));
  governance::EvaluationDocument d;
  d.evaluation = governance::evaluate(yv, sv, {governance::GroupColumn{"area", g}}, o);
  d.context = {{"domain", "safeguarding"}, {"evaluation_as_of", "2024-04-01"}};
  return d;
}

models::Model pilot_model() {
  RowMatrixXd coef(1, 2);
  coef << 0.4, -0.01;
  models::Model m(models::LinearModel(coef, Eigen::VectorXd::Constant(1, -2.0), models::Link::logit),
                  {"sc_contacts_365d", "age"});
  models::ModelInfo info;
  info.name = "anytown-safeguarding";
  info.version = "0.3";
  info.domain = "safeguarding";
  info.intended_use = "Pilot in Anytown children's services";
  info.training_window = "2021-04-01..2023-03-31";
  m.set_info(info);
  m.set_bands(models::RiskBands{{0.2, 0.5}, {"low", "medium", "high"}});
  m.set_thresholds({{"alert", 0.5}});
  return m;
}

}  // namespace

TEST_SUITE("profiling") {
  TEST_CASE("profiling.model_card: an evaluation read back from its JSON writes the same JSON") {
    const auto d = hand_evaluation();
    const std::string json = governance::evaluation_to_json(d.evaluation, d.context);
    const auto back = governance::evaluation_from_json(json, "e.json");
    CHECK(governance::evaluation_to_json(back.evaluation, back.context) == json);
    CHECK(back.context.at("domain") == "safeguarding");
    CHECK(back.evaluation.by_group.size() == d.evaluation.by_group.size());
  }

  TEST_CASE("profiling.model_card: a file that is not an evaluation is a FormatError naming the field") {
    CHECK_THROWS_WITH_AS(governance::evaluation_from_json("{\"format\": \"other\"}", "x.json"),
                         doctest::Contains("x.json: format: expected \"earlyhelp.evaluation\""), FormatError);
    CHECK_THROWS_WITH_AS(governance::evaluation_from_json("[1,", "x.json"), doctest::Contains("x.json: not JSON"),
                         FormatError);
    auto j = nlohmann::json::parse(governance::evaluation_to_json(hand_evaluation().evaluation));
    j["by_group"][1]["rows"] = "many";
    CHECK_THROWS_WITH_AS(governance::evaluation_from_json(j.dump(), "x.json"),
                         doctest::Contains("x.json: by_group[1].rows: expected a count"), FormatError);
    j = nlohmann::json::parse(governance::evaluation_to_json(hand_evaluation().evaluation));
    j.erase("roc_auc");
    CHECK_THROWS_WITH_AS(governance::evaluation_from_json(j.dump(), "x.json"),
                         doctest::Contains("x.json: roc_auc: missing"), FormatError);
  }

  TEST_CASE("profiling.model_card: the card states the figures, the fairness gap at the alert threshold and "
            "the groups too small to judge") {
    const auto ev = hand_evaluation();
    const auto docs = profiling::model_documents(pilot_model(), ev);
    CHECK_FALSE(docs.synthetic);
    CHECK(docs.card_markdown.find("synthetic") == std::string::npos);
    const auto card = nlohmann::json::parse(docs.card_json);
    CHECK(card["format"] == "earlyhelp.model_card");
    CHECK(card["domain"]["horizon_months"] == 9);
    CHECK(card["alert_threshold"] == 0.5);
    CHECK(card["features"].size() == 2);
    CHECK(card["features"][0]["stream"] == "social_care_contacts");
    CHECK(card["performance"]["roc_auc"].get<double>() == doctest::Approx(ev.evaluation.roc_auc));
    bool found = false;
    for (const auto& g : card["fairness"]["widest_gaps"]) {
      if (g["selection"] != "score >= 0.5") continue;
      found = true;
      CHECK(g["judged_groups"] == 2);
      CHECK(g["false_negative_rate_gap"].get<double>() == doctest::Approx(0.5));
      CHECK(g["highest_false_negative_rate_group"] == "B");
    }
    CHECK(found);
    CHECK(card["fairness"]["too_small_to_judge"].size() == 1);
    CHECK(docs.card_markdown.find("By area at score >= 0.5: the false-negative rate differs by 0.5000") !=
          std::string::npos);
    CHECK(docs.card_markdown.find("area = C (1 positive, fewer than 10)") != std::string::npos);
    CHECK(docs.card_markdown.find("Scores are advisory") != std::string::npos);
  }

  TEST_CASE("profiling.model_card: the record fills what the council gives and lists the rest to complete") {
    const auto ev = hand_evaluation();
    auto docs = profiling::model_documents(pilot_model(), ev);
    const auto& keys = profiling::OrganisationDetails::keys();
    CHECK(std::find(docs.to_complete.begin(), docs.to_complete.end(), "organisation") != docs.to_complete.end());
    CHECK(docs.record_markdown.find("**Organisation**: *To complete.*") != std::string::npos);
    const auto org = profiling::OrganisationDetails::from_json(
        R"({"organisation": "Anytown Council", "human_review": "Two social workers review every alert."})", "org.json");
    docs = profiling::model_documents(pilot_model(), ev, org);
    CHECK(std::find(docs.to_complete.begin(), docs.to_complete.end(), "organisation") == docs.to_complete.end());
    CHECK(docs.to_complete.size() < keys.size());
    const auto record = nlohmann::json::parse(docs.record_json);
    CHECK(record["tier_1"]["organisation"] == "Anytown Council");
    CHECK(record["tier_1"]["website"].is_null());
    CHECK(record["decision_making_process"]["human_review"] == "Two social workers review every alert.");
    CHECK(record["to_complete"].size() == docs.to_complete.size());
    CHECK_THROWS_WITH_AS(profiling::OrganisationDetails::from_json(R"({"organisaton": "x"})", "org.json"),
                         doctest::Contains("did you mean \"organisation\""), FormatError);
    CHECK_THROWS_AS(profiling::OrganisationDetails::from_json(R"({"team": 3})", "org.json"), FormatError);
  }

  TEST_CASE("profiling.model_card: the reference bundles carry the synthetic-data warning; a mismatched "
            "evaluation is refused") {
    const auto dm = profiling::DomainModel::reference("asb");
    const auto docs = profiling::model_documents(dm.model, profiling::reference_evaluation("asb"));
    CHECK(docs.synthetic);
    CHECK(docs.card_markdown.find("Not for use on residents") != std::string::npos);
    CHECK(docs.record_markdown.find("Not for use on residents") != std::string::npos);
    CHECK(nlohmann::json::parse(docs.card_json)["features"].size() == dm.model.feature_names().size());
    CHECK_THROWS_WITH_AS(profiling::model_documents(dm.model, profiling::reference_evaluation("debt")),
                         doctest::Contains("the evaluation is of domain 'debt'"), InvalidArgument);
    CHECK_THROWS_AS(profiling::reference_evaluation("weather"), InvalidArgument);
  }
}
