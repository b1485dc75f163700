// SPDX-License-Identifier: Apache-2.0
// `earlyhelp version`: the version and how this binary was built.

#include "cli.hpp"
#include "earlyhelp/core/version.hpp"

#include <fmt/format.h>

namespace earlyhelp::cli {

void register_version(CLI::App& app) {
  auto* cmd = app.add_subcommand("version", "Print the version and build configuration");
  add_common_options(*cmd, {"earlyhelp version", "earlyhelp --version"});
  cmd->callback([] {
    set_exit_code(run_guarded("version", [] {
      fmt::print("earlyhelp {}\n", earlyhelp::version());
      current_run().param("version", std::string(earlyhelp::version()));
#if defined(__clang__)
      fmt::print("compiler: clang {}.{}.{}\n", __clang_major__, __clang_minor__, __clang_patchlevel__);
#elif defined(__GNUC__)
      fmt::print("compiler: gcc {}.{}.{}\n", __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__);
#endif
      fmt::print("c++ standard: {}\n", __cplusplus);
      return exit_ok;
    }, /*audited=*/false));
  });
}

}  // namespace earlyhelp::cli
