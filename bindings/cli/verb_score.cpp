// SPDX-License-Identifier: Apache-2.0
// `earlyhelp score`: score a CSV with a model bundle, optionally with the top reasons per row.

#include "cli.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/io/csv.hpp"
#include "earlyhelp/io/output_file.hpp"
#include "earlyhelp/models/model.hpp"
#include "model_csv.hpp"

#include <fmt/format.h>

#include <memory>
#include <optional>

namespace earlyhelp::cli {

namespace {
struct ScoreOptions {
  std::string model, input, output, key_file, rejects;
  std::vector<std::string> keep;
  int explain = 0;
  int threads = 0;
  char delimiter = ',';
  bool strict = false;
};

}  // namespace

void register_score(CLI::App& app) {
  auto opt = std::make_shared<ScoreOptions>();
  auto* cmd = app.add_subcommand(
      "score",
      "Score a CSV with a model bundle (advisory scores). Empty cells and the schema's missing-value "
      "markers (NA, NULL, N/A, ...) are missing. Exit 0 even when rows are rejected unless --strict (then 1); "
      "3 for an unreadable or malformed file.");
  cmd->add_option("--model", opt->model, "model bundle (.ehm; '-': standard input)")->required();
  cmd->add_option("--input", opt->input, "CSV with a header naming the model's features ('-': standard input)")
      ->required();
  writes_file(cmd->add_option("--output", opt->output, "CSV to write ('-': standard output; the counts then go to stderr)"))
      ->required();
  cmd->add_option("--explain", opt->explain, "add the top K reasons per row")->check(CLI::Range(0, 100));
  cmd->add_option("--keep", opt->keep, "input columns copied to the output (e.g. a pseudonymised id)");
  cmd->add_option("--key-file", opt->key_file, "require the bundle to be signed with this HMAC key ('-': standard input)");
  writes_file(cmd->add_option("--rejects", opt->rejects,
                              "CSV of rows that cannot be scored (row, line, column, reason, --keep columns; '-': "
                              "standard output); without it such a row is an error naming the file, row and column"));
  cmd->add_option("--delimiter", opt->delimiter, "Field delimiter of --input")->capture_default_str();
  cmd->add_flag("--strict", opt->strict, "Exit 1 when any row is rejected");
  cmd->add_option("--threads", opt->threads, "threads (0: all cores)")->check(whole_number(0, 65536));
  add_common_options(*cmd, {"earlyhelp score --model asb.ehm --input features.csv --keep person_id --explain 3 "
                            "--output scores.csv --rejects unscored.csv",
                            "earlyhelp features ... --output - | earlyhelp score --model asb.ehm --input - --output -"});
  cmd->callback([opt] {
    set_exit_code(run_guarded("score", [&] {
      // Before anything is read or written: no output may be an input or another output.
      io::check_distinct_files("score", {{"--input", opt->input}, {"--model", opt->model}, {"--key-file", opt->key_file}},
                               {{"--output", opt->output}, {"--rejects", opt->rejects}});
      check_one_standard_input("score", {{"--input", opt->input}, {"--model", opt->model}, {"--key-file", opt->key_file}});
      const MessagesToStderr messages(opt->output == "-" || opt->rejects == "-");
      const std::string key = read_bundle_key(opt->key_file, "score");
      const auto m = opt->model == "-" ? models::Model::from_bytes(read_whole_file(opt->model, "score"), key)
                                       : models::Model::load(opt->model, key);
      EH_CHECK(!m.feature_names().empty(), "score: the bundle has no feature names to match columns");
      Run& run = current_run();
      run.input("model", opt->model);
      run.input("input", opt->input);
      const auto t = read_numeric_csv(opt->input, m.feature_names(), opt->keep, !opt->rejects.empty(),
                                      conventional_missing_values(), opt->delimiter);
      const RowMatrixXd p = m.predict(t.values, opt->threads);
      std::vector<int> band;
      if (!m.bands().empty() && m.n_outputs() == 1) band = m.band(t.values, opt->threads);
      std::vector<std::vector<models::Reason>> reasons;
      if (opt->explain > 0) reasons = m.reasons(t.values, opt->explain, 0, opt->threads);
      // Both files are finished only when both are written: a failure leaves neither.
      auto out = io::CsvWriter::open(opt->output);
      std::optional<io::CsvWriter> rej;
      if (!opt->rejects.empty()) rej.emplace(io::CsvWriter::open(opt->rejects));
      std::vector<std::string> head(opt->keep.begin(), opt->keep.end());
      if (p.cols() == 1) {
        head.emplace_back("score");
      } else {
        for (Index k = 0; k < p.cols(); ++k) head.push_back(fmt::format("score_{}", k));
      }
      if (!band.empty()) head.emplace_back("band");
      for (int k = 1; k <= opt->explain; ++k) {
        head.push_back(fmt::format("reason_{}", k));
        head.push_back(fmt::format("contribution_{}", k));
      }
      out.write_row(head);
      for (Index i = 0; i < p.rows(); ++i) {
        for (const auto& col : t.text) out.field(col[to_size(i)]);
        for (Index k = 0; k < p.cols(); ++k) out.field(fmt::format("{:.9g}", p(i, k)));
        if (!band.empty()) {
          const int b = band[to_size(i)];
          out.field(b < 0 ? std::string_view() : std::string_view(m.bands().names[static_cast<std::size_t>(b)]));
        }
        for (int k = 0; k < opt->explain; ++k) {
          const auto& r = reasons[to_size(i)];
          if (static_cast<std::size_t>(k) < r.size()) {
            out.field(r[static_cast<std::size_t>(k)].label);
            out.field(fmt::format("{:.6g}", r[static_cast<std::size_t>(k)].contribution));
          } else {
            out.field({});
            out.field({});
          }
        }
        out.end_row();
      }
      if (rej) {
        std::vector<std::string> rhead{"row", "line", "column", "reason"};
        rhead.insert(rhead.end(), opt->keep.begin(), opt->keep.end());
        rej->write_row(rhead);
        for (const auto& r : t.rejects) {
          rej->field(std::to_string(r.row));
          rej->field(std::to_string(r.line));
          rej->field(r.column);
          rej->field(r.reason);
          for (std::size_t k = 0; k < opt->keep.size(); ++k) {
            rej->field(k < r.kept.size() ? std::string_view(r.kept[k]) : std::string_view());
          }
          rej->end_row();
        }
      }
      out.close();
      run.output("output", opt->output);
      if (rej) {
        rej->close();
        run.output("rejects", opt->rejects);
      }
      run.count("rows_read", static_cast<double>(t.rows_read));
      run.count("rows_scored", static_cast<double>(p.rows()));
      run.count("rows_rejected", static_cast<double>(t.rejects.size()));
      run.set_rows(static_cast<double>(t.rows_read), static_cast<double>(p.rows()), static_cast<double>(t.rejects.size()));
      // Counts only: values never reach the terminal.
      fmt::print("read {} scored {} rejected {}\n", t.rows_read, p.rows(), t.rejects.size());
      return opt->strict && !t.rejects.empty() ? exit_failure : exit_ok;
    }));
  });
}

}  // namespace earlyhelp::cli
