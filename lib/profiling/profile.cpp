// SPDX-License-Identifier: Apache-2.0
// Risk profiling on one date: features, scores, reasons, contact and alerts (profiling/profile.hpp).
#include "earlyhelp/profiling/profile.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/features/compute.hpp"
#include "earlyhelp/governance/hash.hpp"
#include "earlyhelp/profiling/alert_history.hpp"
#include "earlyhelp/profiling/score_row.hpp"
#include "profiling/extra_features.hpp"
#include "profiling/tf_evidence.hpp"
#include "schema/json_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <utility>

namespace earlyhelp::detail {
std::string_view embedded_file(std::string_view name) noexcept;
}

namespace earlyhelp::profiling {

DomainModel DomainModel::from_bytes(std::string_view bytes, std::string_view key) {
  DomainModel m{models::Model::from_bytes(bytes, key), {}};
  const auto& info = m.model.info();
  m.identity.name = info.name.empty() ? std::string("unnamed") : info.name;
  m.identity.version = info.version;
  m.identity.sha256 = governance::to_hex(governance::sha256(bytes));
  return m;
}

DomainModel DomainModel::load(const std::string& path, std::string_view key) {
  return from_bytes(schema::detail::read_file(path, "profile"), key);
}

DomainModel DomainModel::reference(std::string_view domain) {
  const std::string file = fmt::format("{}.ehm", domain);
  const std::string_view bytes = earlyhelp::detail::embedded_file(file);
  EH_CHECK(!bytes.empty(),
           "profile: this build has no reference model for domain '{}' (the built-in domains have one); pass the "
           "council's own bundle (--model {}=FILE)",
           domain, domain);
  return from_bytes(bytes);
}

double DomainModel::threshold() const {
  const auto& t = model.thresholds();
  const auto it = t.find("alert");
  EH_CHECK(it != t.end(), "profile: model '{}' has no 'alert' threshold (Model.set_thresholds({{'alert': ...}}))",
           identity.name);
  return it->second;
}

Domain resolve_domain(const std::string& name_or_path) {
  const auto names = Domain::builtin_names();
  if (std::find(names.begin(), names.end(), name_or_path) != names.end()) return Domain::builtin(name_or_path);
  EH_CHECK(std::filesystem::is_regular_file(name_or_path),
           "profile: domain '{}' is neither a built-in domain (safeguarding, homelessness, asb, debt) nor a domain "
           "JSON file",
           name_or_path);
  return Domain::from_file(name_or_path);
}

namespace {

using features::Level;

// Per person: a record of a contact stream dated in the window [first_day, as_of).
std::vector<char> persons_in_contact(const features::EventStore& store, const schema::Schema& schema,
                                     const ContactRule& rule, Date as_of) {
  const ContactWindow window(schema, rule, as_of);
  std::vector<char> in(store.n_persons(), 0);
  for (const auto& name : window.streams()) {
    const auto* st = schema.find(name);
    const auto& s = store.streams[static_cast<std::size_t>(st - schema.streams.data())];
    if (!s.present) continue;  // no extract: it can show no contact
    EH_CHECK(s.offsets.size() == store.n_persons() + 1,
             "profile: contact stream '{}' is not held by the domain's features; name the contact streams the "
             "features read",
             name);
    for (std::size_t p = 0; p < store.n_persons(); ++p) {
      if (in[p]) continue;
      for (std::uint32_t i = s.offsets[p]; i < s.offsets[p + 1]; ++i) {
        const std::int32_t d = s.date[i];
        if (d == features::undated) continue;
        if (d >= as_of.days) break;  // sorted by date within a person
        if (d >= window.first_day().days) {
          in[p] = 1;
          break;
        }
      }
    }
  }
  return in;
}

// The model's columns among the domain's feature columns at its level.
std::vector<std::size_t> model_columns(const Domain& domain, const DomainModel& m,
                                       const std::vector<std::string>& cols) {
  EH_CHECK(!m.model.feature_names().empty(), "profile: model '{}' for domain '{}' has no feature names",
           m.identity.name, domain.name());
  EH_CHECK(m.model.n_outputs() == 1, "profile: model '{}' for domain '{}' gives {} outputs, expected one risk score",
           m.identity.name, domain.name(), m.model.n_outputs());
  std::vector<std::size_t> take;
  for (const auto& f : m.model.feature_names()) {
    const auto it = std::find(cols.begin(), cols.end(), f);
    EH_CHECK(it != cols.end(),
             "profile: model '{}' for domain '{}' needs feature '{}', which is not a {} feature of the domain's "
             "definitions",
             m.identity.name, domain.name(), f, features::to_string(domain.level()));
    take.push_back(static_cast<std::size_t>(it - cols.begin()));
  }
  return take;
}

// The features of every domain at once (built-in definitions plus each domain's own, and the
// families' framework's own when it is assessed too), so the extracts are read once for all. A
// name two of them define differently is refused.
features::FeatureSet union_set(const std::vector<Domain>& domains, const Framework* families) {
  using schema::detail::json;
  const schema::Schema& schema = domains.front().feature_set().schema();
  // (whose, their definitions as JSON text, their schema)
  struct Owner {
    std::string what;
    const std::string* definitions;
    const schema::Schema* schema;
  };
  std::vector<Owner> owners;
  for (const Domain& d : domains)
    owners.push_back({fmt::format("domain '{}'", d.name()), &d.definitions_json(), &d.feature_set().schema()});
  if (families != nullptr)
    owners.push_back({fmt::format("framework '{}'", families->name()), &families->definitions_json(),
                      &families->feature_set().schema()});
  json all = json::array();
  std::map<std::string, std::pair<std::string, std::string>> seen;  // feature -> (owner, definition)
  for (const Owner& o : owners) {
    EH_CHECK(o.schema->name == schema.name && o.schema->version == schema.version,
             "profile: {} is bound to schema '{}' {}, domain '{}' to '{}' {}: score them in separate runs", o.what,
             o.schema->name, o.schema->version, domains.front().name(), schema.name, schema.version);
    for (const json& f : schema::detail::parse_json(*o.definitions, o.what)) {
      const std::string name = f.value("name", std::string());
      const std::string text = f.dump();
      const auto [it, fresh] = seen.emplace(name, std::make_pair(o.what, text));
      if (fresh) {
        all.push_back(f);
      } else {
        EH_CHECK(it->second.second == text,
                 "profile: {} and {} define feature '{}' differently: score them in separate runs", it->second.first,
                 o.what, name);
      }
    }
  }
  return detail::builtin_plus(&all, schema, "profile (the domains' own definitions)", "definitions");
}

// One level's feature rows on the date, computed once for every domain at that level: row i is
// entity[i]'s, values[i * width ...] its columns (set.columns(level) order).
struct LevelRows {
  std::vector<std::int32_t> entity;
  std::vector<float> values;
  std::size_t width = 0;
  const float* row(std::size_t i) const noexcept { return values.data() + i * width; }
};

// The rows of every level the domains score at, from one pass over the store (the work the
// levels share done once, features::compute_blocks over several levels). Only the features a
// domain reads are computed (its model's, its population, its level's alerting features, and
// what they and their sentences read); the other columns stay NaN. On the county the union of
// the domains' own definitions had grown the person rows by 32 family features no person
// domain reads.
std::vector<LevelRows> rows_by_level(const std::vector<Domain>& domains, const std::vector<DomainModel>& models,
                                     const features::FeatureSet& set, const features::EventStore& store, Date as_of,
                                     int n_threads) {
  std::vector<Level> levels;
  std::vector<std::string> read;
  for (std::size_t k = 0; k < domains.size(); ++k) {
    const Domain& d = domains[k];
    if (std::find(levels.begin(), levels.end(), d.level()) == levels.end()) levels.push_back(d.level());
    for (const auto& f : models[k].model.feature_names())
      if (set.find(f)) read.push_back(f);  // else profile_domain says which model needs what
    read.push_back(d.population());
    for (const std::size_t j : set.columns(d.level()))
      if (set.features()[j].alerting) read.push_back(set.features()[j].name);
  }
  std::vector<LevelRows> out(2);
  for (const Level l : levels) {
    LevelRows& t = out[static_cast<std::size_t>(l)];
    t.width = set.columns(l).size();
    // At most every person or household: reserved once, so the rows are never copied to grow.
    const std::size_t most = l == Level::person ? store.n_persons() : store.household_ids.size();
    t.entity.reserve(most);
    t.values.reserve(most * t.width);
  }
  features::ComputeOptions co;
  co.n_threads = n_threads;
  co.only = features::needed_features(set, read);
  features::compute_blocks(set, store, {as_of}, levels, [&](const features::FeatureBlock& b) {
    LevelRows& t = out[static_cast<std::size_t>(b.level)];
    t.entity.insert(t.entity.end(), b.entities.begin(), b.entities.end());
    t.values.insert(t.values.end(), b.values.data(), b.values.data() + b.values.size());
  }, co);
  return out;
}

DomainProfile profile_domain(const Domain& domain, const DomainModel& m, const features::FeatureSet& set,
                             const features::EventStore& store, const features::Linkage& links, Date as_of,
                             const LevelRows& level_rows, const ProfileOptions& o) {
  DomainProfile out;
  out.domain = domain.name();
  out.subject_kind = domain.level() == Level::person ? SubjectKind::person : SubjectKind::family;
  out.model = m.identity;
  out.threshold = m.threshold();

  const std::vector<std::string> cols = set.column_names(domain.level());
  const std::vector<std::size_t> set_index = set.columns(domain.level());
  const std::vector<std::size_t> take = model_columns(domain, m, cols);
  const auto pop = static_cast<std::size_t>(std::find(cols.begin(), cols.end(), domain.population()) - cols.begin());
  std::vector<std::size_t> alerting;  // columns of alerting features
  for (std::size_t c = 0; c < cols.size(); ++c)
    if (set.features()[set_index[c]].alerting) alerting.push_back(c);

  // The population's rows on the date (entities: person or household numbers).
  EH_ASSERT(level_rows.width == cols.size());
  std::vector<std::int32_t> entity;
  std::vector<const float*> rows;
  for (std::size_t r = 0; r < level_rows.entity.size(); ++r) {
    const float in = level_rows.row(r)[pop];
    if (std::isnan(in) || in == 0.0f) continue;
    entity.push_back(level_rows.entity[r]);
    rows.push_back(level_rows.row(r));
  }

  const auto n = static_cast<Index>(rows.size());
  RowMatrixXd x(n, static_cast<Index>(take.size()));
  for (Index i = 0; i < n; ++i)
    for (std::size_t c = 0; c < take.size(); ++c)
      x(i, static_cast<Index>(c)) = static_cast<double>(rows[static_cast<std::size_t>(i)][take[c]]);
  const RowMatrixXd p = m.model.predict(x, o.n_threads);

  // Reasons only where an alert is possible: at or above the threshold.
  std::vector<Index> above;
  for (Index i = 0; i < n; ++i)
    if (p(i, 0) >= out.threshold) above.push_back(i);
  RowMatrixXd xa(static_cast<Index>(above.size()), x.cols());
  for (std::size_t k = 0; k < above.size(); ++k) xa.row(static_cast<Index>(k)) = x.row(above[k]);
  const auto reasons = o.reasons > 0 && !above.empty() ? m.model.reasons(xa, o.reasons, 0, o.n_threads)
                                                       : std::vector<std::vector<models::Reason>>{};

  const std::vector<char> contact = persons_in_contact(store, set.schema(), o.contact, as_of);
  std::vector<std::vector<std::size_t>> members;  // per household: persons known on the date
  if (links.has_households()) {
    members.resize(store.household_ids.size());
    for (std::size_t q = 0; q < store.n_persons(); ++q)
      if (store.household[q] >= 0 && store.first_seen[q] < as_of.days)
        members[static_cast<std::size_t>(store.household[q])].push_back(q);
  }

  AssessmentRun run;
  run.domain = domain.name();
  run.subject_kind = out.subject_kind;
  run.as_of = as_of;
  run.model = m.identity;
  run.threshold = out.threshold;
  run.assessments.resize(rows.size());
  std::vector<float> full(set.size(), std::numeric_limits<float>::quiet_NaN());
  std::size_t next_above = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    Assessment& a = run.assessments[i];
    const auto e = static_cast<std::size_t>(entity[i]);
    a.subject_id = domain.level() == Level::person ? store.person_ids[e] : store.household_ids[e];
    a.score = p(static_cast<Index>(i), 0);
    const int b = m.model.bands().empty() ? -1 : m.model.bands().band(a.score);
    if (b >= 0) a.band = m.model.bands().names[static_cast<std::size_t>(b)];
    for (std::size_t c : alerting) {
      const float v = rows[i][c];
      if (!std::isnan(v) && v != 0.0f) a.alerting_features.push_back(cols[c]);
    }
    if (domain.level() == Level::person) {
      a.in_contact = contact[e] != 0;
    } else {
      for (std::size_t q : members[e]) a.in_contact = a.in_contact || contact[q] != 0;
    }
    if (next_above < above.size() && above[next_above] == static_cast<Index>(i)) {
      if (!reasons.empty()) {
        for (std::size_t c = 0; c < cols.size(); ++c) full[set_index[c]] = rows[i][c];
        a.reasons = reason_sentences(set, full.data(), reasons[next_above]);
      }
      ++next_above;
      ++out.above_threshold;
    }
    out.in_contact += a.in_contact;
  }
  out.subjects = run.assessments.size();

