// SPDX-License-Identifier: Apache-2.0
// Families against a framework's criteria on a date (profiling/troubled_families.hpp).
#include "earlyhelp/profiling/troubled_families.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/types.hpp"
#include "earlyhelp/features/compute.hpp"
#include "profiling/tf_evidence.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

namespace earlyhelp::profiling {

namespace {

using features::FeatureDef;
using features::Kind;
using features::Level;

using ::earlyhelp::detail::kNaN;

bool truthy(double v) noexcept { return !std::isnan(v) && v != 0.0; }

using detail::compare;

double round2(double x) noexcept { return std::isnan(x) ? x : std::round(x * 100.0) / 100.0; }

// One person's values, read by feature index.
struct PersonRow {
  const features::FeatureTable* table;
  const std::vector<std::ptrdiff_t>* column;  // per feature: its column in the table, or -1
  Index row;
  double operator[](std::size_t feature) const {
    const std::ptrdiff_t c = (*column)[feature];
    return c < 0 ? kNaN : static_cast<double>(table->values(row, static_cast<Index>(c)));
  }
};

// The features reading a stream that make `feature` true for the person: the feature itself when
// it reads a stream, else the inputs of its rule conditions (or counted features) that hold.
class Leaves {
 public:
  explicit Leaves(const features::FeatureSet& set) : set_(set) {}

  void of(std::size_t feature, const PersonRow& row, std::vector<std::size_t>& out) const {
    const FeatureDef& f = set_.features()[feature];
    switch (f.kind) {
      case Kind::rule: rule(f.plan.rule, row, out); break;
      case Kind::count_true:
        for (std::size_t i : f.plan.inputs)
          if (truthy(row[i])) of(i, row, out);
        break;
      case Kind::attribute:
      case Kind::rollup:
      case Kind::records: break;  // nothing recorded to point at (records: no one stream's rows)
      default:
        if (std::find(out.begin(), out.end(), feature) == out.end()) out.push_back(feature);
    }
  }

