// SPDX-License-Identifier: Apache-2.0
// The earlyhelp command-line tool.

#include "cli.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/version.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <exception>
#include <new>

namespace earlyhelp::cli {
namespace {
int exit_code_ = exit_ok;
}

void set_exit_code(int code) { exit_code_ = code; }
int exit_code() { return exit_code_; }

int run_guarded(std::string_view verb, const std::function<int()>& body) {
  try {
    return body();
  } catch (const earlyhelp::SchemaError& e) {
    fmt::print(stderr, "earlyhelp {}: schema error: {}\n", verb, e.what());
    return exit_input;
  } catch (const earlyhelp::InvalidArgument& e) {
    fmt::print(stderr, "earlyhelp {}: invalid argument: {}\n", verb, e.what());
    return exit_usage;
  } catch (const earlyhelp::FormatError& e) {
    fmt::print(stderr, "earlyhelp {}: malformed input: {}\n", verb, e.what());
    return exit_input;
  } catch (const earlyhelp::IOError& e) {
    fmt::print(stderr, "earlyhelp {}: {}\n", verb, e.what());
    return exit_input;
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "earlyhelp {}: out of memory\n", verb);
    return exit_internal;
  } catch (const std::exception& e) {
    fmt::print(stderr, "earlyhelp {}: error: {}\n", verb, e.what());
    return exit_internal;
  }
}

}  // namespace earlyhelp::cli

int main(int argc, char** argv) {
  namespace cli = earlyhelp::cli;
  CLI::App app{"earlyhelp: link council records, derive features and explain risk scores "
               "for early help. Scores are advisory: a professional decides."};
  app.set_version_flag("--version", std::string(earlyhelp::version()));
  app.require_subcommand(1);
  cli::register_version(app);
  cli::register_score(app); cli::register_model(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : cli::exit_usage;
  }
  return cli::exit_code();
}
