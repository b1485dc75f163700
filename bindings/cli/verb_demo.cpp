// SPDX-License-Identifier: Apache-2.0
// `earlyhelp demo`: the pipeline on built-in data, end to end, in seconds.
//   1. the bundled sample council extracts (small, with realistic faults) are validated against
//      the built-in schema and their data-quality reports printed;
//   2. a synthetic council is generated and every one of its extracts validated, with the rows
//      rejected set beside the faults the generator says it injected;
//   3. its extracts are linked into persons and households, and the Troubled Families criteria
//      assessed per family on the last day of the extracts;
//   4. the four risk domains scored on two dates with the reference models, alerts raised on
//      change with their reasons, each model's evaluation figures, and its model card and
//      transparency record;
//   5. a ten-year forecast of children in care;
//   6. the HTML report of the run (`earlyhelp report`).

#include "cli.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/forecast/forecast.hpp"
#include "earlyhelp/governance/comparison.hpp"
#include "earlyhelp/governance/evaluation.hpp"
#include "earlyhelp/io/csv.hpp"
#include "earlyhelp/io/ingest.hpp"
#include "earlyhelp/io/output_file.hpp"
#include "earlyhelp/profiling/link_extracts.hpp"
#include "earlyhelp/profiling/model_card.hpp"
#include "earlyhelp/profiling/profile.hpp"
#include "earlyhelp/profiling/troubled_families.hpp"
#include "earlyhelp/schema/schema.hpp"
#include "earlyhelp/synth/generate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <memory>
#include <string_view>
#include <vector>

