// SPDX-License-Identifier: Apache-2.0
// The earlyhelp command-line tool.

#include "cli.hpp"
#include "earlyhelp/core/version.hpp"

#include <fmt/format.h>

int main(int argc, char** argv) {
  namespace cli = earlyhelp::cli;
  CLI::App app{"earlyhelp: link council records, derive features and explain risk scores "
               "for early help. Scores are advisory: a professional decides."};
  app.set_version_flag("--version", std::string(earlyhelp::version()));
  app.require_subcommand(1);
  app.fallthrough();  // global options such as --audit-log may follow the verb
  cli::add_audit_options(app);
  cli::register_version(app);
  cli::register_audit(app);
  cli::register_keygen(app);
  cli::register_demo(app);
  cli::register_schema(app);
  cli::register_synth(app);
  cli::register_validate(app);
  cli::register_score(app);
  cli::register_model(app);
  cli::register_link(app);
  cli::register_features(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : cli::exit_usage;
  }
  return cli::exit_code();
}
