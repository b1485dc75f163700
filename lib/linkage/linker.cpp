// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/linker.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/parallel.hpp"
#include "earlyhelp/linkage/adult_sources.hpp"
#include "earlyhelp/linkage/homes.hpp"
#include "earlyhelp/linkage/input_checks.hpp"
#include "earlyhelp/linkage/model_check.hpp"
#include "earlyhelp/linkage/name_sex.hpp"
#include "earlyhelp/linkage/orphans.hpp"
#include "earlyhelp/linkage/pair_conflict.hpp"
#include "earlyhelp/linkage/person_rules.hpp"
#include "earlyhelp/linkage/source_ages.hpp"
#include "earlyhelp/linkage/training.hpp"
#include "earlyhelp/linkage/two_homes.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <future>
#include <memory>
#include <unordered_map>

namespace earlyhelp::linkage {

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

constexpr std::size_t kBlocksPerChunk = 32;

}  // namespace

Linker::Linker(Settings settings) : settings_(std::move(settings)) {
  EH_CHECK(settings_.match_threshold > 0.0 && settings_.match_threshold < 1.0,
           "Linker: match_threshold must be in (0, 1) (got {})", settings_.match_threshold);
  EH_CHECK(!settings_.blocking_rules.empty(), "Linker: at least one blocking rule is needed");
  EH_CHECK(settings_.em_max_iterations >= 1, "Linker: em_max_iterations must be at least 1 (got {})",
           settings_.em_max_iterations);
}

void Linker::require_fitted(const char* what) const {
  if (!fitted_) throw StateError(fmt::format("{}: the linker is not fitted (call fit first)", what));
}

void Linker::require_clustered(const char* what) const {
  if (!clustered_) throw StateError(fmt::format("{}: records are not clustered yet (call cluster first)", what));
}

void Linker::rebuild_scorer() {
  // The scorer counts place once only with households, so whether they are modelled is decided
  // first (again when records were added), whichever step builds it: fit, a loaded model, predict.
  if (!households_decided_ || homes_.size() != table_.n_identities()) decide_households();
  scorer_ = FellegiSunter(params_, table_, settings_.tf_adjustment, settings_.household_guard, settings_.guard_max_m,
                          households_ && settings_.place_once);
  scorer_.set_short_forms_agree(households_);
}

void Linker::decide_households() {
  if (homes_.size() != table_.n_identities()) homes_ = home_keys(table_);
  const HouseholdEvidence e = household_evidence(table_, homes_);
  households_ = settings_.households == Households::present ||
                (settings_.households == Households::automatic && !e.absent());
  stats_.household_odds_ratio = e.odds_ratio();
  stats_.household_pairs_both = e.both;
  stats_.household_pairs_first_only = e.first_only;
  stats_.household_pairs_dob_only = e.dob_only;
  stats_.household_pairs_neither = e.neither;
  stats_.households = households_;
  stats_.first_names_with_learnt_sex = names_with_learnt_sex(table_);
  households_decided_ = true;
  if (!households_ && settings_.households == Households::automatic) {
    const std::string w = fmt::format(
        "households: the records show no people sharing homes ({} pairs at one home under one surname, "
        "first names and dates of birth disagreeing together in {}, odds ratio {:.2f}): read as a list of "
        "individuals, the person rules (first name and date of birth, twins) are off; set \"households\": "
        "\"present\" to keep them",
        e.both + e.first_only + e.dob_only + e.neither, e.both, e.odds_ratio());
    if (std::find(warnings_.begin(), warnings_.end(), w) == warnings_.end()) warnings_.push_back(w);
  }
}

PersonGuard Linker::person_guard() const {
  PersonGuard guard([this](std::uint32_t a, std::uint32_t b) { return never_one_person(table_, a, b); });
  guard.alias_only = [this](std::uint32_t a, std::uint32_t b) { return first_names_alias_only(table_, a, b); };
  guard.one_place = [this](std::uint32_t p, std::uint32_t q) { return one_place(table_, p, q); };
  return guard;
}

