// SPDX-License-Identifier: Apache-2.0
// `earlyhelp profile`: linked extracts -> each domain's scores on a date and the alerts the policy
// raises against the assessment history. The step itself is profiling::profile(); this file only
// converts arguments and writes the CSV files.

#include "cli.hpp"
#include "families_csv.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/io/csv.hpp"
#include "earlyhelp/io/output_file.hpp"
#include "earlyhelp/profiling/link_extracts.hpp"
#include "earlyhelp/features/compute.hpp"
#include "earlyhelp/profiling/profile.hpp"
#include "earlyhelp/profiling/train.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <memory>
#include <optional>

namespace earlyhelp::cli {

namespace {

struct ProfileArgs {
  std::string data, as_of, persons, households, domains, history, output, scores, models_dir, key_file, rejects;
  std::string evaluation_start;
  std::string families, members, framework;  // --families: the families of a framework as well
  bool train = false;
  std::vector<std::string> model;
  int reasons = 3;
  int threads = 0;
  double min_rise = 0.05;
  int cooldown_days = 90;
  int contact_months = 12;
  bool alert_on_first = false;
  bool quiet = false;
};

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    const std::size_t end = std::min(s.find(',', start), s.size());
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string join(const std::vector<std::string>& v, std::string_view sep) { return fmt::format("{}", fmt::join(v, sep)); }

std::string score_text(double x) { return fmt::format("{:.6f}", x); }


profiling::ProfileOptions options_from(const ProfileArgs& a) {
  profiling::ProfileOptions o;
  o.domains = split_list(a.domains);
  for (const auto& m : a.model) {
    const auto eq = m.find('=');
    EH_CHECK(eq != std::string::npos && eq > 0 && eq + 1 < m.size(),
             "profile: --model expects DOMAIN=FILE (e.g. asb=asb.ehm), got '{}'", m);
    EH_CHECK(o.models.emplace(m.substr(0, eq), m.substr(eq + 1)).second, "profile: --model names domain '{}' twice",
             m.substr(0, eq));
  }
  if (!a.models_dir.empty()) {
    // --models DIR: DIR/<domain>.ehm for each domain scored that --model does not name.
    const auto names = o.domains.empty() ? profiling::Domain::builtin_names() : o.domains;
    for (const auto& n : names) {
      const std::string d = profiling::resolve_domain(n).name();
      const auto f = (std::filesystem::path(a.models_dir) / (d + ".ehm")).string();
      EH_CHECK(std::filesystem::is_regular_file(f), "profile: --models {}: no bundle {}.ehm for domain '{}'",
               a.models_dir, d, d);
      o.models.emplace(d, f);
    }
  }
  o.model_key = read_bundle_key(a.key_file, "profile");
  o.history = a.history;
  o.policy.min_rise = a.min_rise;
  o.policy.cooldown_days = a.cooldown_days;
  o.policy.alert_on_first_assessment = a.alert_on_first;
  o.contact.window_months = a.contact_months;
  o.reasons = a.reasons;
  o.n_threads = a.threads;
  o.rejects_dir = a.rejects;
  o.progress = progress_for(a.quiet);
  return o;
}

void write_scores(const std::string& path, const profiling::ProfileResult& r) {
  io::CsvWriter out = io::CsvWriter::open(path);
  out.write_row(std::vector<std::string>{"person_id", "family_id", "domain", "as_of", "score", "band"});
  const std::string as_of = format_date(r.as_of);
  for (const auto& d : r.domains)
    for (const auto& s : d.scores)
      out.write_row(std::vector<std::string>{s.person_id, s.family_id, d.domain, as_of, score_text(s.score), s.band});
  out.close();
}

void write_alerts(const std::string& path, const profiling::ProfileResult& r) {
  io::CsvWriter out = io::CsvWriter::open(path);
  out.write_row(std::vector<std::string>{"person_id", "family_id", "domain", "as_of", "score", "band", "previous_score",
                                         "reasons", "model", "model_sha256", "previous_as_of", "new_features",
                                         "model_version"});
  for (const auto& d : r.domains)
    for (const auto& a : d.decisions.alerts) {
      const bool person = a.subject_kind == profiling::SubjectKind::person;
      out.write_row(std::vector<std::string>{
          person ? a.subject_id : std::string(), person ? std::string() : a.subject_id, a.domain, format_date(a.as_of),
          score_text(a.score), a.band, a.previous_score ? score_text(*a.previous_score) : std::string(),
          join(a.reasons, "; "), a.model.name, a.model.sha256,
          a.previous_as_of ? format_date(*a.previous_as_of) : std::string(), join(a.new_features, ";"),
          a.model.version});
    }
  out.close();
}

// The linkage the run starts from: the extracts linked as of `date` into `linked` without
// --persons, else the persons (and households) files.
features::Linkage linkage(const ProfileArgs& a, Date date, const std::string& linked) {
  auto& run = current_run();
  if (a.persons.empty()) {
    fmt::print(stderr, "profile: no --persons: linking the extracts (persons and households written to {})\n", linked);
    features::Linkage links = profiling::link_extracts(a.data, date, linked, a.threads, progress_for(a.quiet));
    run.output("persons", linked);
    return links;
  }
  run.input("persons", a.persons);
  if (!a.households.empty()) run.input("households", a.households);
  return profiling::read_linkage(a.persons, a.households);
}

// --train: a model per domain fitted on the council's own history, written to --models DIR.
int run_train(const ProfileArgs& a) {
  auto& run = current_run();
  EH_CHECK(!a.data.empty(), "profile --train: --data DIR is required");
  EH_CHECK(!a.models_dir.empty(), "profile --train: --models DIR is required (the bundles are written there)");
  EH_CHECK(a.output.empty() && a.scores.empty() && a.history.empty() && a.model.empty(),
           "profile --train writes bundles to --models DIR only: --output, --scores, --history and --model are for "
           "scoring");
  profiling::TrainOptions o;
  o.as_of = features::parse_as_of(a.as_of);
  EH_CHECK(!a.evaluation_start.empty(),
           "profile --train: --evaluation-start DATE is required: training horizons must end before the period the "
           "model will be judged on");
  const auto ev = parse_date(a.evaluation_start);
  EH_CHECK(ev.has_value(), "profile --train: --evaluation-start must be a date (YYYY-MM-DD)");
  o.evaluation_start = ev;
  o.n_threads = a.threads;
  std::filesystem::create_directories(a.models_dir);
  const std::string linked = a.persons.empty() ? (std::filesystem::path(a.models_dir) / "persons.csv").string() : "";
  const Date link_date = *std::max_element(o.as_of.begin(), o.as_of.end());
  const features::Linkage links = linkage(a, link_date, linked);
  const std::string key = read_bundle_key(a.key_file, "profile");
  run.param("as_of", a.as_of);
  run.param("evaluation_start", a.evaluation_start);
  const auto names = split_list(a.domains);
  const Progress progress = progress_for(a.quiet);
  for (const auto& n : names.empty() ? profiling::Domain::builtin_names() : names) {
    const profiling::Domain d = profiling::resolve_domain(n);
    // Each domain's stages under its name ("asb load", "asb features", "asb fit"), so every one
    // is drawn and timed on its own.
    if (progress) {
      o.progress = [progress, domain = d.name()](std::string_view stage, std::uint64_t done, std::uint64_t total) {
        progress(fmt::format("{} {}", domain, stage), done, total);
      };
    }
    const profiling::TrainedModel t = profiling::train_domain_model(d, a.data, links, o);
    const std::string file = (std::filesystem::path(a.models_dir) / (d.name() + ".ehm")).string();
    t.model.save(file, key);
    run.output("model:" + d.name(), file);
    run.count(d.name() + "_training_rows", static_cast<double>(t.rows));
    fmt::print("{:<14} trained on {} rows ({} positive) from {} dates: {}\n", d.name(), t.rows, t.positives,
               o.as_of.size(), file);
  }
  fmt::print("evaluate each model on the period from {} before relying on it; scores stay advisory\n",
             a.evaluation_start);
  return exit_ok;
}

int run_profile(const ProfileArgs& a) {
  EH_CHECK(!a.train || (a.families.empty() && a.members.empty() && a.framework.empty()),
           "profile: --families, --members and --framework are for scoring, not --train");
  if (a.train) return run_train(a);
  EH_CHECK(!a.families.empty() || (a.members.empty() && a.framework.empty()),
           "profile: --members and --framework go with --families FILE (the families CSV to write)");
  EH_CHECK(a.evaluation_start.empty(), "profile: --evaluation-start is for --train");
  auto& run = current_run();
  EH_CHECK(!a.data.empty(), "profile: --data DIR is required");
  EH_CHECK(!a.as_of.empty(), "profile: --as-of DATE is required");
  EH_CHECK(!a.output.empty(), "profile: --output FILE is required");
  const auto as_of = parse_date(a.as_of);
  EH_CHECK(as_of.has_value(), "profile: --as-of must be one date (YYYY-MM-DD)");
  const std::string linked = a.persons.empty() ? beside(a.output, "persons.csv") : std::string();
  std::vector<io::FileArg> inputs{
      {"--persons", a.persons}, {"--households", a.households}, {"--key-file", a.key_file}, {"--framework", a.framework}};
  std::vector<std::string> model_files;  // FileArg holds views: the paths must outlive the check
  for (const auto& m : a.model) model_files.push_back(m.substr(m.find('=') + 1));
  for (const auto& f : model_files) inputs.push_back({"--model", f});
  io::check_distinct_files("profile", inputs,
                           {{"--output", a.output}, {"--scores", a.scores}, {"--history", a.history},
                            {"--families", a.families}, {"--members", a.members}, {"persons file", linked}});
  for (const auto& f : model_files)
    EH_CHECK(f != "-", "profile: --model DOMAIN=- cannot read standard input: each domain's bundle is opened by name "
                       "(--key-file may be '-'); give a file");
  check_one_standard_input("profile", {{"--households", a.households}, {"--key-file", a.key_file},
                                      {"--framework", a.framework}});
  const MessagesToStderr messages(a.output == "-" || a.scores == "-" || a.families == "-" || a.members == "-");
  profiling::ProfileOptions o = options_from(a);
  if (!a.families.empty()) {
    o.families = framework_arg(a.framework, "profile");
    run.param("framework", o.families->name());
  }
  run.param("data", a.data);
  run.param("as_of", a.as_of);
  run.param("domains", a.domains.empty() ? std::string("safeguarding,homelessness,asb,debt") : a.domains);
  for (const auto& [domain, file] : o.models) run.input("model:" + domain, file);
  if (!a.history.empty()) run.input("history", a.history);

  const features::Linkage links = linkage(a, *as_of, linked);
  if (a.history.empty() && !a.alert_on_first) {
    run.warning("profile: ", "no --history: every subject is a first assessment, which by the policy raises no alert "
                "(--history FILE remembers assessments between runs)");
  }

  const profiling::ProfileResult r = profiling::profile(a.data, links, *as_of, o);
  if (!a.quiet) fmt::print(stderr, "{}", r.load.to_text());
  {
    std::size_t read = 0, rejected = 0;
    for (const auto& s : r.load.streams) read += s.rows_read, rejected += s.rows_rejected;
    run.set_rows(static_cast<double>(read), static_cast<double>(read - rejected), static_cast<double>(rejected));
  }
  write_alerts(a.output, r);
  run.output("alerts", a.output);
  if (!a.scores.empty()) {
    write_scores(a.scores, r);
    run.output("scores", a.scores);
  }
  // Counts only: no identifier or value reaches the terminal.
  for (const auto& d : r.domains) {
    run.param("model:" + d.domain, fmt::format("{} {} sha256:{}", d.model.name, d.model.version, d.model.sha256));
    run.count(d.domain + "_subjects", static_cast<double>(d.subjects));
    run.count(d.domain + "_alerts", static_cast<double>(d.decisions.alerts.size()));
    fmt::print("{:<14} {} {:>7} scored  {:>6} at or above {:.3f}  {:>6} in contact  {:>5} alerts{}  model {} {}\n",
               d.domain, d.subject_kind == profiling::SubjectKind::person ? "persons " : "families", d.subjects,
               d.above_threshold, d.threshold, d.in_contact, d.decisions.alerts.size(),
               d.rerun ? " (date already recorded)" : "", d.model.name, d.model.version);
  }
  if (r.families) write_families(a.families, a.members, *r.families, *o.families);
  fmt::print("scores are advisory: an alert asks a professional to look, and the decision stays theirs\n");
  fmt::print("{}\n", r.load.reconciliation());
  return r.load.reconciled() ? exit_ok : exit_internal;
}

}  // namespace

void register_profile(CLI::App& app) {
  auto a = std::make_shared<ProfileArgs>();
  auto* cmd = app.add_subcommand(
      "profile",
      "Risk profiles on a date in four domains (safeguarding, homelessness, asb, debt): each domain's population "
      "scored with its model bundle (the shipped reference bundle, trained on synthetic data, unless --model or "
      "--models gives the council's own), the top reasons in plain sentences, and the alerts of the policy (above "
      "the threshold, changed since the last assessment, in contact with a service, outside the cool-down) against "
      "the --history file. Without --persons the extracts are linked first and the persons and households are "
      "written to persons.csv beside the output. Scores are advisory; an alert never carries a recommended action.");
  folder_option(cmd->add_option("--data", a->data, "Folder of extracts, one <stream>.csv per stream"));
  cmd->add_option("--as-of", a->as_of,
                  "Date (YYYY-MM-DD): only records dated before it are used (--train: comma-separated training dates)");
  not_standard_stream(cmd->add_option("--persons", a->persons,
                                      "persons CSV with households (earlyhelp link --data DIR --households FILE "
                                      "--as-of DATE)"),
                      "the persons file, read twice (the persons, then the households it may hold)");
  cmd->add_option("--households", a->households, "households CSV (person_id, household_id, role) when --persons has none");
  cmd->add_option("--domains", a->domains,
                  "Comma-separated domains: built-in names or domain JSON files (default: all four)");
  not_standard_stream(cmd->add_option("--history", a->history, "SQLite assessment history (created if absent; the run is recorded)"),
                      "a SQLite database, opened and updated in place");
  writes_file(cmd->add_option("--output", a->output,
                  "alerts CSV to write (person_id or family_id, domain, as_of, score, band, previous_score, reasons, "
                  "model, model_sha256, previous_as_of, new_features, model_version; '-': standard output)"));
  writes_file(cmd->add_option("--scores", a->scores,
                              "scores CSV to write (person_id, family_id, domain, as_of, score, band; a family domain "
                              "gives each member the family's score; '-': standard output)"));
  cmd->add_option("--model", a->model, "DOMAIN=FILE: the council's own bundle for a domain (repeatable)");
  folder_option(cmd->add_option("--models", a->models_dir,
                                "Folder of bundles <domain>.ehm for the domains --model does not name (--train: "
                                "written there)"));
  cmd->add_flag("--train", a->train,
                "Retrain each domain's model on the council's own history: the population on each --as-of date, "
                "the outcome over the horizon after it (from later events), fitted as a logistic regression; "
                "bundles written to --models DIR");
  cmd->add_option("--evaluation-start", a->evaluation_start,
                  "--train: the first day of the period the models will be judged on; no training horizon may reach it");
  cmd->add_option("--key-file", a->key_file,
                  "require the bundles to be signed with this HMAC key (--train: sign them with it; '-': standard "
                  "input)");
  cmd->add_option("--reasons", a->reasons, "Reasons per alert")->capture_default_str()->check(CLI::Range(0, 100));
  cmd->add_option("--min-rise", a->min_rise, "Least rise of the score that counts as a change")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--cooldown-days", a->cooldown_days, "No second alert within this many days")
      ->capture_default_str()
      ->check(CLI::Range(0, 3650));
  cmd->add_option("--contact-months", a->contact_months, "Contact window in months before the date")
      ->capture_default_str()
      ->check(CLI::Range(1, 120));
  cmd->add_flag("--alert-on-first-assessment", a->alert_on_first,
                "A subject's first assessment counts as a change (default: it is the baseline)");
  writes_file(cmd->add_option("--families", a->families,
                              "Also the families of a framework's criteria on the date (Troubled Families by default), "
                              "from the same reading of the extracts: the families CSV `earlyhelp tf --output` writes "
                              "('-': standard output)"));
  writes_file(cmd->add_option("--members", a->members,
                              "with --families: the members CSV `earlyhelp tf --members` writes (family_id, "
                              "person_id, role; '-': standard output)"));
  cmd->add_option("--framework", a->framework,
                  "with --families: framework JSON (default: the six Troubled Families headline problems; '-': "
                  "standard input)");
  folder_option(cmd->add_option("--rejects", a->rejects, "Write each stream's rejected rows to DIR/<stream>.rejects.csv"));
  cmd->add_option("--threads", a->threads, "Threads (default: all cores)")->check(whole_number(0, 65536));
  cmd->add_flag("--quiet", a->quiet, "Only the summary lines and warnings");
  add_common_options(*cmd, {"earlyhelp profile --data council --persons persons.csv --as-of 2024-03-31 --history "
                            "history.sqlite --output alerts.csv --scores scores.csv",
                            "earlyhelp profile --data council --as-of 2024-03-31 --history history.sqlite --output "
                            "alerts.csv --scores scores.csv --families families.csv --members members.csv",
                            "earlyhelp profile --train --data council --as-of 2022-03-31,2022-09-30 "
                            "--evaluation-start 2023-04-01 --models models"});
  cmd->callback([a] { set_exit_code(run_guarded("profile", [&] { return run_profile(*a); })); });
}

}  // namespace earlyhelp::cli
