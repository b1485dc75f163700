// SPDX-License-Identifier: Apache-2.0
// `earlyhelp model import|info`: build a model bundle from an XGBoost JSON model bound to a
// schema's fields, and describe a bundle.

#include "cli.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/io/output_file.hpp"
#include "earlyhelp/models/import_xgboost.hpp"
#include "earlyhelp/models/model.hpp"
#include "earlyhelp/schema/schema.hpp"

#include <fmt/format.h>

#include <map>
#include <memory>

namespace earlyhelp::cli {

namespace {

// Field name -> plain-language label (Field::label, or the name when it has none) over every
// stream of the schema at `path`, or of the built-in catalogue for "" / "builtin".
std::map<std::string, std::string> schema_labels(const std::string& path) {
  const auto schema = load_schema(path, "model import");
  std::map<std::string, std::string> out;
  for (const auto& s : schema.streams) {
    for (const auto& f : s.fields) out.emplace(f.name, f.label.empty() ? f.name : f.label);
  }
  return out;
}

struct ImportOptions {
  std::string xgboost, schema, out, key_file, name, version, domain, owner, intended_use, window;
  std::vector<std::string> features;
  std::size_t memory_budget = models::default_import_memory_budget;
};


}  // namespace

void register_model(CLI::App& app) {
  auto* model = app.add_subcommand("model", "Import and inspect model bundles (.ehm)");
  model->require_subcommand(1);

  auto opt = std::make_shared<ImportOptions>();
  auto* imp = model->add_subcommand("import", "Build a bundle from an XGBoost JSON model");
  imp->add_option("--xgboost", opt->xgboost, "XGBoost JSON model (Booster.save_model; '-': standard input, streamed)")
      ->required();
  imp->add_option("--schema", opt->schema,
                  "schema JSON, or 'builtin' (the default): every model feature named in it gets "
                  "its field label; with an explicit file every feature must be one of its fields ('-': standard input)");
  imp->add_option("--features", opt->features,
                  "feature names in model column order (default: the names saved in the model)");
  writes_file(imp->add_option("--out", opt->out, "bundle file to write ('-': standard output)"))->required();
  imp->add_option("--memory-budget", opt->memory_budget,
                  "memory the import may use, e.g. 512MB or 4GB (default 2GB); a larger model is refused")
      ->transform(CLI::AsSizeValue(false))
      ->default_str("2GB");
  imp->add_option("--key-file", opt->key_file, "sign the bundle with the HMAC key in this file ('-': standard input)");
  imp->add_option("--name", opt->name, "model name");
  imp->add_option("--version", opt->version, "model version");
  imp->add_option("--domain", opt->domain, "safeguarding, homelessness, asb, debt, ...");
  imp->add_option("--owner", opt->owner, "owner");
  imp->add_option("--intended-use", opt->intended_use, "intended use");
  imp->add_option("--training-window", opt->window, "training window, e.g. 2019-04-01..2023-03-31");
  add_common_options(*imp, {"earlyhelp model import --xgboost asb.json --name asb --version 2024.1 --domain asb "
                            "--key-file bundle.key --out asb.ehm"});
  imp->callback([opt] {
    set_exit_code(run_guarded("model import", [&] {
      io::check_distinct_files("model import",
                               {{"--xgboost", opt->xgboost}, {"--schema", opt->schema}, {"--key-file", opt->key_file}},
                               {{"--out", opt->out}});
      check_one_standard_input("model import",
                               {{"--xgboost", opt->xgboost}, {"--schema", opt->schema}, {"--key-file", opt->key_file}});
      EH_CHECK(opt->memory_budget > 0, "model import: --memory-budget must be positive");
      auto x = models::import_xgboost_json_file(opt->xgboost, opt->memory_budget);
      auto names = opt->features.empty() ? x.feature_names : opt->features;
      EH_CHECK(names.empty() || static_cast<Index>(names.size()) == x.ensemble.n_features(),
               "model import: {} feature names for a model with {} features", names.size(),
               x.ensemble.n_features());
      models::Model m(std::move(x.ensemble), names);
      if (!names.empty()) {
        // An explicit schema binds the model: every feature must be one of its fields. The
        // built-in catalogue (no --schema) only supplies labels for the features it knows.
        const bool bind = !opt->schema.empty() && opt->schema != "builtin";
        const auto labels = schema_labels(opt->schema);
        std::map<std::string, std::string> used;
        for (const auto& n : names) {
          const auto it = labels.find(n);
          if (it != labels.end()) {
            used[n] = it->second;
          } else {
            EH_CHECK(!bind, "model import: feature '{}' is not a field of schema {}", n, opt->schema);
          }
        }
        m.set_labels(std::move(used));
      } else {
        EH_CHECK(opt->schema.empty() || opt->schema == "builtin",
                 "model import: binding to a schema needs feature names (--features or saved in "
                 "the model)");
      }
      current_run().input("xgboost", opt->xgboost);
      if (!opt->schema.empty() && opt->schema != "builtin") current_run().input("schema", opt->schema);
      models::ModelInfo info;
      info.name = opt->name;
      info.version = opt->version;
      info.domain = opt->domain;
      info.owner = opt->owner;
      info.intended_use = opt->intended_use;
      info.training_window = opt->window;
      m.set_info(std::move(info));
      m.save(opt->out, read_bundle_key(opt->key_file, "model import"));
      current_run().output("bundle", opt->out);
      fmt::print("wrote {} ({} features, {})\n", opt->out, m.n_features(), m.kind());
      return exit_ok;
    }));
  });

  auto path = std::make_shared<std::string>();
  auto key_file = std::make_shared<std::string>();
  auto* info = model->add_subcommand("info", "Describe a bundle");
  info->add_option("bundle", *path, "bundle file (.ehm; '-': standard input)")->required();
  info->add_option("--key-file", *key_file, "require the bundle to be signed with this HMAC key ('-': standard input)");
  add_common_options(*info, {"earlyhelp model info asb.ehm --key-file bundle.key"});
  info->callback([path, key_file] {
    set_exit_code(run_guarded("model info", [&] {
      check_one_standard_input("model info", {{"bundle", *path}, {"--key-file", *key_file}});
      const std::string key = read_bundle_key(*key_file, "model info");
      const auto m = *path == "-" ? models::Model::from_bytes(read_whole_file(*path, "model info"), key)
                                  : models::Model::load(*path, key);
      current_run().input("bundle", *path);
      current_run().param("kind", std::string(m.kind()));
      current_run().count("features", static_cast<double>(m.n_features()));
      current_run().count("outputs", static_cast<double>(m.n_outputs()));
      current_run().param("name", m.info().name);
      current_run().param("version", m.info().version);
      current_run().param("domain", m.info().domain);
      const auto& i = m.info();
      fmt::print("kind: {}\n", m.kind());
      if (const auto* t = std::get_if<models::TreeEnsemble>(&m.estimator())) {
        fmt::print("objective: {}\ntrees: {}\nmax depth: {}\n", models::objective_name(t->objective()),
                   t->n_trees(), t->max_depth());
      }
      fmt::print("features: {}\noutputs: {}\n", m.n_features(), m.n_outputs());
      for (std::size_t j = 0; j < m.feature_names().size(); ++j) {
        const auto& n = m.feature_names()[j];
        const auto it = m.labels().find(n);
        fmt::print("  {:3} {}{}\n", j, n, it == m.labels().end() ? "" : " (" + it->second + ")");
      }
      fmt::print("name: {}\nversion: {}\ndomain: {}\nowner: {}\nintended use: {}\ntraining window: {}\n",
                 i.name, i.version, i.domain, i.owner, i.intended_use, i.training_window);
      for (const auto& [k, v] : i.evaluation) fmt::print("evaluation {}: {}\n", k, v);
      fmt::print("calibration: {}\n", !m.calibration() ? "none"
                                      : m.calibration()->kind == models::Calibration::Kind::platt
                                          ? "platt" : "isotonic");
      fmt::print("bands: {}\n", m.bands().empty() ? std::string("none") : fmt::format("{}", fmt::join(m.bands().names, ", ")));
      return exit_ok;
    }));
  });

  register_model_card(*model);
}

}  // namespace earlyhelp::cli
