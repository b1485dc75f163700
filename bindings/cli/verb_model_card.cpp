// SPDX-License-Identifier: Apache-2.0
// `earlyhelp model card`: a model card and a transparency record from a bundle and its evaluation.

#include "cli.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/io/output_file.hpp"
#include "earlyhelp/profiling/model_card.hpp"
#include "earlyhelp/profiling/profile.hpp"

#include <fmt/format.h>

#include <memory>

namespace earlyhelp::cli {

namespace {

struct CardOptions {
  std::string bundle, evaluation, out, organisation, domain, key_file, reference;
};

}  // namespace

void register_model_card(CLI::App& model) {
  auto opt = std::make_shared<CardOptions>();
  auto* card = model.add_subcommand(
      "card", "Write a model card and a transparency record (UK ATRS shape) from a bundle and its evaluation");
  auto* bundle = card->add_option("--bundle", opt->bundle, "model bundle (.ehm; '-': standard input)");
  auto* evaluation = card->add_option("--evaluation", opt->evaluation,
                                      "the model's evaluation JSON (evaluation/<domain>.json, earlyhelp.evaluate; '-': standard input)");
  auto* reference = card->add_option("--reference", opt->reference,
                                     "instead of --bundle and --evaluation: the reference bundle shipped for a "
                                     "built-in domain, with its evaluation (synthetic data only)");
  bundle->excludes(reference);
  evaluation->excludes(reference);
  folder_option(card->add_option("--out", opt->out,
                                 "directory for model_card.md, model_card.json, transparency_record.md and "
                                 "transparency_record.json"))
      ->required();
  card->add_option("--organisation", opt->organisation,
                   "JSON object with what only the council can say (organisation, contact_email, team, "
                   "senior_responsible_owner, phase, ...); fields left out are listed as 'to complete'; '-': standard input");
  card->add_option("--domain", opt->domain,
                   "the model's domain: a built-in name or a domain JSON file (default: the one the bundle names)");
  card->add_option("--key-file", opt->key_file, "require the bundle to be signed with this HMAC key ('-': standard input)");
  add_common_options(*card, {"earlyhelp model card --bundle asb.ehm --evaluation evaluation/asb.json --organisation "
                             "council.json --out cards/asb",
                             "earlyhelp model card --reference safeguarding --out cards/safeguarding"});
  card->callback([opt] {
    set_exit_code(run_guarded("model card", [&] {
      EH_CHECK(!opt->reference.empty() || (!opt->bundle.empty() && !opt->evaluation.empty()),
               "model card: give --bundle and --evaluation, or --reference DOMAIN");
      io::check_distinct_files("model card",
                               {{"--bundle", opt->bundle},
                                {"--evaluation", opt->evaluation},
                                {"--organisation", opt->organisation},
                                {"--key-file", opt->key_file}},
                               {});
      check_one_standard_input("model card", {{"--bundle", opt->bundle},
                                              {"--evaluation", opt->evaluation},
                                              {"--organisation", opt->organisation},
                                              {"--key-file", opt->key_file}});
      const std::string key = read_bundle_key(opt->key_file, "model card");
      const auto dm = !opt->reference.empty() ? profiling::DomainModel::reference(opt->reference)
                      : opt->bundle == "-"
                          ? profiling::DomainModel::from_bytes(read_whole_file(opt->bundle, "model card"), key)
                          : profiling::DomainModel::load(opt->bundle, key);
      const auto ev = !opt->reference.empty() ? profiling::reference_evaluation(opt->reference)
                      : opt->evaluation == "-"
                          ? governance::evaluation_from_json(read_whole_file(opt->evaluation, "model card"),
                                                             input_name(opt->evaluation))
                          : governance::evaluation_from_file(opt->evaluation);
      const auto org = opt->organisation.empty() ? profiling::OrganisationDetails{}
                       : opt->organisation == "-"
                           ? profiling::OrganisationDetails::from_json(read_whole_file(opt->organisation, "model card"),
                                                                       input_name(opt->organisation))
                           : profiling::OrganisationDetails::from_file(opt->organisation);
      std::optional<profiling::Domain> domain;
      if (!opt->domain.empty()) domain = profiling::resolve_domain(opt->domain);
      if (!opt->bundle.empty()) current_run().input("bundle", opt->bundle);
      if (!opt->evaluation.empty()) current_run().input("evaluation", opt->evaluation);
      if (!opt->organisation.empty()) current_run().input("organisation", opt->organisation);
      current_run().param("model", dm.identity.name + " " + dm.identity.version);
      const auto docs = profiling::model_documents(dm.model, ev, org, domain);
      for (const auto& path : profiling::write_model_documents(docs, opt->out)) {
        current_run().output("document", path);
        fmt::print("wrote {}\n", path);
      }
      if (docs.synthetic) fmt::print("note: the model was trained or evaluated on synthetic data: not for use on residents\n");
      if (!docs.to_complete.empty())
      {
        current_run().warning("model card: ", fmt::format("{} transparency-record field(s) to complete (--organisation): {}",
                                          docs.to_complete.size(), fmt::join(docs.to_complete, ", ")));
      }
      current_run().count("fields_to_complete", static_cast<double>(docs.to_complete.size()));
      return exit_ok;
    }));
  });
}

}  // namespace earlyhelp::cli
