// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The record linker: records -> persons (and households). It keeps the steps and their state,
/// as Splink's Linker does, while each algorithm has its own file: fit (training.hpp: u by
/// sampling, m by EM per blocking rule), predict (stream every candidate pair once, keep only
/// links above the threshold and person-level conflicts; two_homes.hpp), cluster (cluster.hpp:
/// chaining-guarded, stable ids; orphans.hpp), households (households.hpp, homes.hpp), explain any
/// pair, add records incrementally and look up one record (incremental.hpp).
///
/// Example:
/// ```cpp
/// earlyhelp::linkage::Linker linker;          // default settings
/// linker.add_records(records);
/// linker.link();                              // fit, predict, cluster
/// std::vector<std::string> person = linker.person_ids();   // one per record
/// auto why = linker.explain("r1", "r2");                    // terms sum to why.weight
/// ```

#include "earlyhelp/linkage/blocking.hpp"
#include "earlyhelp/linkage/cluster.hpp"
#include "earlyhelp/linkage/comparison.hpp"
#include "earlyhelp/linkage/fellegi_sunter.hpp"
#include "earlyhelp/linkage/households.hpp"
#include "earlyhelp/linkage/incremental.hpp"
#include "earlyhelp/linkage/partitioned.hpp"
#include "earlyhelp/linkage/records.hpp"
#include "earlyhelp/linkage/settings.hpp"

#include <cstdint>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

namespace earlyhelp::linkage {

/// One term of an explanation.
struct ExplanationTerm {
  std::string name;   ///< "prior", a field name, "<field> term frequency", "household discount"
  std::string level;  ///< the level name ("" for the prior and adjustments)
  double weight = 0;  ///< log2
};

/// Why a pair scored as it did: the terms sum to `weight`.
struct Explanation {
  std::vector<ExplanationTerm> terms;
  double weight = 0;
  double probability = 0;
  /// person-level conflict: the pair may never be clustered together. As predict() judges a pair:
  /// below the link threshold and kept apart (pair_conflict.hpp: not a first-name disagreement the
  /// person rules reconcile), or never one person (a person rule's term says why). A household
  /// discount term alone does not make one.
  bool conflict = false;
};

/// A candidate person for a looked-up record.
struct Match {
  std::string person_id;
  std::string record_id;  ///< the best-matching record of that person
  double weight = 0;
  double probability = 0;
};

/// Counters and timings of the last fit / predict / cluster.
struct LinkStats {
  std::uint64_t records = 0, identities = 0, empty_records = 0;
  std::uint64_t pairs_compared = 0, links = 0, conflicts = 0, persons = 0, orphans_absorbed = 0;
  double lambda = 0;
  /// How much more often first names and dates of birth disagree together at one home than
  /// recording errors make them (person_rules.hpp, household_evidence()).
  double household_odds_ratio = 0;
  /// The pairs behind it: at one home under one surname, disagreeing on first name and date of
  /// birth together, on the first name only, on the date of birth only, on neither.
  std::uint64_t household_pairs_both = 0, household_pairs_first_only = 0, household_pairs_dob_only = 0,
                household_pairs_neither = 0;
  bool households = false;  ///< whether households were modelled (Settings::households)
  /// Distinct first names whose sex the records taught (name_sex.hpp): a record without a sex
  /// takes its first name's in the person rules.
  std::uint64_t first_names_with_learnt_sex = 0;
  /// Sources without dates of birth found to record adults only (Settings::adult_sources).
  std::uint64_t adult_sources = 0;
  double fit_seconds = 0, predict_seconds = 0, cluster_seconds = 0;
};

/// The linker (see the file comment). Threads: lookup() and the const queries (person_ids, links,
/// households, household_ids, address_lags, explain) may be called from several threads at once
/// (lookup takes the linker for itself while it scores: lookups are serialised); add_records,
/// fit, predict, cluster, link and load_model_json must not run while any other call does.
class Linker {
 public:
  explicit Linker(Settings settings = {});

  const Settings& settings() const noexcept { return settings_; }
  const ModelParameters& parameters() const noexcept { return params_; }
  const std::vector<std::string>& warnings() const noexcept { return warnings_; }
  const LinkStats& stats() const noexcept { return stats_; }
  const PreparedRecords& records() const noexcept { return table_; }
  /// Changes whenever the records or their persons change (add_records, cluster): what is built
  /// from the persons (a HouseholdIndex, household_of.hpp) is stale once it differs.
  std::uint64_t revision() const noexcept { return revision_; }

  /// Adds records. Before cluster() they are simply part of the next fit/predict; after it they
  /// are linked incrementally: scored against existing persons, each joins the best one or
  /// starts a new person; existing person ids never change. @return person ids of the new records.
  std::vector<std::string> add_records(const std::vector<Record>& records);