void Linker::ensure_index() {
  if (index_built_) return;
  // The keys are computed afresh from table_: the same block_key the plan used, so the index is
  // the one cluster() used to build from the plan's keys.
  index_ = CandidateIndex(table_, settings_.blocking_rules, BlockingPlan());
  index_built_ = true;
}

std::vector<std::string> Linker::add_records(const std::vector<Record>& records) {
  ++revision_;  // before any change: a failure midway leaves no index taken as current
  if (!clustered_) {
    table_.add(records, settings_.n_threads);
    if (table_.n_empty > 0 && std::none_of(warnings_.begin(), warnings_.end(), [](const std::string& w) {
          return w.rfind("records with no identifying field", 0) == 0;
        }))
      warnings_.push_back("records with no identifying field: each becomes a person of its own");
    update_input_warnings(warnings_, table_.issues);
    // Counted here, not in fit(): a loaded model links without fitting.
    stats_.records = table_.record_ids.size();
    stats_.identities = table_.n_identities();
    stats_.empty_records = table_.n_empty;
    return {};
  }
  // Incremental: score the new identities against the index, join or start persons.
  ensure_index();  // over the identities before these records: link_new_identities adds them
  const std::size_t first_record = table_.record_ids.size();
  const std::size_t first_new = table_.n_identities();
  table_.add(records, settings_.n_threads);
  update_input_warnings(warnings_, table_.issues);
  rebuild_scorer();
  const PersonGuard guard = person_guard();
  link_new_identities(table_, first_new, scorer_, settings_, index_, uf_, identity_person_, persons_,
                      households_ ? &guard : nullptr, &source_ages_);
  std::vector<std::string> out;
  for (std::size_t rec = first_record; rec < table_.record_ids.size(); ++rec)
    out.push_back(persons_[identity_person_[table_.identity_of[rec]]]);
  stats_.records = table_.record_ids.size();
  stats_.identities = table_.n_identities();
  stats_.persons = persons_.size();
  return out;
}

void Linker::fit() {
  const auto t0 = std::chrono::steady_clock::now();
  EH_CHECK(!clustered_, "fit: records were already clustered; create a new Linker to refit");
  settings_.progress("fit", 0, 3);
  plan_ = plan_blocking(table_, settings_.blocking_rules, settings_.max_block_size, settings_.window);
  settings_.progress("fit", 1, 3);
  for (const auto& w : plan_.warnings) warnings_.push_back(w);
  stats_.records = table_.record_ids.size();
  stats_.identities = table_.n_identities();
  stats_.empty_records = table_.n_empty;
  decide_households();
  params_ = train(table_, plan_, settings_, households_);
  settings_.progress("fit", 2, 3);
  if (households_ && table_.n_identities() >= 2) {
    const auto refit = [&](double max_m) {
      Settings tighter = settings_;
      tighter.guard_max_m = max_m;
      return train(table_, plan_, tighter, true);
    };
    for (auto& w : check_model(params_, settings_, refit)) warnings_.push_back(std::move(w));
  }
  fitted_ = true;
  if (table_.n_identities() >= 2) stats_.lambda = params_.lambda;
  rebuild_scorer();
  settings_.progress("fit", 3, 3);
  stats_.fit_seconds = seconds_since(t0);
}

void Linker::fit_with_labels(const std::vector<std::pair<std::string, std::string>>& matches) {
  fit();
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
  pairs.reserve(matches.size());
  for (const auto& [x, y] : matches)
    pairs.emplace_back(identity_of_record(x, "fit_with_labels"), identity_of_record(y, "fit_with_labels"));
  train_from_labels(table_, pairs, params_);
  rebuild_scorer();
}

