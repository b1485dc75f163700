// SPDX-License-Identifier: Apache-2.0
// `earlyhelp link`: records -> persons (and households), from one canonical CSV or a folder of
// stream extracts.

#include "cli.hpp"
#include "earlyhelp/core/date.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/io/csv.hpp"
#include "earlyhelp/io/output_file.hpp"
#include "earlyhelp/linkage/linker.hpp"
#include "earlyhelp/linkage/records_io.hpp"
#include "earlyhelp/schema/schema.hpp"

#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <map>
#include <memory>

namespace earlyhelp::cli {

namespace {

struct LinkArgs {
  std::string input, data, output, households, settings, map, model_out, model_in, as_of, rejects;
  int threads = 0;
  bool quiet = false, strict = false;
};

std::int32_t today_yyyymmdd() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

int run_link(const LinkArgs& a) {
  using namespace earlyhelp::linkage;
  // Before anything is read or written: no output may be an input (an extract of --data
  // included) or another output.
  std::vector<std::string> extracts;
  if (!a.data.empty())
    for (const auto& s : schema::Schema::builtin().streams) extracts.push_back(a.data + "/" + s.name + ".csv");
  std::vector<io::FileArg> inputs{{"--input", a.input}, {"--settings", a.settings}, {"--model", a.model_in}};
  for (const auto& e : extracts) inputs.push_back({"--data", e});
  io::check_distinct_files("link", inputs,
                           {{"--output", a.output}, {"--households", a.households}, {"--model-out", a.model_out},
                            {"--rejects", a.rejects}});
  const MessagesToStderr messages(a.output == "-" || a.households == "-" || a.model_out == "-" || a.rejects == "-");
  const auto t0 = std::chrono::steady_clock::now();
  EH_CHECK(a.input.empty() != a.data.empty(), "link: give exactly one of --input FILE or --data DIR");
  check_one_standard_input("link", {{"--input", a.input}, {"--settings", a.settings}, {"--model", a.model_in}});
  EH_CHECK(a.data.empty() || a.map.empty(), "link: --map applies to --input only (--data maps by the schema)");
  Settings settings;
  if (!a.settings.empty()) {
    const std::string text = read_whole_file(a.settings, "link");
    settings = parse_input_file([&] { return Settings::from_json(text); });
  }
  if (a.threads != 0) settings.n_threads = a.threads;
  settings.progress = progress_for(a.quiet);
  std::int32_t as_of = today_yyyymmdd();
  if (!a.as_of.empty()) {
    const auto d = parse_date(a.as_of);
    EH_CHECK(d.has_value(), "link: --as-of must be a date (YYYY-MM-DD)");
    const CivilDate c = to_civil(*d);
    as_of = c.year * 10000 + c.month * 100 + c.day;
  }

  // Records go into the linker as they are read (a batch at a time for --data), so the raw
  // strings of millions of records are never all held at once.
  Linker linker(settings);
  const bool from_data = a.input.empty();
  // Rows that cannot be linked are counted by kind and, with --rejects, written out (where, why
  // and the row as read): every row read ends in the persons file or there.
  std::unique_ptr<io::CsvWriter> rejects;
  if (!a.rejects.empty()) {
    rejects = std::make_unique<io::CsvWriter>(io::CsvWriter::open(a.rejects));
    rejects->write_row({"file", "row", "line", "field", "reason", "fields"});
  }
  std::map<std::string_view, std::size_t> rejected_by_kind;
  std::size_t n_rejected = 0, n_added = 0;
  ReadOptions read;
  read.reject = [&](const RecordReject& r) {
    ++n_rejected;
    ++rejected_by_kind[io::to_string(r.kind)];
    if (!rejects) return;
    io::CsvWriter line;  // the row's fields as one CSV line
    line.write_row(r.fields);
    std::string fields = line.str();
    if (!fields.empty() && fields.back() == '\n') fields.pop_back();
    rejects->write_row({r.file, std::to_string(r.row), std::to_string(r.line), r.field, r.reason, fields});
  };
  read.warn = [&](const std::string& w) { current_run().warning("link: warning: ", w); };
  const auto add = [&](std::vector<Record>& batch) {
    n_added += batch.size();
    linker.add_records(batch);
  };
  if (!from_data) {
    current_run().input("records", a.input);
    for_each_records_batch(a.input, parse_column_map(a.map), add, read);
  } else {
    current_run().param("data", a.data);
    const std::vector<std::string> notes = for_each_extract_batch(a.data, schema::Schema::builtin(), add, read);
    for (const auto& note : notes)
      if (!a.quiet) fmt::print(stderr, "link: {}\n", note);
  }
  if (rejects) {
    rejects->close();
    current_run().output("rejects", a.rejects);
  }
  current_run().count("rows_read", static_cast<double>(n_added + n_rejected));
  current_run().count("rows_rejected", static_cast<double>(n_rejected));
  if (n_rejected > 0) {
    std::string kinds;
    for (const auto& [kind, n] : rejected_by_kind) kinds += fmt::format("{}{} {}", kinds.empty() ? "" : ", ", kind, n);
    current_run().warning("link: warning: ",
                          fmt::format("{} row{} could not be linked and {} ({}){}", n_rejected, n_rejected == 1 ? "" : "s",
                                      rejects ? "went to --rejects" : "were skipped", kinds,
                                      rejects ? "" : "; give --rejects FILE to keep them with the reason"));
  }
  const double read_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  if (!a.model_in.empty()) {
    const std::string text = read_whole_file(a.model_in, "link");
    parse_input_file([&] { linker.load_model_json(text); });
  }
  linker.link();
  const std::vector<std::string> persons = linker.person_ids();
  const std::vector<std::string>& record_ids = linker.records().record_ids;
  const std::size_t n_records = record_ids.size();
  // --data output names each record by its stream and its id within the stream.
  auto write_ids = [&](io::CsvWriter& w, std::size_t i, std::initializer_list<std::string_view> rest) {
    std::vector<std::string_view> row;
    if (from_data) {
      const auto [stream, local] = split_extract_record_id(record_ids[i]);
      row = {stream, local};
    } else {
      row = {record_ids[i]};
    }
    row.insert(row.end(), rest.begin(), rest.end());
    w.write_row(row);
  };

  io::CsvWriter out = io::CsvWriter::open(a.output);
  if (from_data) out.write_row({"source", "record_id", "person_id"});
  else out.write_row({"record_id", "person_id"});
  for (std::size_t i = 0; i < n_records; ++i) write_ids(out, i, {persons[i]});
  out.close();
  current_run().output("persons", a.output);
  if (!a.households.empty()) {
    const std::vector<HouseholdMembership> members = linker.households(as_of);
    std::unordered_map<std::string_view, const HouseholdMembership*> by_person;
    for (const auto& m : members) by_person.emplace(m.person_id, &m);
    io::CsvWriter h = io::CsvWriter::open(a.households);
    if (from_data) h.write_row({"source", "record_id", "person_id", "household_id", "role", "family"});
    else h.write_row({"record_id", "person_id", "household_id", "role", "family"});
    for (std::size_t i = 0; i < n_records; ++i) {
      const HouseholdMembership& m = *by_person.at(persons[i]);
      write_ids(h, i, {persons[i], m.household_id, m.role, m.family ? "1" : "0"});
    }
    h.close();
    current_run().output("households", a.households);
    if (!a.quiet) {
      std::string lags;
      for (const auto& [source, days] : linker.address_lags()) lags += fmt::format(" {} {:.0f}", source, days);
      fmt::print(stderr, "link: days each source's addresses lag behind a move (estimated):{}\n", lags.empty() ? " too few moves to tell" : lags);
    }
  }
  if (!a.model_out.empty()) {
    io::write_output_file(a.model_out, linker.model_json() + "\n");
    current_run().output("model", a.model_out);
  }
  const LinkStats& s = linker.stats();
  current_run().count("records", static_cast<double>(s.records));
  current_run().count("persons", static_cast<double>(s.persons));
  current_run().count("pairs_compared", static_cast<double>(s.pairs_compared));
  current_run().count("first_names_with_learnt_sex", static_cast<double>(s.first_names_with_learnt_sex));
  current_run().count("adult_sources", static_cast<double>(s.adult_sources));
  current_run().param("households", s.households ? "modelled" : "not modelled (settings: households absent, or auto found none)");
  // Warnings (the EM self-check among them) go to stderr and into the audit record; they never
  // hold record values.
  for (std::size_t i = 0; i < linker.warnings().size(); ++i)
    current_run().param(fmt::format("warning_{}", i + 1), linker.warnings()[i]);
  const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  for (const auto& w : linker.warnings()) current_run().warning("link: warning: ", w);
  current_run().timing("read", read_seconds);
  current_run().set_rows(static_cast<double>(n_added + n_rejected), static_cast<double>(s.records),
                         static_cast<double>(n_rejected));
  // Scripts parse this line: new counts go at its end.
  // Every row read is a record in the persons file or a rejected row.
  const bool reconciled = s.records == n_added;
  fmt::print("records {} identities {} pairs_compared {} links {} persons {} seconds {:.2f} "
             "(read {:.2f} fit {:.2f} predict {:.2f} cluster {:.2f}) rejected {} rows_read {} ({})\n",
             s.records, s.identities, s.pairs_compared, s.links, s.persons, total, read_seconds, s.fit_seconds,
             s.predict_seconds, s.cluster_seconds, n_rejected, n_added + n_rejected,
             reconciled ? "reconciled" : "NOT RECONCILED");
  if (!reconciled) return exit_internal;
  if (n_records == 0) current_run().warning("link: warning: ", "the input holds no records; wrote an empty result");
  return a.strict && n_rejected > 0 ? exit_failure : exit_ok;
}

}  // namespace

void register_link(CLI::App& app) {
  auto args = std::make_shared<LinkArgs>();
  auto* cmd = app.add_subcommand(
      "link",
      "Link records into persons: Fellegi-Sunter trained without labels (u by sampling, m by EM per blocking "
      "rule), household guard, chaining-guarded clustering with stable ids. Input is one CSV in the canonical "
      "columns (record_id, source, first_name, middle_name, surname, dob, sex, address, town, postcode, uprn, "
      "nhs_number, and record_date and subject_min_age, which place records in time; any may be absent but "
      "record_id) or a folder of stream extracts (--data). Writes record_id,person_id (with source first for "
      "--data).");
  cmd->add_option("--input", args->input, "Records CSV (canonical columns, or mapped with --map; '-': standard input)");
  folder_option(cmd->add_option("--data", args->data, "Folder of extracts, one <stream>.csv per stream of the built-in schema"));
  writes_file(cmd->add_option("--output", args->output, "persons CSV to write ('-': standard output)"))->required();
  writes_file(cmd->add_option("--households", args->households,
                              "Also write record_id, person_id, household_id, role (adult/child/unknown), family (0/1)"));
  cmd->add_option("--settings", args->settings, "Settings JSON (see Settings::to_json for the keys; '-': standard input)");
  cmd->add_option("--map", args->map,
                  "their_column=our_column,... (several columns onto one are joined with a space)");
  writes_file(cmd->add_option("--model-out", args->model_out, "Write the trained model JSON here ('-': standard output)"));
  cmd->add_option("--model", args->model_in,
                  "Use this model JSON (ours or Splink's) instead of training ('-': standard input)");
  cmd->add_option("--as-of", args->as_of,
                  "Date the households describe: who lived together then, and roles by age (default: today)");
  writes_file(cmd->add_option("--rejects", args->rejects,
                  "Write the rows that cannot be linked here: file, row, line, field, reason, and the row as read "
                  "(a ragged row, a field over 1 MiB or not UTF-8, an empty or repeated record id). Without it "
                  "they are counted and skipped"));
  cmd->add_flag("--strict", args->strict, "Exit 1 when any row could not be linked");
  cmd->add_option("--threads", args->threads, "Threads (default: all cores)");
  cmd->add_flag("--quiet", args->quiet, "Only the summary line and warnings");
  add_common_options(*cmd, {"earlyhelp link --data council --output persons.csv --households households.csv "
                            "--as-of 2024-03-31 --rejects unlinked.csv",
                            "earlyhelp link --input records.csv --map forename=first_name,date_of_birth=dob --output - "
                            "> persons.csv"});
  cmd->callback([args] { set_exit_code(run_guarded("link", [&] { return run_link(*args); })); });
}

}  // namespace earlyhelp::cli
