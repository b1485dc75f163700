// SPDX-License-Identifier: Apache-2.0
// `earlyhelp schema`: print the data dictionary (Markdown) or the schema JSON.

#include "cli.hpp"
#include "earlyhelp/schema/schema.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <string>

namespace earlyhelp::cli {

void register_schema(CLI::App& app) {
  struct Options {
    std::string format = "markdown";
    std::string schema_file;
    std::string stream;
  };
  auto opt = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "schema", "Print the data dictionary of the council streams (built-in catalogue or --schema FILE)");
  cmd->add_option("--format", opt->format, "markdown (a readable data dictionary) or json (the schema file)")
      ->check(CLI::IsMember({"markdown", "json"}))
      ->capture_default_str();
  cmd->add_option("--schema", opt->schema_file, "A schema JSON file to use instead of the built-in catalogue");
  cmd->add_option("--stream", opt->stream, "Print only this stream");
  cmd->callback([opt] {
    set_exit_code(run_guarded("schema", [&] {
      using earlyhelp::schema::Schema;
      Schema s = opt->schema_file.empty() ? Schema::builtin() : Schema::from_file(opt->schema_file);
      if (!opt->stream.empty()) {
        // An unknown --stream is a bad command line (exit 2), not a bad schema file.
        if (s.find(opt->stream) == nullptr) {
          try {
            (void)s.stream(opt->stream);
          } catch (const SchemaError& e) {
            throw InvalidArgument(fmt::format("--stream: {}", e.what()));
          }
        }
        auto only = s.stream(opt->stream);
        s.streams = {only};
      }
      const std::string out = opt->format == "json" ? s.to_json() : s.to_markdown();
      std::fwrite(out.data(), 1, out.size(), stdout);
      return exit_ok;
    }, /*audited=*/false));  // prints the data dictionary: touches no personal data
  });
}

}  // namespace earlyhelp::cli
