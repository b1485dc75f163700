// SPDX-License-Identifier: Apache-2.0
// `earlyhelp score`: score a CSV with a model bundle, optionally with the top reasons per row.

#include "cli.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/models/model.hpp"
#include "model_csv.hpp"

#include <fmt/format.h>
#include <fmt/os.h>

#include <fstream>
#include <memory>
#include <sstream>

namespace earlyhelp::cli {

namespace {
struct ScoreOptions {
  std::string model, input, output, key_file;
  std::vector<std::string> keep;
  int explain = 0;
  int threads = 0;
};

// CSV cell: quoted when it holds a comma, quote or newline.
std::string cell(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}
}  // namespace

void register_score(CLI::App& app) {
  auto opt = std::make_shared<ScoreOptions>();
  auto* cmd = app.add_subcommand("score", "Score a CSV with a model bundle (advisory scores)");
  cmd->add_option("--model", opt->model, "model bundle (.ehm)")->required();
  cmd->add_option("--input", opt->input, "CSV with a header naming the model's features")->required();
  cmd->add_option("--output", opt->output, "CSV to write")->required();
  cmd->add_option("--explain", opt->explain, "add the top K reasons per row")->check(CLI::Range(0, 100));
  cmd->add_option("--keep", opt->keep, "input columns copied to the output (e.g. a pseudonymised id)");
  cmd->add_option("--key-file", opt->key_file, "require the bundle to be signed with this HMAC key");
  cmd->add_option("--threads", opt->threads, "threads (0: all cores)");
  cmd->callback([opt] {
    set_exit_code(run_guarded("score", [&] {
      std::string key;
      if (!opt->key_file.empty()) {
        std::ifstream k(opt->key_file, std::ios::binary);
        if (!k) earlyhelp::detail::throw_error<IOError>("score: cannot open '{}'", opt->key_file);
        std::ostringstream s;
        s << k.rdbuf();
        key = s.str();
      }
      const auto m = models::Model::load(opt->model, key);
      EH_CHECK(!m.feature_names().empty(), "score: the bundle has no feature names to match columns");
      const auto t = read_numeric_csv(opt->input, m.feature_names(), opt->keep);
      const RowMatrixXd p = m.predict(t.values, opt->threads);
      std::vector<int> band;
      if (!m.bands().empty() && m.n_outputs() == 1) band = m.band(t.values, opt->threads);
      std::vector<std::vector<models::Reason>> reasons;
      if (opt->explain > 0) reasons = m.reasons(t.values, opt->explain, 0, opt->threads);
      auto out = fmt::output_file(opt->output);
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
      out.print("{}\n", fmt::join(head, ","));
      for (Index i = 0; i < p.rows(); ++i) {
        std::vector<std::string> row;
        for (const auto& col : t.text) row.push_back(cell(col[to_size(i)]));
        for (Index k = 0; k < p.cols(); ++k) row.push_back(fmt::format("{:.9g}", p(i, k)));
        if (!band.empty()) {
          const int b = band[to_size(i)];
          row.push_back(b < 0 ? "" : cell(m.bands().names[static_cast<std::size_t>(b)]));
        }
        for (int k = 0; k < opt->explain; ++k) {
          const auto& r = reasons[to_size(i)];
          if (static_cast<std::size_t>(k) < r.size()) {
            row.push_back(cell(r[static_cast<std::size_t>(k)].label));
            row.push_back(fmt::format("{:.6g}", r[static_cast<std::size_t>(k)].contribution));
          } else {
            row.emplace_back();
            row.emplace_back();
          }
        }
        out.print("{}\n", fmt::join(row, ","));
      }
      return exit_ok;
    }));
  });
}

}  // namespace earlyhelp::cli