 private:
  bool holds(const features::detail::Rule& r, const PersonRow& row) const {
    auto cond = [&](const features::detail::Condition& c) { return compare(c.op, row[c.feature], c.value); };
    auto sub = [&](const features::detail::Rule& s) { return holds(s, row); };
    if (r.all)
      return std::all_of(r.conditions.begin(), r.conditions.end(), cond) && std::all_of(r.rules.begin(), r.rules.end(), sub);
    return std::any_of(r.conditions.begin(), r.conditions.end(), cond) || std::any_of(r.rules.begin(), r.rules.end(), sub);
  }
  void rule(const features::detail::Rule& r, const PersonRow& row, std::vector<std::size_t>& out) const {
    if (!holds(r, row)) return;
    for (const auto& c : r.conditions)
      if (compare(c.op, row[c.feature], c.value)) of(c.feature, row, out);
    for (const auto& s : r.rules) rule(s, row, out);
  }
  const features::FeatureSet& set_;
};

// Which members a criterion looks at: those a roll-up counts (adults, children or all).
enum class Who { any, adults, children };

Who who_of(const FeatureDef& f) noexcept {
  if (f.kind != Kind::rollup) return Who::any;
  using R = features::detail::Rollup;
  switch (f.plan.rollup) {
    case R::any_adult:
    case R::count_adults: return Who::adults;
    case R::any_child:
    case R::count_children: return Who::children;
    default: return Who::any;
  }
}

}  // namespace

std::string FamiliesResult::evidence_text(std::size_t i) const {
  EH_CHECK(i < families.size(), "evidence_text: family {} of {}", i, families.size());
  std::string out;
  const FamilyAssessment& f = families[i];
  for (std::size_t c = 0; c < criteria.size(); ++c) {
    if (!f.met[c]) continue;
    if (!out.empty()) out += "; ";
    out += criteria[c];
    out += ':';
    for (const auto& id : f.evidence[c]) {
      out += ' ';
      out += id;
    }
  }
  return out;
}

namespace detail {

FamiliesResult assess(const Framework& framework, const features::EventStore& store, Date as_of, int n_threads,
                      std::vector<EvidenceRequest>* requests, const Progress& progress) {
  const features::FeatureSet& set = framework.feature_set();
  EH_CHECK(!store.household_ids.empty(), "assess_families: the linkage has no households (earlyhelp link "
                                         "--households FILE --as-of DATE writes them)");
  EH_CHECK(store.streams.size() == set.schema().streams.size(),
           "assess_families: the event store has {} streams, the framework's schema {}", store.streams.size(),
           set.schema().streams.size());
  features::ComputeOptions co;
  co.n_threads = n_threads;
  co.progress = progress;  // stages "family features" and "person features"
  // Only what is read below: the criteria (with what their rules and evidence read), the ages
  // that give the roles, and the attendance figures. Every other column stays NaN.
  std::vector<std::string> read{"age", framework.attendance().last, framework.attendance().previous};
  for (const auto& c : framework.criteria()) read.push_back(c.feature);
  co.only = features::needed_features(set, read);
  // Both tables from one pass: the ages, the members' features and the family table computed once.
  std::vector<features::FeatureTable> tables =
      features::compute(set, store, {as_of}, {Level::family, Level::person}, co);
  const features::FeatureTable fam = std::move(tables[0]);
  const features::FeatureTable per = std::move(tables[1]);

  auto columns_of = [&](const features::FeatureTable& t) {
    std::vector<std::ptrdiff_t> col(set.size(), -1);
    for (std::size_t c = 0; c < t.columns.size(); ++c) col[*set.find(t.columns[c])] = static_cast<std::ptrdiff_t>(c);
    return col;
  };
  const std::vector<std::ptrdiff_t> fam_col = columns_of(fam), per_col = columns_of(per);
  auto index_of = [&](const std::string& name) { return *set.find(name); };

  // Person number -> row of the person table (-1: not known before the date).
  std::vector<Index> row_of(store.n_persons(), -1);
  {
    std::size_t p = 0;
    for (Index r = 0; r < static_cast<Index>(per.ids.size()); ++r) {
      while (p < store.person_ids.size() && store.person_ids[p] != per.ids[static_cast<std::size_t>(r)]) ++p;
      EH_ASSERT(p < store.person_ids.size());
      row_of[p] = r;
    }
  }
  // Members known on the date, per household number.
  std::vector<std::vector<std::int32_t>> members(store.household_ids.size());
  for (std::size_t p = 0; p < store.n_persons(); ++p)
    if (store.household[p] >= 0 && row_of[p] >= 0)
      members[static_cast<std::size_t>(store.household[p])].push_back(static_cast<std::int32_t>(p));

  const std::size_t age = index_of("age");
  auto role_of = [&](std::size_t p) {
    const double a = PersonRow{&per, &per_col, row_of[p]}[age];
    if (!std::isnan(a)) return a >= 18.0 ? features::Role::adult : features::Role::child;
    return store.role[p];
  };

  FamiliesResult out;
  out.as_of = as_of;
  for (const auto& c : framework.criteria()) out.criteria.push_back(c.name);
  const auto& crit = framework.criteria();
  const AttendanceSpec& att = framework.attendance();
  std::ptrdiff_t att_criterion = -1;
  for (std::size_t c = 0; c < crit.size(); ++c)
    if (crit[c].name == att.criterion) att_criterion = static_cast<std::ptrdiff_t>(c);
  const std::size_t att_last = index_of(att.last), att_prev = index_of(att.previous);
  const Leaves leaves(set);

  out.families.reserve(fam.ids.size());
  for (Index r = 0; r < static_cast<Index>(fam.ids.size()); ++r) {
    const std::string& id = fam.ids[static_cast<std::size_t>(r)];
    const auto h = static_cast<std::size_t>(
        std::lower_bound(store.household_ids.begin(), store.household_ids.end(), id) - store.household_ids.begin());
    const std::size_t fi = out.families.size();
    FamilyAssessment fa;
    fa.family_id = id;
    fa.met.assign(crit.size(), 0);
    fa.evidence.resize(crit.size());
    const PersonRow frow{&fam, &fam_col, r};
    for (std::size_t c = 0; c < crit.size(); ++c) {
      const std::size_t j = index_of(crit[c].feature);
      const FeatureDef& f = set.features()[j];
      const bool rollup = f.level == Level::family;
      const std::size_t of = rollup ? *f.plan.of : j;
      const Who who = who_of(f);
      bool any_member = false;
      std::vector<std::size_t> found;
      for (std::int32_t p : members[h]) {
        const auto pu = static_cast<std::size_t>(p);
        const PersonRow prow{&per, &per_col, row_of[pu]};
        if (!truthy(prow[of])) continue;
        const features::Role role = role_of(pu);
        if ((who == Who::adults && role != features::Role::adult) || (who == Who::children && role != features::Role::child))
          continue;
        any_member = true;
        if (requests == nullptr) continue;
        found.clear();
        leaves.of(of, prow, found);
        for (std::size_t leaf : found) requests->push_back({fi, c, p, leaf});
      }
      fa.met[c] = rollup ? static_cast<char>(truthy(frow[j])) : static_cast<char>(any_member);
      fa.criteria_met += fa.met[c];
    }
    fa.eligible = fa.criteria_met >= framework.min_criteria();
    // Attendance: the child with the lowest attendance over the last three terms.
    double last = kNaN, prev = kNaN;
    for (std::int32_t p : members[h]) {
      const auto pu = static_cast<std::size_t>(p);
      if (role_of(pu) != features::Role::child) continue;
      const PersonRow prow{&per, &per_col, row_of[pu]};
      const double l = prow[att_last];
      if (std::isnan(l) || (!std::isnan(last) && l >= last)) continue;
      last = l;
      prev = prow[att_prev];
    }
    fa.attendance_distance_travelled = round2((last - prev) * 100.0);
    fa.attendance_distance_to_target = round2((att.target - last) * 100.0);
    fa.near_miss = att_criterion >= 0 && !fa.eligible && fa.criteria_met == framework.min_criteria() - 1 &&
                   !fa.met[static_cast<std::size_t>(att_criterion)] && !std::isnan(fa.attendance_distance_to_target) &&
                   std::abs(fa.attendance_distance_to_target) <= att.near_miss_points;
    out.families.push_back(std::move(fa));
    for (std::int32_t p : members[h]) {
      const features::Role role = role_of(static_cast<std::size_t>(p));
      out.members.push_back({id, store.person_ids[static_cast<std::size_t>(p)],
                             role == features::Role::adult   ? "adult"
                             : role == features::Role::child ? "child"
                                                             : "unknown"});
    }
  }
  return out;
}

}  // namespace detail

FamiliesResult assess_families(const Framework& framework, const features::EventStore& store, Date as_of, int n_threads) {
  return detail::assess(framework, store, as_of, n_threads, nullptr);
}

}  // namespace earlyhelp::profiling