namespace earlyhelp::cli {
namespace demo_data {
std::string_view embedded_file(std::string_view name) noexcept;
}

namespace {

namespace fs = std::filesystem;

struct DemoOptions {
  std::string out = "earlyhelp-demo";
  std::size_t persons = 20000;
  std::uint64_t seed = 1;
  int threads = 0;
  bool brief = false;
  bool skip_synth = false;
};

struct StreamRun {
  std::string stream;
  io::IngestResult result;
};

// Validates one extract into <dir>/clean, <dir>/rejects and <dir>/quality.
io::IngestResult validate_into(const schema::Stream& stream, io::CsvReader& reader, const fs::path& dir) {
  const auto clean = dir / "clean" / (stream.name + ".csv");
  const auto rejects = dir / "rejects" / (stream.name + ".csv");
  io::CsvFileSink sink(clean.string(), rejects.string());
  io::IngestResult r = io::validate_stream(stream, reader, sink);
  if (!r.reconciled())
    throw Error(fmt::format("demo: {}: {} rows read but {} clean + {} rejected", stream.name,
                            r.rows_read, r.rows_clean, r.rows_rejected));
  io::write_output_file((dir / "quality" / (stream.name + ".json")).string(), r.report.to_json());
  auto& run = current_run();
  run.output("clean", clean.string());
  run.output("rejects", rejects.string());
  return r;
}

void make_dirs(const fs::path& dir) {
  for (const char* sub : {"clean", "rejects", "quality"}) fs::create_directories(dir / sub);
}

std::string top_reason(const io::IngestResult& r) {
  std::size_t best = 0;
  std::string name;
  for (const auto& [kind, n] : r.report.rejects_by_kind)
    if (n > best) {
      best = n;
      name = std::string(io::to_string(kind));
    }
  return name.empty() ? "-" : fmt::format("{} ({})", name, best);
}

void print_summary(const std::vector<StreamRun>& runs, const std::vector<std::string>& extra_header,
                   const std::vector<std::string>& extra) {
  fmt::print("  {:<26} {:>9} {:>9} {:>9}  {:<28}", "stream", "read", "clean", "rejected", "most common reject");
  for (const auto& h : extra_header) fmt::print(" {:>16}", h);
  fmt::print("\n");
  std::size_t read = 0, clean = 0, rejected = 0;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const auto& r = runs[i].result;
    fmt::print("  {:<26} {:>9} {:>9} {:>9}  {:<28}", runs[i].stream, r.rows_read, r.rows_clean,
               r.rows_rejected, top_reason(r));
    if (i < extra.size()) fmt::print(" {:>16}", extra[i]);
    fmt::print("\n");
    read += r.rows_read;
    clean += r.rows_clean;
    rejected += r.rows_rejected;
  }
  fmt::print("  {:<26} {:>9} {:>9} {:>9}  {}\n", "total", read, clean, rejected,
             read == clean + rejected ? "reconciled: every row is in clean or rejects"
                                      : "NOT RECONCILED");
}

// 4. Risk profiles in the four domains with the shipped reference models, assessed twice a quarter
// apart against a fresh history so that the second run can alert on change; the top alerts with
// their reasons, and each reference model's evaluation on councils it was not trained on.
void print_profiles(const std::string& extracts, const features::Linkage& links, const fs::path& dir, int threads) {
  const Date first = *parse_date("2024-10-01"), second = *parse_date("2025-01-01");
  fmt::print("\n4. Risk profiles in four domains on {} and {} (reference models trained on other synthetic councils;\n"
             "   an alert needs a score at or above the threshold that rose since the last assessment, and contact with a\n"
             "   service)\n\n",
             format_date(first), format_date(second));
  fs::create_directories(dir);
  const fs::path history = dir / "history.sqlite";
  fs::remove(history);
  profiling::ProfileOptions o;
  o.history = history.string();
  o.n_threads = threads;
  (void)profiling::profile(extracts, links, first, o);
  const profiling::ProfileResult r = profiling::profile(extracts, links, second, o);
  auto& run = current_run();
  run.output("history", history.string());
  std::vector<const profiling::Alert*> top;
  fmt::print("  {:<23} {:>7} {:>9} {:>7} {:>6}   {:<34}\n", "domain", "scored", "at/above", "contact", "alerts",
             "reference model on unseen councils");
  for (const auto& d : r.domains) {
    // The shipped evaluation (evaluation/<domain>.json): its figures and the paired bootstrap's
    // verdict against the activity baseline.
    const governance::Evaluation ev = profiling::reference_evaluation(d.domain).evaluation;
    fmt::print("  {:<23} {:>7} {:>9} {:>7} {:>6}   ROC AUC {:.3f}, PR AUC {:.3f}; activity baseline {}\n",
               d.domain + (d.subject_kind == profiling::SubjectKind::family ? " (families)" : ""), d.subjects,
               d.above_threshold, d.in_contact, d.decisions.alerts.size(), ev.roc_auc, ev.pr_auc,
               ev.baselines.empty() ? std::string_view("not compared")
                                    : governance::to_string(governance::overall_verdict(ev.baselines)));
    run.count(d.domain + "_alerts", static_cast<double>(d.decisions.alerts.size()));
    for (const auto& a : d.decisions.alerts) top.push_back(&a);
  }
  std::stable_sort(top.begin(), top.end(), [](const profiling::Alert* a, const profiling::Alert* b) {
    return a->score - (a->previous_score ? *a->previous_score : 0.0) > b->score - (b->previous_score ? *b->previous_score : 0.0);
  });
  fmt::print("\n  The alerts whose score rose most (advisory: a professional looks and decides; no action is implied):\n");
  for (std::size_t i = 0; i < top.size() && i < 5; ++i) {
    const auto& a = *top[i];
    fmt::print("  - {} {}: score {:.2f} ({}), up from {:.2f} on {}\n", a.domain, profiling::to_string(a.subject_kind),
               a.score, a.band, a.previous_score ? *a.previous_score : 0.0,
               a.previous_as_of ? format_date(*a.previous_as_of) : std::string("-"));
    for (const auto& reason : a.reasons) fmt::print("      {}\n", reason);
  }
  if (top.empty()) fmt::print("  (none)\n");
  // Each model's card and transparency record, as a council would publish them.
  for (const auto& d : r.domains) {
    const auto m = profiling::DomainModel::reference(d.domain);
    const auto docs = profiling::model_documents(m.model, profiling::reference_evaluation(d.domain));
    for (const auto& path : profiling::write_model_documents(docs, (dir / "model_cards" / d.domain).string()))
      run.output("model_card", path);
  }
  fmt::print("\n  `earlyhelp profile` writes every score and alert. Each model's card (figures by group, limitations) and\n"
             "  transparency record (UK ATRS shape): {}/<domain>/{{model_card,transparency_record}}.{{md,json}}\n",
             (dir / "model_cards").string());
}

// 6. The page a council can publish for the run (`earlyhelp report`): data quality, linkage, and
// per domain the evaluation on a date whose outcomes the extracts already hold. Drawn by the Python
// package (matplotlib); without a Python that has it, the demo says so and carries on.
void write_report(const std::string& extracts, const std::string& persons, const fs::path& page, int threads) {
  const std::string as_of = "2024-04-01";  // every domain's horizon (at most 9 months) ends in the extracts
  fmt::print("\n6. The report a council can publish (one HTML page, plots embedded), as of {}\n\n", as_of);
  const int rc = run_python_module("earlyhelp.report", {"--data", extracts, "--as-of", as_of, "--persons", persons,
                                                        "--out", page.string(), "--threads", std::to_string(threads)});
  if (rc == exit_ok) {
    current_run().output("report", page.string());
    fmt::print("  {}\n", page.string());
  } else {
    fmt::print("  no report (exit {}): the page needs Python 3 with numpy, pandas and matplotlib "
               "(EARLYHELP_PYTHON names the interpreter)\n", rc);
  }
}

int run_demo(const DemoOptions& opt) {
  const auto t0 = std::chrono::steady_clock::now();
  const schema::Schema& schema = schema::Schema::builtin();
  const fs::path out(opt.out);
  auto& run = current_run();
  run.param("out", opt.out);
  run.param("persons", std::to_string(opt.persons));
  run.param("seed", std::to_string(opt.seed));

  fmt::print("earlyhelp demo: scores and reports are advisory; a professional decides.\n\n");
  fmt::print("1. Bundled sample council extracts, validated against the built-in schema "
             "'{}' {} ({} streams)\n\n", schema.name, schema.version, schema.streams.size());
  const fs::path sample_dir = out / "sample";
  make_dirs(sample_dir);
  std::vector<StreamRun> sample_runs;
  std::size_t total_rows = 0, total_rejected = 0;
  for (const auto& stream : schema.streams) {
    const std::string file = stream.name + ".csv";
    const std::string_view data = demo_data::embedded_file(file);
    if (data.empty()) continue;
    auto reader = io::CsvReader::from_string(std::string(data), {}, "sample/" + file);
    sample_runs.push_back({stream.name, validate_into(stream, reader, sample_dir)});
    total_rows += sample_runs.back().result.rows_read;
    total_rejected += sample_runs.back().result.rows_rejected;
  }
  EH_CHECK(!sample_runs.empty(), "demo: no sample extracts are built into this binary");
  if (!opt.brief) {
    for (const auto& sr : sample_runs) fmt::print("{}\n", sr.result.report.to_text());
  }
  fmt::print("Summary of the sample extracts:\n");
  print_summary(sample_runs, {}, {});
  fmt::print("\n  clean rows, rejects (row, line, field, reason, raw values) and JSON quality reports "
             "are in {}/{{clean,rejects,quality}}\n\n", sample_dir.string());
  run.count("sample_rows_read", static_cast<double>(total_rows));
  run.count("sample_rows_rejected", static_cast<double>(total_rejected));

  if (!opt.skip_synth) {
    fmt::print("2. A synthetic council of {} persons (seed {}), every extract validated\n\n",
               opt.persons, opt.seed);
    synth::Config config;
    config.persons = opt.persons;
    config.seed = opt.seed;
    config.n_threads = opt.threads;
    config.optional_columns = true;  // placement types, for the forecast
    config.early_help = true;        // early-help episodes: every stream of the schema has its extract
    const fs::path synth_dir = out / "synth";
    const auto gen = synth::write_directory(config, (synth_dir / "extracts").string());
    fmt::print("  generated {} persons in {} households, {} records in {} streams, {} outcome labels\n\n",
               gen.persons, gen.households, gen.total_rows(), gen.rows.size(), gen.outcomes);
    make_dirs(synth_dir);
    std::vector<StreamRun> synth_runs;
    std::vector<std::string> injected;
    std::size_t synth_rows = 0, synth_rejected = 0;
    for (std::size_t s = 0; s < synth::n_streams; ++s) {
      const std::string name(synth::stream_name(static_cast<synth::StreamId>(s)));
      const auto& stream = schema.stream(name);
      auto reader = io::CsvReader::open((synth_dir / "extracts" / (name + ".csv")).string());
      synth_runs.push_back({name, validate_into(stream, reader, synth_dir)});
      synth_rows += synth_runs.back().result.rows_read;
      synth_rejected += synth_runs.back().result.rows_rejected;
      const auto& e = gen.errors[s];
      std::uint64_t all = 0;
      for (auto n : e.by_kind) all += n;
      injected.push_back(fmt::format(
          "{} / {}", e.by_kind[static_cast<std::size_t>(synth::ErrorKind::postcode_invalid)], all));
    }
    fmt::print("Summary of the synthetic extracts (identity errors are injected on purpose: only\n"
               "malformed postcodes break the schema, the rest are for record linkage to overcome):\n");
    print_summary(synth_runs, {"bad postcodes/all"}, injected);
    fmt::print("\n  extracts and truth are in {}/extracts, validation output in {}/{{clean,rejects,quality}}\n",
               synth_dir.string(), synth_dir.string());
    run.count("synth_records", static_cast<double>(synth_rows));
    run.count("synth_rows_rejected", static_cast<double>(synth_rejected));

    // 3. Linked, and the Troubled Families criteria per family (truth/ is never read).
    const Date as_of = config.end;
    fmt::print("\n3. Linked into persons and households, Troubled Families criteria on {}\n\n", format_date(as_of));
    const std::string extracts = (synth_dir / "extracts").string();
    const std::string persons = (synth_dir / "persons.csv").string();
    const auto links = profiling::link_extracts(extracts, as_of, persons, opt.threads);
    run.output("persons", persons);
    const profiling::Framework fw = profiling::Framework::builtin();
    profiling::FamiliesOptions fo;
    fo.n_threads = opt.threads;
    const profiling::FamiliesResult tf = profiling::assess_families(fw, extracts, links, as_of, fo);
    std::vector<std::size_t> per(tf.criteria.size(), 0);
    std::size_t eligible = 0, near = 0;
    for (const auto& f : tf.families) {
      for (std::size_t c = 0; c < per.size(); ++c) per[c] += static_cast<std::size_t>(f.met[c]);
      eligible += f.eligible;
      near += f.near_miss;
    }
    fmt::print("  {} persons, {} families; {} eligible (at least {} of {} headline problems), {} near misses\n",
               links.person_ids().size(), tf.families.size(), eligible, fw.min_criteria(), tf.criteria.size(), near);
    for (std::size_t c = 0; c < per.size(); ++c) fmt::print("  {:<20} {:>7} families\n", tf.criteria[c], per[c]);
    fmt::print("  eligibility is information for a professional, never a decision; `earlyhelp tf` writes the\n"
               "  families with the records evidencing each criterion\n");
    run.count("tf_families", static_cast<double>(tf.families.size()));
    run.count("tf_eligible", static_cast<double>(eligible));
    print_profiles(extracts, links, out / "profile", opt.threads);
    fmt::print("\n5. A ten-year forecast of the synthetic council's children in care (trend, population growth only,\n"
               "   and England's rate of 67 looked-after children per 10,000), fitted only on data before the as-of date\n\n");
    try {
      fmt::print("{}", forecast::ten_year_summary((synth_dir / "extracts").string(), Date{}, opt.threads));
    } catch (const InvalidArgument& e) {  // e.g. a council too small to have episodes to fit on
      fmt::print("  no forecast: {}\n", e.what());
    }
    write_report(extracts, persons, out / "report.html", opt.threads);
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (writes_audit_record())
    fmt::print("\ndemo finished in {:.1f} s; this run is recorded in the audit log ({})\n", secs, audit_log_path());
  else
    fmt::print("\ndemo finished in {:.1f} s; no audit record was written ({})\n", secs,
               audit_log_path().empty() ? "no audit log path: set EARLYHELP_AUDIT_LOG or --audit-log" : "--no-audit");
  return exit_ok;
}

}  // namespace

void register_demo(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "demo", "Run the pipeline on built-in data: validate the bundled sample extracts, then "
              "generate and validate a synthetic council, link it, list its Troubled Families, score four risk "
              "domains and raise alerts with reasons, and forecast its children in care");
  auto opt = std::make_shared<DemoOptions>();
  folder_option(cmd->add_option("--out", opt->out, "Directory for the demo's outputs"))->capture_default_str();
  cmd->add_option("--persons", opt->persons, "Size of the synthetic council")
      ->capture_default_str()
      ->check(whole_number(100, 2000000));
  cmd->add_option("--seed", opt->seed, "Seed of the synthetic council")
      ->capture_default_str()
      ->check(whole_number(0, UINT64_MAX));
  cmd->add_option("--threads", opt->threads, "Worker threads (0: all cores)")
      ->capture_default_str()
      ->check(whole_number(0, 65536));
  cmd->add_flag("--brief", opt->brief, "Print only the summaries, not each stream's report");
  cmd->add_flag("--skip-synth", opt->skip_synth, "Only validate the bundled sample extracts");
  add_common_options(*cmd, {"earlyhelp demo", "earlyhelp demo --persons 5000 --brief --out /tmp/demo"});
  cmd->callback([opt] { set_exit_code(run_guarded("demo", [opt] { return run_demo(*opt); })); });
}

}  // namespace earlyhelp::cli