  if (o.history.empty()) {
    out.decisions = decide_alerts(run, {}, o.policy);
  } else {
    AlertHistory history(o.history);
    RecordResult rec = history.record(run, o.policy);
    out.decisions = std::move(rec.decisions);
    out.rerun = rec.rerun;
  }
  std::stable_sort(out.decisions.alerts.begin(), out.decisions.alerts.end(),
                   [](const Alert& a, const Alert& b) { return a.score > b.score; });

  // Scores per person: a family's score goes to each member known on the date; in the order of
  // person_id. Each person appears once in a domain, so the order is one whatever sorts it: by
  // person number when the store numbers persons in the order of their ids (the linkage does),
  // which spares the string comparisons, else by the ids themselves.
  std::vector<std::pair<std::size_t, std::size_t>> order;  // (person number, assessment)
  order.reserve(domain.level() == Level::person ? rows.size() : store.n_persons());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto e = static_cast<std::size_t>(entity[i]);
    if (domain.level() == Level::person) order.emplace_back(e, i);
    else
      for (std::size_t q : members[e]) order.emplace_back(q, i);
  }
  if (std::is_sorted(store.person_ids.begin(), store.person_ids.end()))
    std::sort(order.begin(), order.end());
  else
    std::sort(order.begin(), order.end(), [&](const auto& u, const auto& v) {
      return store.person_ids[u.first] < store.person_ids[v.first];
    });
  out.scores.reserve(order.size());
  for (const auto& [q, i] : order) {
    const Assessment& a = run.assessments[i];
    if (domain.level() == Level::person) {
      const std::int32_t h = store.household[q];
      out.scores.push_back({a.subject_id, h >= 0 ? store.household_ids[static_cast<std::size_t>(h)] : std::string(),
                            a.score, a.band});
    } else {
      out.scores.push_back({store.person_ids[q], a.subject_id, a.score, a.band});
    }
  }
  return out;
}

}  // namespace