std::size_t Linker::predict() {
  require_fitted("predict");
  EH_CHECK(!clustered_, "predict: records were already clustered (new records are linked by add_records)");
  const auto t0 = std::chrono::steady_clock::now();
  if (plan_.rules.empty())
    plan_ = plan_blocking(table_, settings_.blocking_rules, settings_.max_block_size, settings_.window);
  const bool link_only = settings_.link_type == LinkType::link_only;
  const double threshold = weight_from_probability(settings_.match_threshold);
  links_.clear();
  conflicts_.clear();
  if (!households_decided_ || homes_.size() != table_.n_identities()) rebuild_scorer();
  const bool rules = households_;
  // One system recording somebody at two places at once records two people (two_homes.hpp).
  const TwoHomes two_homes(table_, homes_);
  std::uint64_t compared = 0, n_conflicts = 0, blocks_done = 0, blocks_total = 0;
  for (const RulePlan& rp : plan_.rules) blocks_total += rp.blocks.size();
  settings_.progress("predict", 0, blocks_total);
  for (std::size_t k = 0; k < plan_.rules.size(); ++k) {
    const RulePlan& rp = plan_.rules[k];
    const std::size_t n_blocks = rp.blocks.size();
    const std::size_t n_chunks = (n_blocks + kBlocksPerChunk - 1) / kBlocksPerChunk;
    struct Out {
      std::vector<Edge> links;
      std::vector<std::pair<std::uint32_t, std::uint32_t>> conflicts;
      std::uint64_t compared = 0;
    };
    std::vector<Out> outs(n_chunks);
    parallel_for_chunks(n_blocks, settings_.n_threads, kBlocksPerChunk, [&](std::size_t b, std::size_t e) {
      Out& o = outs[b / kBlocksPerChunk];
      for (std::size_t bi = b; bi < e; ++bi) {
        for_each_block_pair(plan_, k, rp.blocks[bi], table_, link_only, settings_.window,
                            [&](std::uint32_t a, std::uint32_t c) {
                              ++o.compared;
                              double w = 0;
                              // The one decision score_partition() takes too (partitioned.hpp).
                              const PairOutcome outcome = judge_pair(table_, scorer_, two_homes, threshold, rules, a, c, w);
                              if (outcome == PairOutcome::link) o.links.push_back({a, c, w});
                              else if (outcome == PairOutcome::conflict) o.conflicts.emplace_back(a, c);
                            });
      }
    });
    for (Out& o : outs) {
      links_.insert(links_.end(), o.links.begin(), o.links.end());
      std::vector<Edge>().swap(o.links);
      n_conflicts += o.conflicts.size();
      if (!o.conflicts.empty()) {
        o.conflicts.shrink_to_fit();
        conflicts_.push_back(std::move(o.conflicts));
      }
      compared += o.compared;
    }
    settings_.progress("predict", blocks_done += n_blocks, blocks_total);
  }
  stats_.pairs_compared = compared;
  stats_.links = links_.size();
  stats_.conflicts = n_conflicts;
  stats_.predict_seconds = seconds_since(t0);
  predicted_ = true;
  return links_.size();
}

std::vector<std::tuple<std::string, std::string, double>> Linker::links() const {
  const auto lock = reading();
  std::vector<Edge> sorted_links = links_;
  std::sort(sorted_links.begin(), sorted_links.end(), [](const Edge& x, const Edge& y) {
    return x.weight != y.weight ? x.weight > y.weight : (x.a != y.a ? x.a < y.a : x.b < y.b);
  });
  std::vector<std::tuple<std::string, std::string, double>> out;
  out.reserve(sorted_links.size());
  for (const Edge& e : sorted_links)
    out.emplace_back(table_.record_ids[table_.first_record[e.a]], table_.record_ids[table_.first_record[e.b]],
                     probability_from_weight(e.weight));
  return out;
}

