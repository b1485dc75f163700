// SPDX-License-Identifier: Apache-2.0
// `earlyhelp savings`: the intervention calculator (gross, net and cashable savings, break-even).

#include "cli.hpp"
#include "earlyhelp/forecast/savings.hpp"
#include "earlyhelp/io/output_file.hpp"

#include <fmt/format.h>

#include <memory>

namespace earlyhelp::cli {

void register_savings(CLI::App& app) {
  struct Args {
    std::string config, out;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("savings",
                                 "Cost an intervention: gross, net and directly cashable savings, cost per outcome and the "
                                 "break-even effect, from a JSON configuration (see the README).");
  cmd->add_option("--config", args->config, "Intervention JSON file ('-': standard input)")->required();
  writes_file(cmd->add_option("--out", args->out, "Also write the result as JSON to this file ('-': standard output)"));
  add_common_options(*cmd, {"earlyhelp savings --config intervention.json",
                            "earlyhelp savings --config intervention.json --json   # the result under \"result\""});
  cmd->callback([args] {
    set_exit_code(run_guarded("savings", [&] {
      namespace sv = forecast::savings;
      auto& run = current_run();
      run.input("config", args->config);
      const std::string text = read_whole_file(args->config, "savings");
      const sv::Result r =
          sv::calculate(parse_input_file([&] { return sv::parse_intervention(text, input_name(args->config)); }));
      if (!args->out.empty()) {
        io::write_output_file(args->out, sv::to_json(r) + "\n");
        run.output("result", args->out);
      }
      run.count("cost", r.cost);
      run.count("gross", r.gross);
      run.count("net", r.net);
      if (json_summary()) run.result_json = sv::to_json(r);  // the summary carries the result
      else fmt::print("{}", sv::to_text(r));
      return exit_ok;
    }));
  });
}

}  // namespace earlyhelp::cli