ProfileResult profile(const std::string& data_dir, const features::Linkage& links, Date as_of,
                      const ProfileOptions& options) {
  EH_CHECK(options.reasons >= 0 && options.reasons <= 100, "profile: reasons is {}, expected 0 to 100",
           options.reasons);
  const std::vector<std::string> names = options.domains.empty() ? Domain::builtin_names() : options.domains;
  // Everything is checked before anything is read: domains and their bundles.
  std::vector<Domain> domains;
  std::vector<DomainModel> models;
  for (const auto& name : names) {
    domains.push_back(resolve_domain(name));
    const std::string& d = domains.back().name();
    for (std::size_t k = 0; k + 1 < domains.size(); ++k)
      EH_CHECK(domains[k].name() != d, "profile: domain '{}' is asked twice", d);
    const auto it = options.models.find(d);
    models.push_back(it == options.models.end() ? DomainModel::reference(d)
                                                : DomainModel::load(it->second, options.model_key));
    (void)models.back().threshold();
  }
  for (const auto& kv : options.models)
    EH_CHECK(std::any_of(domains.begin(), domains.end(), [&](const Domain& d) { return d.name() == kv.first; }),
             "profile: a model is given for domain '{}', which is not being scored", kv.first);
  for (const Domain& d : domains)
    EH_CHECK(d.level() == features::Level::person || links.has_households(),
             "profile: domain '{}' scores families and the linkage has no households (earlyhelp link --households "
             "FILE --as-of DATE writes them)",
             d.name());
  const Framework* framework = options.families ? &*options.families : nullptr;
  if (framework != nullptr)
    EH_CHECK(links.has_households(),
             "profile: families are asked for (framework '{}') and the linkage has no households (earlyhelp link "
             "--households FILE --as-of DATE writes them)",
             framework->name());
  const features::FeatureSet set = union_set(domains, framework);
  ProfileResult r;
  r.as_of = as_of;
  features::LoadOptions lo;
  lo.n_threads = options.n_threads;
  lo.rejects_dir = options.rejects_dir;
  lo.progress = options.progress;
  const features::EventStore store = features::load_events(set, data_dir, links, lo, &r.load);
  options.progress("score", 0, domains.size());
  std::vector<LevelRows> rows = rows_by_level(domains, models, set, store, as_of, options.n_threads);
  for (std::size_t k = 0; k < domains.size(); ++k) {
    r.domains.push_back(profile_domain(domains[k], models[k], set, store, links, as_of,
                                       rows[static_cast<std::size_t>(domains[k].level())], options));
    options.progress("score", k + 1, domains.size());
  }
  if (framework != nullptr) {
    std::vector<LevelRows>().swap(rows);  // the domains' rows go before the families' tables come
    FamiliesOptions fo;
    fo.n_threads = options.n_threads;
    fo.progress = options.progress;
    r.families = detail::assess_with_evidence(*framework, store, data_dir, links, as_of, lo.csv, fo);
    r.families->load = r.load;
  }
  return r;
}

}  // namespace earlyhelp::profiling