void Linker::cluster() {
  require_fitted("cluster");
  EH_CHECK(!clustered_, "cluster: already clustered");
  // Without scored pairs every identity would silently become a person of its own.
  if (!predicted_) throw StateError("cluster: no pairs have been scored (call predict first)");
  const auto t0 = std::chrono::steady_clock::now();
  settings_.progress("cluster", 0, 1);
  const std::size_t n = table_.n_identities();
  // The person rules' inputs (evidence ids, first-name sources, spans at a postcode) read only the
  // records: with two threads they are found on the second while this one learns the sources' ages
  // and sets the dates of birth, birth windows and cannot-links (a serial stretch of the county's
  // clustering). Declared before anything that may throw: on an exception it is waited for, and it
  // reads only table_.
  struct RuleInputs {
    std::vector<std::uint32_t> evidence, name_sources;
    std::vector<DaySpan> spans;
  };
  const auto rule_inputs = [this] {
    return RuleInputs{person_evidence_ids(table_), first_name_sources(table_), identity_spans(table_)};
  };
  std::future<RuleInputs> pending;
  if (households_ && resolve_threads(settings_.n_threads) >= 2) pending = std::async(std::launch::async, rule_inputs);
  // Records without a date of birth still say when their person was born, give or take (the ages
  // their source records people at, and not before the record's date: source_ages.hpp). A source
  // without dates of birth learning its ages from the persons a first run joined its records to
  // (and a second run) was tried and dropped: with four such sources F1 0.9446, with it 0.9443.
  // What a first run does tell is whether such a source records adults only (adult_sources.hpp):
  // then the groups are built again with that bound.
  source_ages_ = learn_source_ages(table_);  // kept for records added later
  const PersonGuard guard = person_guard();
  RuleInputs in;
  bool have_inputs = false;
  bool second_build = false;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> spill(settings_.adult_sources ? std::tmpfile() : nullptr, &std::fclose);
  std::size_t spilled = 0;  // chunks of conflicts_ in `spill`, the first ones
  std::vector<std::uint8_t> joined;  // the first build's decisions, per link (cluster_edges)
  const auto build_groups = [&](const std::vector<BirthWindow>& windows) {
    uf_ = ConstrainedUnionFind();
    uf_.resize(n);
    for (std::size_t x = 0; x < n; ++x) uf_.set_dob(static_cast<std::uint32_t>(x), table_.dob[x], table_.source_mask[x]);
    for (std::size_t x = 0; x < n; ++x)
      if (windows[x].known()) uf_.set_birth_window(static_cast<std::uint32_t>(x), windows[x].earliest, windows[x].latest);
    // Each chunk of pairs goes as soon as the union-find holds them, so the two copies never peak
    // together (+1 GiB on the 600,000-person county). When a second build may follow, the first
    // moves each chunk to an unnamed temporary file on its way out and the second reads them back,
    // in the same order; from a write that fails on, the chunks stay in memory instead.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> back;
    for (std::size_t c = 0; c < conflicts_.size(); ++c) {
      auto& chunk = conflicts_[c];
      const std::vector<std::pair<std::uint32_t, std::uint32_t>>* pairs = &chunk;
      if (second_build && c < spilled) {
        std::uint64_t size = 0;
        if (std::fread(&size, sizeof size, 1, spill.get()) != 1) throw IOError("cluster: cannot read back its temporary file");
        back.resize(static_cast<std::size_t>(size));
        if (size > 0 && std::fread(back.data(), sizeof back[0], back.size(), spill.get()) != back.size())
          throw IOError("cluster: cannot read back its temporary file");
        pairs = &back;
      }
      for (const auto& [a, b] : *pairs) uf_.cannot_link(a, b);
      if (second_build || !settings_.adult_sources) {
        std::vector<std::pair<std::uint32_t, std::uint32_t>>().swap(chunk);
      } else if (spill != nullptr && spilled == c) {
        const std::uint64_t size = chunk.size();
        const bool written = std::fwrite(&size, sizeof size, 1, spill.get()) == 1 &&
                             (size == 0 || std::fwrite(chunk.data(), sizeof chunk[0], chunk.size(), spill.get()) == chunk.size());
        if (written) {
          ++spilled;
          std::vector<std::pair<std::uint32_t, std::uint32_t>>().swap(chunk);
        }
      }
    }
    if (households_) {
      if (!have_inputs) {
        in = pending.valid() ? pending.get() : rule_inputs();  // get() rethrows its error
        have_inputs = true;
      }
      for (std::size_t x = 0; x < n; ++x)
        if (in.evidence[x] != 0) uf_.set_person(static_cast<std::uint32_t>(x), in.evidence[x]);
      for (std::size_t x = 0; x < n; ++x) {
        const auto xi = static_cast<std::uint32_t>(x);
        uf_.set_name(xi, first_name_for_rules(table_, xi), in.name_sources[x]);
      }
      for (std::size_t x = 0; x < n; ++x)
        uf_.set_stay(static_cast<std::uint32_t>(x), in.spans[x].place, in.spans[x].first, in.spans[x].last);
    }
    cluster_edges(links_, uf_, /*keep_closed_apart=*/false, &table_.dob, households_ ? &guard : nullptr,
                  settings_.adult_sources && !second_build ? &joined : nullptr);
  };
  std::vector<BirthWindow> windows = birth_windows(table_, source_ages_);
  build_groups(windows);
  stats_.adult_sources = 0;
  if (settings_.adult_sources) {
    std::vector<std::uint32_t> group_of(n);
    for (std::size_t x = 0; x < n; ++x) group_of[x] = uf_.find(static_cast<std::uint32_t>(x));
    if (learn_adult_sources(table_, group_of, source_ages_)) {
      for (std::size_t s = 0; s < source_ages_.adult.size(); ++s)
        if (source_ages_.adult[s]) ++stats_.adult_sources;
      std::vector<std::uint32_t>().swap(group_of);
      // The bound only narrows windows: when the first build's joins all pass the narrower windows
      // again, building again would make the same joins, and the windows are narrowed in place
      // (on the county: no second build). Otherwise the groups are built again.
      const std::vector<BirthWindow> before = std::move(windows);
      windows = birth_windows(table_, source_ages_);
      const bool narrowed = uf_.narrow_birth_windows(links_, joined, before, windows, table_.dob);
      std::vector<std::uint8_t>().swap(joined);
      if (!narrowed) {
        second_build = true;
        if (spill != nullptr && (std::fflush(spill.get()) != 0 || std::fseek(spill.get(), 0, SEEK_SET) != 0))
          throw IOError("cluster: cannot read back its temporary file");
        build_groups(windows);
      }
    }
  }
  for (auto& chunk : conflicts_) std::vector<std::pair<std::uint32_t, std::uint32_t>>().swap(chunk);
  decltype(conflicts_)().swap(conflicts_);
  if (settings_.absorb_orphans && homes_.size() != n) homes_ = home_keys(table_);
  stats_.orphans_absorbed = settings_.absorb_orphans ? absorb_orphans(table_, homes_, uf_) : 0;
  // Stable ids: the smallest record id of each cluster, hashed.
  std::vector<std::uint32_t> smallest(n, UINT32_MAX);
  for (std::size_t rec = 0; rec < table_.record_ids.size(); ++rec) {
    const std::uint32_t root = uf_.find(table_.identity_of[rec]);
    if (smallest[root] == UINT32_MAX || table_.record_ids[rec] < table_.record_ids[smallest[root]])
      smallest[root] = static_cast<std::uint32_t>(rec);
  }
  persons_.clear();
  identity_person_.assign(n, UINT32_MAX);
  std::vector<std::uint32_t> root_person(n, UINT32_MAX);
  for (std::size_t x = 0; x < n; ++x) {
    const std::uint32_t root = uf_.find(static_cast<std::uint32_t>(x));
    if (root_person[root] == UINT32_MAX) {
      root_person[root] = static_cast<std::uint32_t>(persons_.size());
      persons_.push_back(stable_id('P', table_.record_ids[smallest[root]]));
    }
    identity_person_[x] = root_person[root];
  }
  for (std::size_t x = 0; x < n; ++x) uf_.close(static_cast<std::uint32_t>(x));
  clustered_ = true;
  ++revision_;
  // Records added from now on are linked against an index of the blocking keys, built when first
  // needed (ensure_index); the per-rule key arrays are no longer needed.
  index_ = CandidateIndex();
  index_built_ = false;
  plan_ = BlockingPlan();
  std::vector<Edge>().swap(links_);
  std::vector<std::uint64_t>().swap(homes_);
  stats_.persons = persons_.size();
  settings_.progress("cluster", 1, 1);
  stats_.cluster_seconds = seconds_since(t0);
}