  /// Estimates u (random sampling), m (EM per blocking rule) and the match prior.
  void fit();
  /// As fit(), then m from labelled matching pairs of record ids (e.g. clerical review).
  void fit_with_labels(const std::vector<std::pair<std::string, std::string>>& matches);
  /// Scores every candidate pair once (streamed); keeps only links at or above the threshold and
  /// person-level conflicts, so memory does not grow with the number of pairs.
  /// @return the number of links. @throws StateError before fit().
  std::size_t predict();
  /// The links kept by predict(): (record_id, record_id, probability), each identity represented
  /// by its first record, strongest first.
  std::vector<std::tuple<std::string, std::string, double>> links() const;
  /// Clusters the links into persons. @throws StateError before predict().
  void cluster();
  /// Scores the candidate pairs of part `part` of `n_parts` (the blocks assign_blocks() deals
  /// it) as predict() scores them, for one link spread over machines that each hold the same
  /// records and the model fitted once (partitioned.hpp). Not concurrently with other calls.
  /// @throws StateError before fit() or load_model_json(); InvalidArgument after cluster() (as
  /// predict()) or when part >= n_parts.
  ScoredPairs score_partition(std::size_t part, std::size_t n_parts);
  /// predict() from pairs scored by score_partition() (here or on other machines): every part of
  /// one partitioning once, in any order; they are put back in predict()'s order.
  /// @return the number of links. @throws StateError before fit(); InvalidArgument after
  /// cluster(), for a missing or repeated part, or for parts of other records or settings.
  std::size_t predict_from(std::vector<ScoredPairs> parts);
  /// The whole sequence: fit() (unless a model was loaded or fitted already), predict(), cluster().
  /// C++ (linkage::link), Python (Linker.link, earlyhelp.link), the CLI (`earlyhelp link`) and the
  /// C API (eh_linker_link) all run it. @throws StateError when already clustered.
  void link();
  /// Person id of every record, in input order. @throws StateError before cluster().
  std::vector<std::string> person_ids() const;
  /// Households of persons sharing an address (property reference, else address and postcode);
  /// roles by age on `as_of` (yyyymmdd). @throws StateError before cluster(), InvalidArgument
  /// when `as_of` is not a real calendar day.
  std::vector<HouseholdMembership> households(std::int32_t as_of) const;
  /// household_id of every record, in input order.
  std::vector<std::string> household_ids(std::int32_t as_of) const;
  /// How far each source's addresses lag behind a move, in days, estimated from the linked data
  /// (persons recorded at one home and then another): a property system that records the move
  /// on the day shows 0, a system that learns of it months later shows its mean delay. Only
  /// sources with at least kMinLagEvidence records after such moves are listed, by name.
  /// households() places each record's address at its date less its source's lag.
  /// @throws StateError before cluster().
  std::vector<std::pair<std::string, double>> address_lags() const;
  static constexpr std::size_t kMinLagEvidence = linkage::kMinLagEvidence;

  /// Explains the score of two records. @throws InvalidArgument for an unknown record id.
  Explanation explain(std::string_view record_a, std::string_view record_b) const;
  /// Best `k` persons for one record, without adding it. Safe from several threads at once (see
  /// the class comment). @throws StateError before cluster().
  std::vector<Match> lookup(const Record& record, std::size_t k = 5);

  /// Trained parameters as JSON (levels named), and back. Also reads a Splink model JSON
  /// (comparisons matched by output_column_name, levels by order; λ from
  /// probability_two_random_records_match).
  std::string model_json() const;
  void load_model_json(std::string_view json);

 private:
  void require_fitted(const char* what) const;
  void require_clustered(const char* what) const;
  std::uint32_t identity_of_record(std::string_view record_id, const char* what) const;
  void rebuild_scorer();
  /// Whether households are modelled (Settings::households, household_evidence()).
  void decide_households();
  PersonGuard person_guard() const;
  /// Builds index_ over the identities clustered so far, the first time records are added or
  /// looked up after clustering (a pipeline that links once and reads the persons never pays for it).
  void ensure_index();
  /// Held shared by the const queries and exclusively by lookup(), which scores the record as a
  /// scratch identity appended to table_ and then removes it.
  std::shared_lock<std::shared_mutex> reading() const { return std::shared_lock(lookup_mutex_.m); }
  /// An explanation's weight for a pair the person rules keep apart (at most).
  static constexpr double kNeverWeight = -40.0;

  Settings settings_;
  PreparedRecords table_;
  ModelParameters params_ = ModelParameters::defaults();
  FellegiSunter scorer_;
  BlockingPlan plan_;
  std::vector<Edge> links_;
  /// Cannot-link pairs from predict(), one vector per chunk of blocks in rule and block order (no
  /// reallocation of one huge vector while they grow); cluster() feeds them to uf_ and frees each
  /// chunk as it goes, so they and uf_'s copies are not both held in full.
  std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> conflicts_;
  std::vector<std::uint64_t> homes_;  ///< home_keys() from predict() for cluster(); freed after it
  ConstrainedUnionFind uf_;
  std::vector<std::string> persons_;              ///< published person ids
  std::vector<std::uint32_t> identity_person_;    ///< identity -> index in persons_
  CandidateIndex index_;                          ///< blocking keys, for records added later
  bool index_built_ = false;                      ///< whether index_ covers the clustered identities
  SourceAges source_ages_;                        ///< learnt at clustering, for records added later
  std::vector<std::string> warnings_;
  LinkStats stats_;
  bool fitted_ = false, predicted_ = false, clustered_ = false;
  std::uint64_t revision_ = 0;  ///< see revision()
  bool households_ = false, households_decided_ = false;
  /// A mutex that a copied or moved Linker does not share (each gets its own).
  struct OwnMutex {
    mutable std::shared_mutex m;
    OwnMutex() = default;
    OwnMutex(const OwnMutex&) noexcept {}
    OwnMutex& operator=(const OwnMutex&) noexcept { return *this; }
  };
  OwnMutex lookup_mutex_;
};

/// Convenience: fit, predict and cluster `records`; person id per record.
std::vector<std::string> link(const std::vector<Record>& records, const Settings& settings = {},
                              std::vector<std::string>* warnings = nullptr);

}  // namespace earlyhelp::linkage
