// SPDX-License-Identifier: Apache-2.0
// earlyhelp._core.forecast: demand forecast, back-test and savings calculator as plain columns
// (pandas frames and matplotlib figures are built in earlyhelp/forecasting.py).

#include "bind.hpp"
#include "earlyhelp/core/date.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/forecast/backtest.hpp"
#include "earlyhelp/forecast/engagement.hpp"
#include "earlyhelp/forecast/forecast.hpp"
#include "earlyhelp/forecast/savings.hpp"

#include <pybind11/stl.h>

#include <string>
#include <vector>

namespace py = pybind11;

namespace earlyhelp::python {
namespace {

namespace fc = earlyhelp::forecast;

struct EngagementFit {
  fc::EngagementOptions options;
  fc::EngagementResult result;  // the model and the families open on the as-of date
  std::string rejects;          // rejects_csv of the file fitted on
};

Date to_date(const std::string& text, const char* what) {
  const auto d = parse_date(text);
  EH_CHECK(d.has_value(), "forecast: {} is not a date (expected YYYY-MM-DD)", what);
  return *d;
}

fc::ForecastInput load(const std::string& data, const std::vector<std::string>& header, const std::vector<std::string>& episodes,
                       const std::string& population, const std::string& unit_costs) {
  EH_CHECK(data.empty() != episodes.empty(), "forecast: give either data (an extracts folder) or ssda903_header and ssda903_episodes");
  return data.empty() ? fc::load_ssda903(header, episodes, population, unit_costs) : fc::load_extracts(data, population, unit_costs);
}

py::dict forecast_columns(const fc::ForecastResult& r) {
  std::vector<std::string> date, scenario, state;
  std::vector<double> cm, c05, c50, c95, km, k05, k95;
  for (const auto& row : r.rows) {
    date.push_back(format_date(row.date)), scenario.push_back(row.scenario), state.push_back(row.state);
    cm.push_back(row.count_mean), c05.push_back(row.count_p05), c50.push_back(row.count_p50), c95.push_back(row.count_p95);
    km.push_back(row.cost_mean), k05.push_back(row.cost_p05), k95.push_back(row.cost_p95);
  }
  py::dict f;
  f["date"] = date, f["scenario"] = scenario, f["state"] = state, f["count_mean"] = cm, f["count_p05"] = c05, f["count_p50"] = c50;
  f["count_p95"] = c95, f["cost_mean"] = km, f["cost_p05"] = k05, f["cost_p95"] = k95;
  py::dict cc;
  std::vector<std::string> sc;
  std::vector<int> years;
  std::vector<double> base, am, a05, a95, ch, pct, prog, net;
  for (const auto& c : r.cost_change) {
    sc.push_back(c.scenario), years.push_back(c.years), base.push_back(c.baseline_annual_cost), am.push_back(c.annual_cost_mean);
    a05.push_back(c.annual_cost_p05), a95.push_back(c.annual_cost_p95), ch.push_back(c.change), pct.push_back(c.change_pct);
    prog.push_back(c.programme_cost), net.push_back(c.net_change);
  }
  cc["scenario"] = sc, cc["years"] = years, cc["baseline_annual_cost"] = base, cc["annual_cost_mean"] = am, cc["annual_cost_p05"] = a05;
  cc["annual_cost_p95"] = a95, cc["change"] = ch, cc["change_pct"] = pct, cc["programme_cost"] = prog, cc["net_change"] = net;
  py::dict tr;
  std::vector<std::string> band, sex, from, to;
  std::vector<double> count, exposure, rate, lo, hi, prob;
  for (const auto& t : r.model.table()) {
    band.emplace_back(fc::age_band_names[static_cast<std::size_t>(t.band)]), sex.emplace_back(fc::sex_names[static_cast<std::size_t>(t.sex)]);
    from.push_back(fc::state_name(t.from)), to.push_back(fc::state_name(t.to)), count.push_back(t.count), exposure.push_back(t.exposure);
    rate.push_back(t.rate), lo.push_back(t.low), hi.push_back(t.high), prob.push_back(t.probability);
  }
  tr["age_band"] = band, tr["sex"] = sex, tr["from"] = from, tr["to"] = to, tr["count"] = count, tr["exposure"] = exposure;
  tr["rate"] = rate, tr["rate_low"] = lo, tr["rate_high"] = hi, tr["probability"] = prob;
  py::dict rj;
  std::vector<std::string> file, field, reason;
  std::vector<std::size_t> row, line;
  for (const auto& j : r.rejects) file.push_back(j.file), row.push_back(j.row), line.push_back(j.line), field.push_back(j.field), reason.push_back(j.reason);
  rj["file"] = file, rj["row"] = row, rj["line"] = line, rj["field"] = field, rj["reason"] = reason;
  py::dict lc;
  std::vector<std::string> months;
  std::vector<double> child_months, moves, raw, ratio;
  for (int b = 0; b < fc::n_care_bands; ++b) {
    const auto bi = static_cast<std::size_t>(b);
    months.emplace_back(fc::care_band_names[bi]), child_months.push_back(r.model.leave_exposure[bi]), moves.push_back(r.model.leave_moves[bi]);
    raw.push_back(r.model.leave_exposure[bi] > 0 ? r.model.leave_moves[bi] / r.model.leave_exposure[bi] : 0.0);
    ratio.push_back(r.model.leave_hazard[bi]);
  }
  lc["months_in_care"] = months, lc["child_months"] = child_months, lc["leaving_moves"] = moves, lc["raw_rate"] = raw;
  lc["hazard_ratio"] = ratio;
  py::dict out;
  out["forecast"] = f, out["cost_change"] = cc, out["transitions"] = tr, out["rejects"] = rj, out["leaving_care"] = lc;
  out["summary"] = fc::forecast_summary(r);
  out["warnings"] = r.warnings;
  return out;
}

py::dict backtest_columns(const fc::BacktestResult& r) {
  py::dict rows, scores, hist;
  std::vector<std::string> date, state;
  std::vector<double> obs, model, naive, linear;
  for (const auto& x : r.rows)
    date.push_back(format_date(x.date)), state.push_back(x.state), obs.push_back(x.observed), model.push_back(x.model), naive.push_back(x.naive),
        linear.push_back(x.linear);
  rows["date"] = date, rows["state"] = state, rows["observed"] = obs, rows["model"] = model, rows["naive"] = naive, rows["linear"] = linear;
  std::vector<std::string> s_state, s_method;
  std::vector<double> mape, end;
  for (const auto& s : r.scores) s_state.push_back(s.state), s_method.push_back(s.method), mape.push_back(s.mape), end.push_back(s.ape_end);
  scores["state"] = s_state, scores["method"] = s_method, scores["mape"] = mape, scores["ape_end"] = end;
  std::vector<std::string> h_date, h_state;
  std::vector<double> h_obs;
  for (std::size_t m = 0; m < r.history.size(); ++m)
    for (std::size_t s = 0; s < 3; ++s)
      h_date.push_back(format_date(r.history_dates[m])), h_state.emplace_back(fc::backtest_states[s]), h_obs.push_back(r.history[m][s]);
  hist["date"] = h_date, hist["state"] = h_state, hist["observed"] = h_obs;
  py::dict out;
  out["rows"] = rows, out["scores"] = scores, out["history"] = hist, out["split"] = format_date(r.split);
  out["summary"] = fc::backtest_summary(r);
  return out;
}

}  // namespace

void bind_forecast(py::module_& m) {
  auto fm = m.def_submodule("forecast", "Demand forecasting and savings (use earlyhelp.forecast / earlyhelp.savings)");
  fm.def(
      "run",
      [](const std::string& data, const std::string& as_of, int horizon_months, const std::string& scenarios, const std::string& population,
         const std::string& unit_costs, int simulations, std::uint64_t seed, int n_threads, const std::vector<std::string>& ssda903_header,
         const std::vector<std::string>& ssda903_episodes, const std::string& out, const py::object& progress) {
        fc::ForecastResult r;
        const Progress on_progress = progress_from(progress);
        {
          py::gil_scoped_release nogil;
          const fc::ForecastInput in = load(data, ssda903_header, ssda903_episodes, population, unit_costs);
          fc::ForecastOptions o;
          o.as_of = to_date(as_of, "as_of");
          o.horizon_months = horizon_months;
          o.scenarios = fc::parse_scenarios(scenarios);
          o.simulations = simulations;
          o.seed = seed;
          o.n_threads = n_threads;
          o.progress = on_progress;
          r = fc::run_forecast(in, o);
          if (!out.empty()) fc::write_forecast(r, out);
        }
        return forecast_columns(r);
      },
      py::arg("data"), py::arg("as_of"), py::arg("horizon_months"), py::arg("scenarios"), py::arg("population"), py::arg("unit_costs"),
      py::arg("simulations"), py::arg("seed"), py::arg("n_threads"), py::arg("ssda903_header"), py::arg("ssda903_episodes"), py::arg("out"),
      py::arg("progress") = py::none(),
      "Runs earlyhelp::forecast::run_forecast (and write_forecast when out is given); returns columns. progress: None "
      "or a callable(stage, done, total) told the fit and project stages.");
  fm.def(
      "backtest",
      [](const std::string& data, const std::string& split, int months, const std::string& population, int simulations, std::uint64_t seed,
         int n_threads, const std::vector<std::string>& ssda903_header, const std::vector<std::string>& ssda903_episodes, const std::string& out,
         const py::object& progress) {
        const Progress on_progress = progress_from(progress);
        fc::BacktestResult r;
        {
          py::gil_scoped_release nogil;
          const fc::ForecastInput in = load(data, ssda903_header, ssda903_episodes, population, "");
          fc::BacktestOptions o;
          o.horizon_months = months;
          o.simulations = simulations;
          o.seed = seed;
          o.n_threads = n_threads;
          o.progress = on_progress;
          r = fc::backtest(in, split.empty() ? fc::default_split(in.history, months) : to_date(split, "split"), o);
          if (!out.empty()) fc::write_backtest(r, out);
        }
        return backtest_columns(r);
      },
      py::arg("data"), py::arg("split"), py::arg("months"), py::arg("population"), py::arg("simulations"), py::arg("seed"), py::arg("n_threads"),
      py::arg("ssda903_header"), py::arg("ssda903_episodes"), py::arg("out"),
      py::arg("progress") = py::none(),
      "Runs earlyhelp::forecast::backtest; returns columns. progress: None or a callable(stage, done, total) told "
      "the fit and project stages of the forecast before the split.");
  fm.def(
      "savings",
      [](const std::string& json_text, const std::string& name) {
        namespace sv = fc::savings;
        return sv::to_json(sv::calculate(sv::parse_intervention(json_text, name)));
      },
      py::arg("json_text"), py::arg("name"), "earlyhelp::forecast::savings::calculate on a JSON configuration; returns the result as JSON.");
  fm.def(
      "engagement",
      [](const std::string& path, const std::string& as_of, const std::string& data_start, double short_weeks, double weekly_cost,
         double threshold, double max_weeks, bool backtest, const std::string& data_end) {
        fc::EngagementOptions o;
        o.as_of = to_date(as_of, "as_of");
        if (!data_start.empty()) o.data_start = to_date(data_start, "data_start");
        o.short_weeks = short_weeks;
        o.weekly_cost = weekly_cost;
        o.threshold = threshold;
        o.max_weeks = max_weeks;
        py::dict out;
        std::string families, model, rejects, text;
        {
          py::gil_scoped_release nogil;
          const auto data = fc::read_engagement_episodes(path);
          rejects = fc::rejects_csv(data);
          if (backtest) {
            Date end = data_end.empty() ? o.as_of : to_date(data_end, "data_end");
            if (data_end.empty())
              for (const auto& e : data.episodes) end = std::max(end, e.end ? *e.end : e.start);
            const auto ev = fc::evaluate_engagement(data, end, o);
            text = fc::to_text(ev, o);
            families = fc::evaluation_csv(ev);  // the back-test's table travels in the same slot
          } else {
            const auto r = fc::assess_engagement(data, o);
            families = fc::families_csv(r);
            model = fc::model_csv(r.model);
            text = fc::to_text(r, data, o);
          }
        }
        out["families"] = families;
        out["model"] = model;
        out["rejects"] = rejects;
        out["text"] = text;
        return out;
      },
      py::arg("path"), py::arg("as_of"), py::arg("data_start"), py::arg("short_weeks"), py::arg("weekly_cost"), py::arg("threshold"),
      py::arg("max_weeks"), py::arg("backtest"), py::arg("data_end"),
      "earlyhelp::forecast::assess_engagement (or evaluate_engagement); returns the CSV tables and the summary text.");

  // The fitted model kept for one family's prediction (the C API's eh_engagement handle).
  py::class_<EngagementFit>(fm, "EngagementModel",
                            "The engagement model fitted on an early_help_episodes file (forecast::assess_engagement), "
                            "kept to score one family's episode at a time (forecast::score_engagement).")
      .def_static(
          "fit",
          [](const std::string& path, const std::string& as_of, const std::string& data_start, double short_weeks,
             double weekly_cost, double threshold, double max_weeks) {
            EngagementFit e;
            e.options.as_of = to_date(as_of, "as_of");
            if (!data_start.empty()) e.options.data_start = to_date(data_start, "data_start");
            e.options.short_weeks = short_weeks;
            e.options.weekly_cost = weekly_cost;
            e.options.threshold = threshold;
            e.options.max_weeks = max_weeks;
            py::gil_scoped_release nogil;
            const auto data = fc::read_engagement_episodes(path);
            e.rejects = fc::rejects_csv(data);
            e.result = fc::assess_engagement(data, e.options);
            return e;
          },
          py::arg("path"), py::arg("as_of"), py::arg("data_start"), py::arg("short_weeks"), py::arg("weekly_cost"),
          py::arg("threshold"), py::arg("max_weeks"),
          "Reads the episodes file and fits (forecast::assess_engagement, as eh_engagement_fit_file).")
      .def("families_csv", [](const EngagementFit& e) { return fc::families_csv(e.result); },
           "The families open on the as-of date, scored (CSV text).")
      .def("model_csv", [](const EngagementFit& e) { return fc::model_csv(e.result.model); },
           "The model's coefficients (CSV text).")
      .def_readonly("rejects_csv", &EngagementFit::rejects, "The rows of the file that could not be read (CSV text).")
      .def(
          "predict",
          [](const EngagementFit& e, const std::vector<std::string>& columns, const std::vector<std::string>& values,
             int earlier_episodes) {
            fc::FamilyEngagement f;
            {
              py::gil_scoped_release nogil;
              const fc::EngagementEpisode ep = fc::parse_engagement_episode(columns, values, earlier_episodes);
              f = fc::score_engagement(e.result.model, ep, e.options);
            }
            py::dict out;
            out["weeks_engaged"] = f.weeks_engaged;
            out["p_short"] = f.p_short;
            out["p_achieved"] = f.p_achieved;
            out["expected_weeks"] = f.expected_weeks;
            out["weeks_saved"] = f.weeks_saved;
            out["avoided_cost"] = f.avoided_cost;
            out["problems"] = f.problems;
            out["listed"] = f.listed;
            return out;
          },
          py::arg("columns"), py::arg("values"), py::arg("earlier_episodes") = 0,
          "One family's episode open on the as-of date, scored as the fit scored each open episode "
          "(forecast::score_engagement; the C API's eh_engagement_predict).\n\ncolumns, values: the episode's "
          "early_help_episodes columns and their text values. earlier_episodes: the family's episodes that started "
          "before this one.\nReturns weeks_engaged, p_short, p_achieved, expected_weeks, weeks_saved, avoided_cost, "
          "problems, listed. Raises InvalidArgument when the row is rejected or the episode is not open on the date.");
}

}  // namespace earlyhelp::python
