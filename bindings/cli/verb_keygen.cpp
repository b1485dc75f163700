// SPDX-License-Identifier: Apache-2.0
// `earlyhelp keygen --out KEYFILE`: a new secret pseudonymisation key.

#include "cli.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/governance/pseudonymise.hpp"
#include "earlyhelp/io/output_file.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <memory>

namespace earlyhelp::cli {

void register_keygen(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "keygen", "Write a new random pseudonymisation key (64 hex digits) readable only by you");
  // The options live as long as the callback that reads them (CLI11 binds by reference).
  struct Options {
    std::string out;
    bool force = false;
  };
  auto opt = std::make_shared<Options>();
  writes_file(cmd->add_option("--out", opt->out, "Key file to create ('-': standard output)"))->required()->type_name("FILE");
  cmd->add_flag("--force", opt->force, "Overwrite an existing key file");
  add_common_options(*cmd, {"earlyhelp keygen --out council.key"});
  cmd->callback([opt] {
    set_exit_code(run_guarded("keygen", [opt] {
      const std::string* out = &opt->out;
      const bool* force = &opt->force;
      namespace fs = std::filesystem;
      EH_CHECK(*force || !fs::exists(*out),
               "keygen: '{}' exists; a key in use must not be lost (use --force to replace it)", *out);
      const auto key = governance::PseudonymKey::generate();
      // Created owner-only; a replaced key file (--force) is made owner-only too. A device or
      // pipe (--out -) is written in place and its permissions left alone.
      io::write_output_file(*out, key.to_hex() + "\n", 0600);
      if (fs::is_regular_file(*out))
        fs::permissions(*out, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
      current_run().param("key_file", *out);
      current_run().output("key", *out);
      current_run().record.key_fingerprint = key.fingerprint();
      fmt::print("wrote a new key to {} (fingerprint {}); keep it secret and backed up\n", *out,
                 key.fingerprint());
      return exit_ok;
    }));
  });
}

}  // namespace earlyhelp::cli
