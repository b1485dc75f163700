// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Risk profiling end to end on one as-of date: from a folder of extracts and their linkage to
/// each domain's scores and the alerts the policy (alerts.hpp) raises. One call does the step
/// that `earlyhelp profile`, Python's `earlyhelp.profile` and the demo run:
///
/// 1. the extracts are read once, for the features of every domain asked (the built-in
///    definitions plus each domain's own), and each domain's features computed as of the date
///    (only records dated before it) for its population on the date;
/// 2. the domain's model bundle scores each subject (a person, or a family for a family-level
///    domain); the bundle's `alert` threshold and risk bands apply;
/// 3. subjects at or above the threshold get their top reasons as plain sentences with values
///    (exact TreeSHAP or linear contributions, written with the features' templates);
/// 4. whether each subject is in contact with a service (contact.hpp) is read from the same
///    extracts, and the alert policy decides against the assessment history (an SQLite file that
///    records the run), or against no history (every subject a first assessment);
/// 5. with ProfileOptions::families, the families a framework's criteria find on the date, from
///    the same events (assess_families' result, without reading the extracts again).
///
/// Scores are advisory, for a professional: an alert never carries a recommended action.
///
/// Models: by default each built-in domain uses the reference bundle shipped with earlyhelp
/// (lib/profiling/models/<domain>.ehm, trained by scripts/train_reference_models on synthetic
/// councils only: it is for trying the pipeline, not for use on residents). A council passes its
/// own bundle per domain (`ProfileOptions::models`).
///
/// Example:
/// @code
/// using namespace earlyhelp;
/// auto links = profiling::read_linkage("persons.csv");
/// profiling::ProfileOptions o;
/// o.history = "history.sqlite";
/// auto r = profiling::profile("council/", links, *parse_date("2024-04-01"), o);
/// for (const auto& d : r.domains) for (const auto& a : d.alerts) show(a);
/// @endcode

#include "earlyhelp/core/date.hpp"
#include "earlyhelp/core/progress.hpp"
#include "earlyhelp/features/load.hpp"
#include "earlyhelp/models/model.hpp"
#include "earlyhelp/profiling/alerts.hpp"
#include "earlyhelp/profiling/contact.hpp"
#include "earlyhelp/profiling/domain.hpp"
#include "earlyhelp/profiling/framework.hpp"
#include "earlyhelp/profiling/troubled_families.hpp"

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace earlyhelp::profiling {

/// A domain's model bundle and its identity (name, version, SHA-256 of the bundle's bytes).
struct DomainModel {
  models::Model model;
  ModelIdentity identity;

  /// The bundle shipped for a built-in domain (trained on synthetic data; not for residents).
  /// @throws InvalidArgument when this build has no reference bundle for `domain`.
  static DomainModel reference(std::string_view domain);
  /// Reads a bundle file (HMAC-checked when `key` is not empty).
  /// @throws IOError, FormatError as models::Model::load.
  static DomainModel load(const std::string& path, std::string_view key = {});
  /// A bundle from its bytes.
  static DomainModel from_bytes(std::string_view bytes, std::string_view key = {});

  /// The alert threshold: the bundle's `alert` threshold.
  /// @throws InvalidArgument when the bundle has none.
  double threshold() const;
};

/// Options of profile().
struct ProfileOptions {
  /// Domains to score: built-in names or paths of domain JSON files; empty: the four built-in.
  std::vector<std::string> domains;
  /// Model bundle per domain name (a path); a domain absent here uses its reference bundle.
  std::map<std::string, std::string> models;
  std::string model_key;  ///< HMAC key the bundles must be signed with ("" : unsigned accepted)
  /// SQLite assessment history ("": none, so every subject is a first assessment and, by the
  /// policy's default, nobody is alerted).
  std::string history;
  AlertPolicy policy;
  ContactRule contact;
  int reasons = 3;           ///< reasons per subject at or above the threshold
  int n_threads = 0;         ///< <= 0: all cores
  std::string rejects_dir;   ///< when set, rejected extract rows go to <dir>/<stream>.rejects.csv
  /// When set, the families this framework's criteria find on the date as well
  /// (ProfileResult::families), from the same reading of the extracts: the result
  /// assess_families(framework, data_dir, links, as_of) gives, without reading and holding the
  /// extracts a second time. Its own features must not redefine a domain's.
  std::optional<Framework> families;
  /// Progress ("load": streams; "score": domains, after each; with `families`, "family
  /// features", "person features" and "evidence" as FamiliesOptions::progress; core/progress.hpp).
  Progress progress{};
};

/// One scored person in a domain (a family-level domain gives each member the family's score).
struct ScoreRow {
  std::string person_id;
  std::string family_id;  ///< "" when the person has no household
  double score = 0;
  std::string band;       ///< "" when the bundle has no bands
};

/// What profile() gave for one domain.
struct DomainProfile {
  std::string domain;
  SubjectKind subject_kind = SubjectKind::person;
  ModelIdentity model;
  double threshold = 0;
  std::size_t subjects = 0;       ///< persons or families scored
  std::size_t above_threshold = 0;
  std::size_t in_contact = 0;
  std::vector<ScoreRow> scores;   ///< by person id
  RunDecisions decisions;         ///< every subject's rules, and the alerts (by score, highest first)
  bool rerun = false;             ///< the history already held this date (no alert added twice)
};

/// Every domain's result on one date.
struct ProfileResult {
  Date as_of;
  std::vector<DomainProfile> domains;  ///< in the order asked
  features::LoadReport load;           ///< what reading the extracts gave (once, for every domain)
  /// The families, when ProfileOptions::families was set (its `load` is the report above).
  std::optional<FamiliesResult> families;
};

/// Scores the domains on `as_of` and decides the alerts (see the file comment).
/// @throws InvalidArgument for an unknown domain, a bundle whose features the domain does not
///         compute (naming both), a bundle without an `alert` threshold, a family-level domain
///         when `links` has no households, two domains defining one feature name differently; IOError, FormatError, SchemaError for the extracts or
///         bundles; StateError for a date before the history's latest run of a domain.
ProfileResult profile(const std::string& data_dir, const features::Linkage& links, Date as_of,
                      const ProfileOptions& options = {});

/// The domain named by a built-in name or a domain JSON file path.
/// @throws InvalidArgument, IOError, SchemaError.
Domain resolve_domain(const std::string& name_or_path);

}  // namespace earlyhelp::profiling
