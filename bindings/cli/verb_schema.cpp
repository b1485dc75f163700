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
  cmd->add_option("--schema", opt->schema_file,
                  "A schema JSON file to use instead of the built-in catalogue ('-': standard input)");
  cmd->add_option("--stream", opt->stream, "Print only this stream");
  add_common_options(*cmd, {"earlyhelp schema --stream school_attendance",
                            "earlyhelp schema --format json > schema.json"});
  cmd->callback([opt] {
    set_exit_code(run_guarded("schema", [&] {
      using earlyhelp::schema::Schema;
      Schema s = load_schema(opt->schema_file, "schema");
      if (!opt->schema_file.empty()) current_run().input("schema", opt->schema_file);
      if (!opt->stream.empty()) {
        auto only = stream_arg(s, opt->stream);  // an unknown --stream is exit 2
        s.streams = {only};
      }
      const std::string out = opt->format == "json" ? s.to_json() : s.to_markdown();
      std::fwrite(out.data(), 1, out.size(), stdout);
      current_run().count("streams", static_cast<double>(s.streams.size()));
      return exit_ok;
    }, /*audited=*/false));  // prints the data dictionary: touches no personal data
  });
}

}  // namespace earlyhelp::cli
