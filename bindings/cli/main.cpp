// SPDX-License-Identifier: Apache-2.0
// The earlyhelp command-line tool.

#include "cli.hpp"
#include "earlyhelp/core/version.hpp"
#include "earlyhelp/linkage/similarity.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace cli = earlyhelp::cli;

// The verb the command line names: the first argument that is neither an option nor the value
// of a global option. Empty when there is none.
std::string_view named_verb(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--audit-log") {
      ++i;  // its value
      continue;
    }
    if (!a.empty() && a.front() == '-') continue;
    return a;
  }
  return {};
}

// A clear message for a missing or unknown verb, listing the verbs and the closest one; CLI11
// would say only "A subcommand is required".
int bad_verb(CLI::App& app, std::string_view verb) {
  std::vector<std::string> verbs;
  for (const CLI::App* sc : app.get_subcommands([](CLI::App*) { return true; })) verbs.push_back(sc->get_name());
  std::string closest;
  std::size_t best = 3;  // suggest only within two edits
  for (const auto& v : verbs) {
    const std::size_t d = earlyhelp::linkage::levenshtein_distance(verb, v);
    if (d < best) best = d, closest = v;
  }
  if (verb.empty()) {
    fmt::print(stderr, "earlyhelp: give a verb.\n");
  } else {
    fmt::print(stderr, "earlyhelp: unknown verb '{}'.{}\n", verb,
               closest.empty() ? std::string() : fmt::format(" Did you mean '{}'?", closest));
  }
  fmt::print(stderr, "The verbs are: {}. 'earlyhelp --help' describes them, 'earlyhelp VERB --help' each one.\n",
             fmt::join(verbs, ", "));
  return cli::exit_usage;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"earlyhelp: link council records, derive features and explain risk scores "
               "for early help. Scores are advisory: a professional decides."};
  app.set_version_flag("--version", std::string(earlyhelp::version()));
  app.require_subcommand(1);
  app.footer(
      "Every verb: --help with a worked example; --json for one JSON summary on stdout; progress on stderr for "
      "long work when stderr is a terminal (--quiet or --json: none; --progress: always); '-' for standard input "
      "or output where the verb reads or writes one file (the README's CLI section lists them).\n" +
      cli::exit_codes_help());
  app.fallthrough();  // global options such as --audit-log may follow the verb
  cli::add_audit_options(app);
  cli::register_version(app);
  cli::register_audit(app);
  cli::register_keygen(app);
  cli::register_pseudonymise(app);
  cli::register_encode(app);
  cli::register_demo(app);
  cli::register_schema(app);
  cli::register_synth(app);
  cli::register_validate(app);
  cli::register_score(app);
  cli::register_model(app);
  cli::register_link(app);
  cli::register_features(app);
  cli::register_tf(app);
  cli::register_profile(app);
  cli::register_forecast(app);
  cli::register_savings(app);
  cli::register_engagement(app);
  cli::register_report(app);
  const std::string_view verb = named_verb(argc, argv);
  const auto subcommands = app.get_subcommands([](CLI::App*) { return true; });
  const bool known = std::any_of(subcommands.begin(), subcommands.end(),
                                 [&](const CLI::App* sc) { return sc->check_name(std::string(verb)); });
  if (!verb.empty() && !known) return bad_verb(app, verb);
  try {
    app.parse(argc, argv);
  } catch (const CLI::RequiredError& e) {
    if (verb.empty() && app.get_subcommands().empty()) return bad_verb(app, verb);
    const int rc = app.exit(e);
    return rc == 0 ? 0 : cli::exit_usage;
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : cli::exit_usage;
  }
  return cli::exit_code();
}