void Linker::link() {
  if (clustered_) throw StateError("link: records were already clustered (new records are linked by add_records)");
  if (!fitted_) fit();
  predict();
  cluster();
}

std::vector<std::string> Linker::person_ids() const {
  require_clustered("person_ids");
  const auto lock = reading();
  std::vector<std::string> out;
  out.reserve(table_.record_ids.size());
  for (const std::uint32_t id : table_.identity_of) out.push_back(persons_[identity_person_[id]]);
  return out;
}

std::uint32_t Linker::identity_of_record(std::string_view record_id, const char* what) const {
  // Linear in the records: explanations are for people, not loops.
  for (std::size_t rec = 0; rec < table_.record_ids.size(); ++rec)
    if (table_.record_ids[rec] == record_id) return table_.identity_of[rec];
  throw InvalidArgument(fmt::format("{}: no record with that record_id", what));
}

Explanation Linker::explain(std::string_view record_a, std::string_view record_b) const {
  require_fitted("explain");
  const auto lock = reading();
  const std::uint32_t a = identity_of_record(record_a, "explain");
  const std::uint32_t b = identity_of_record(record_b, "explain");
  const ComparisonVector v = compare_identities(table_, a, b);
  Explanation ex;
  ex.terms.push_back({"prior", "", scorer_.prior()});
  const bool same_first = level_of(v, Field::first_name) == levels::FirstName::exact && table_.first_id[a] == table_.first_id[b];
  const bool same_surname = level_of(v, Field::surname) == levels::Surname::exact && table_.surname_id[a] == table_.surname_id[b];
  const bool full_name = same_first && same_surname && settings_.tf_adjustment;
  for (std::size_t f = 0; f < n_fields; ++f) {
    const auto field = static_cast<Field>(f);
    if (v[f] == null_level) {
      ex.terms.push_back({std::string(field_name(field)), "null", 0.0});
      continue;
    }
    const double w = scorer_.level_weight(field, v[f]);
    ex.terms.push_back({std::string(field_name(field)), level_names(field)[v[f]], w});
    if (v[f] == exact_level) {
      double tf = 0;
      if (field == Field::first_name && same_first && !full_name)
        tf = scorer_.tf_adjustment(field, table_.first_id[a]);
      else if (field == Field::surname && same_surname && !full_name)
        tf = scorer_.tf_adjustment(field, table_.surname_id[a]);
      else if (field == Field::postcode)
        tf = scorer_.tf_adjustment(field, table_.postcode_id[a]);
      if (tf != 0) ex.terms.push_back({std::string(field_name(field)) + " term frequency", "", tf});
    }
  }
  if (full_name && settings_.tf_adjustment)
    ex.terms.push_back({"full name term frequency", "", scorer_.full_name_tf_adjustment(table_.first_id[a], table_.surname_id[a])});
  WeightParts parts;
  ex.weight = scorer_.weight(table_, a, b, v, parts);
  if (parts.place_once != 0) ex.terms.push_back({"place counted once", "address, postcode, town and property", parts.place_once});
  if (parts.discount > 0)
    ex.terms.push_back({"household discount", "first name, surname or date of birth disagrees", -parts.discount});
  const bool rules = households_decided_ ? households_ : settings_.households != Households::absent;
  // A conflict as predict() judges one (judge_pair): below the link threshold, and kept apart by
  // keep_apart(); a first-name disagreement the person rules reconcile is none.
  ex.conflict = ex.weight < weight_from_probability(settings_.match_threshold) &&
                keep_apart(table_, scorer_, v, a, b, rules);
  if (const char* why = rules ? never_one_person_reason(table_, a, b) : ""; *why != 0) {
    // Never one person, whatever the model says: the weight no link reaches.
    ex.conflict = true;
    const double below = std::min(0.0, kNeverWeight - ex.weight);
    ex.terms.push_back({"person rule", why, below});
    ex.weight += below;
  }
  ex.probability = probability_from_weight(ex.weight);
  return ex;
}

