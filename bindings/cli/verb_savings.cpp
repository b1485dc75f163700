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
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("savings",
                                 "Cost an intervention: gross, net and directly cashable savings, cost per outcome and the "
                                 "break-even effect, from a JSON configuration (see the README).");
  cmd->add_option("--config", args->config, "Intervention JSON file")->required();
  cmd->add_option("--out", args->out, "Also write the result as JSON to this file");
  cmd->add_flag("--json", args->json, "Print the result as JSON instead of text");
  cmd->callback([args] {
    set_exit_code(run_guarded("savings", [&] {
      namespace sv = forecast::savings;
      auto& run = current_run();
      run.input("config", args->config);
      const sv::Result r = sv::calculate(sv::read_intervention(args->config));
      if (!args->out.empty()) {
        io::write_output_file(args->out, sv::to_json(r) + "\n");
        run.output("result", args->out);
      }
      run.count("cost", r.cost);
      run.count("gross", r.gross);
      run.count("net", r.net);
      fmt::print("{}", args->json ? sv::to_json(r) + "\n" : sv::to_text(r));
      return exit_ok;
    }));
  });
}

}  // namespace earlyhelp::cli