std::vector<Match> Linker::lookup(const Record& record, std::size_t k) {
  require_clustered("lookup");
  const std::unique_lock lock(lookup_mutex_.m);
  ensure_index();  // before the scratch identity joins table_
  const std::size_t n = table_.n_identities();
  const std::uint32_t x = table_.add_scratch(record);
  std::vector<Match> out;
  try {
    std::unordered_map<std::uint32_t, std::size_t> best;  // person -> index in out
    for (const std::uint32_t c : index_.candidates(table_, x, settings_.max_block_size, settings_.link_type == LinkType::link_only)) {
      const ComparisonVector v = compare_identities(table_, x, c);
      double discount = 0;
      const double w = scorer_.weight(table_, x, c, v, discount);
      const std::uint32_t person = identity_person_[c];
      auto it = best.find(person);
      if (it == best.end()) {
        best.emplace(person, out.size());
        out.push_back({persons_[person], table_.record_ids[table_.first_record[c]], w, probability_from_weight(w)});
      } else if (w > out[it->second].weight) {
        out[it->second] = {persons_[person], table_.record_ids[table_.first_record[c]], w, probability_from_weight(w)};
      }
    }
  } catch (...) {
    table_.truncate_identities(n);
    throw;
  }
  table_.truncate_identities(n);
  std::sort(out.begin(), out.end(), [](const Match& p, const Match& q) {
    return p.weight != q.weight ? p.weight > q.weight : p.person_id < q.person_id;
  });
  if (out.size() > k) out.resize(k);
  return out;
}

std::vector<std::pair<std::string, double>> Linker::address_lags() const {
  require_clustered("address_lags");
  const auto lock = reading();
  return linkage::address_lags(table_, identity_person_, persons_.size());
}

std::vector<HouseholdMembership> Linker::households(std::int32_t as_of) const {
  require_clustered("households");
  check_date_argument(as_of, "households: as_of");
  const auto lock = reading();
  return linkage::households(table_, identity_person_, persons_, as_of);
}

std::vector<std::string> Linker::household_ids(std::int32_t as_of) const {
  require_clustered("household_ids");
  check_date_argument(as_of, "household_ids: as_of");
  const auto lock = reading();
  const std::vector<HouseholdMembership> h = linkage::households(table_, identity_person_, persons_, as_of);
  std::vector<std::string> out;
  out.reserve(table_.record_ids.size());
  for (const std::uint32_t id : table_.identity_of) out.push_back(h[identity_person_[id]].household_id);
  return out;
}

std::vector<std::string> link(const std::vector<Record>& records, const Settings& settings,
                              std::vector<std::string>* warnings) {
  Linker linker(settings);
  linker.add_records(records);
  linker.link();
  if (warnings) *warnings = linker.warnings();
  return linker.person_ids();
}

}  // namespace earlyhelp::linkage
