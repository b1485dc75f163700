// SPDX-License-Identifier: Apache-2.0
// The feature kernel (private to lib/features/compute.cpp): one person's or one household's
// feature values as of a date — measures over the events before it, change flags, states,
// attributes, family roll-ups and rules — with what one date's rows share (Day) and the table of
// every household's family features (family_table). compute.cpp drives it over rows, blocks,
// dates, levels and threads.

#pragma once

#include "earlyhelp/features/compute.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/parallel.hpp"
#include "earlyhelp/core/types.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

namespace earlyhelp::features::kernel {

using detail::Stat;
using schema::Missing;

using ::earlyhelp::detail::kNaN;
constexpr float kNaNf = std::numeric_limits<float>::quiet_NaN();

enum class Match { no, yes, unknown };

inline bool compare(Op op, double a, double b) noexcept {
  switch (op) {
    case Op::lt: return a < b;
    case Op::le: return a <= b;
    case Op::gt: return a > b;
    case Op::ge: return a >= b;
    case Op::eq: return a == b;
    case Op::ne: return a != b;
  }
  return false;
}

inline bool truthy(double v) noexcept { return !std::isnan(v) && v != 0.0; }

// First index in [b, e) whose date is >= d.
inline std::uint32_t lower(const std::int32_t* dates, std::uint32_t b, std::uint32_t e, std::int64_t d) noexcept {
  if (d <= std::numeric_limits<std::int32_t>::min()) return b;
  const auto day = static_cast<std::int32_t>(std::min<std::int64_t>(d, std::numeric_limits<std::int32_t>::max()));
  return static_cast<std::uint32_t>(std::lower_bound(dates + b, dates + e, day) - dates);
}

// First dated index in [b, e).
inline std::uint32_t first_dated(const std::int32_t* dates, std::uint32_t b, std::uint32_t e) noexcept {
  return static_cast<std::uint32_t>(std::upper_bound(dates + b, dates + e, undated) - dates);
}

// Whole years from `dob` to `on` (the birthday itself counts); NaN when born on or after it.
inline double age_on(std::int32_t dob, std::int32_t on) noexcept {
  if (dob >= on) return kNaN;
  const CivilDate b = to_civil(Date{dob});
  const CivilDate d = to_civil(Date{on});
  int years = d.year - b.year;
  if (d.month < b.month || (d.month == b.month && d.day < b.day)) --years;
  return static_cast<double>(years);
}

// A filter bound to the store's column.
struct BoundFilter {
  const detail::Filter* f;
  const double* col;
};

// A measure bound to the store's columns.
struct Bound {
  const detail::Measure* m = nullptr;
  const StreamEvents* se = nullptr;
  std::vector<BoundFilter> where;
  const double* field = nullptr;
  const double* field2 = nullptr;
  const double* key = nullptr;
  const double* end = nullptr;
};

// A stream's date-of-birth or sex column, for attributes.
struct IdentityColumn {
  std::size_t stream;
  const double* col;
  std::vector<int> global;  // sex: category code -> index into the sex names
};

// What family_row reuses between households (one per thread).
struct FamilyScratch {
  std::vector<std::int32_t> known;  // the members known on the date
  std::vector<Role> roles;          // per known member
  std::vector<float> members;       // per known member: the closure features
  std::vector<float> row;           // one person's row, when the day holds no closure
};

// What every row of one as-of date shares, computed once per person: the age counting undated
// records (adults and children of roll-ups, and age attributes that count them), and the person
// features family roll-ups read (so they are not computed twice).
struct Day {
  std::int32_t d = 0;
  std::vector<float> ages;     // per person; empty when not computed
  std::vector<float> closure;  // per person x closure features; empty when not computed
};

// Flags, besides those `wanted` has (one per feature of `feats`), every feature a flagged one
// reads: a rule's conditions, count_true's inputs, a roll-up's member feature and, with
// `sentences`, the values its sentence's template inserts; over and over.
inline void close_over_inputs(const std::vector<FeatureDef>& feats, std::vector<char>& wanted, bool sentences) {
  std::vector<std::size_t> stack;
  const auto push_rule = [&stack](const detail::Rule& r, const auto& self) -> void {
    for (const auto& c : r.conditions) stack.push_back(c.feature);
    for (const auto& sub : r.rules) self(sub, self);
  };
  for (std::size_t j = 0; j < feats.size(); ++j)
    if (wanted[j]) stack.push_back(j);
  std::fill(wanted.begin(), wanted.end(), 0);
  while (!stack.empty()) {
    const std::size_t j = stack.back();
    stack.pop_back();
    if (wanted[j]) continue;
    wanted[j] = 1;
    const detail::Plan& plan = feats[j].plan;
    if (feats[j].kind == Kind::count_true) stack.insert(stack.end(), plan.inputs.begin(), plan.inputs.end());
    if (feats[j].kind == Kind::rule) push_rule(plan.rule, push_rule);
    if (feats[j].kind == Kind::rollup && plan.of) stack.push_back(*plan.of);
    if (sentences)
      for (const auto& part : plan.parts)
        if (part.what != detail::TemplatePart::What::text) stack.push_back(part.feature);
  }
}

class Evaluator {
 public:
  // With `only` (one flag per feature, closed under what features read: needed_features), only
  // the flagged features are computed; the others stay NaN in the rows.
  Evaluator(const FeatureSet& set, const EventStore& st, const std::vector<char>* only = nullptr) : set_(set), st_(st) {
    const auto& feats = set.features();
    bound_.resize(feats.size());
    for (std::size_t j = 0; j < feats.size(); ++j) {
      const FeatureDef& f = feats[j];
      if (f.kind == Kind::attribute || f.kind == Kind::rollup || f.kind == Kind::count_true || f.kind == Kind::rule ||
          f.kind == Kind::records)
        continue;
      Bound& b = bound_[j];
      b.m = &f.plan.measure;
      b.se = &st.streams[b.m->stream];
      for (const auto& flt : b.m->where) b.where.push_back({&flt, b.se->column(flt.field)});
      const bool uses_field = b.m->stat != Stat::count && b.m->stat != Stat::days_since_last &&
                              b.m->stat != Stat::days_since_first;
      if (uses_field || (f.kind == Kind::change && f.plan.change == detail::Change::changed))
        b.field = b.se->column(b.m->field);
      if (b.m->stat == Stat::ratio || b.m->stat == Stat::ratio_min || b.m->stat == Stat::ratio_max)
        b.field2 = b.se->column(b.m->field2);
      if (b.m->latest_per) b.key = b.se->column(*b.m->latest_per);
      if (b.m->end_field) b.end = b.se->column(*b.m->end_field);
    }
    // What each event feature is for a person with no events in its stream, from the same kernel
    // run over an empty stream: most persons have no events in most streams, and this is the
    // value they get without searching dates.
    empty_stream_.present = true;
    empty_stream_.offsets = {0, 0};
    empty_stream_.date.reserve(1);
    empty_.assign(feats.size(), kNaN);
    for (std::size_t j = 0; j < feats.size(); ++j) {
      if (bound_[j].m == nullptr) continue;
      Bound empty = bound_[j];
      empty.se = &empty_stream_;
      empty_[j] = event_feature(feats[j], empty, 0, 0);
    }
    const auto& streams = set.schema().streams;
    for (std::size_t s = 0; s < streams.size(); ++s) {
      if (st.streams[s].offsets.empty()) continue;
      for (std::size_t k = 0; k < streams[s].fields.size(); ++k) {
        const auto& fd = streams[s].fields[k];
        const double* col = st.streams[s].column(k);
        if (col == nullptr) continue;
        if (fd.link_key == "dob") dob_.push_back({s, col, {}});
        if (fd.link_key == "sex" && fd.type == schema::FieldType::category) {
          IdentityColumn c{s, col, {}};
          for (const auto& name : fd.categories) {
            auto it = std::find(sex_names_.begin(), sex_names_.end(), name);
            if (it == sex_names_.end()) it = sex_names_.insert(sex_names_.end(), name);
            c.global.push_back(static_cast<int>(it - sex_names_.begin()));
          }
          sex_.push_back(std::move(c));
        }
      }
    }
    // Person features the family roll-ups read, with what they depend on.
    needed_for_family_.assign(feats.size(), 0);
    const auto wanted = [only](std::size_t j) { return only == nullptr || only->empty() || (*only)[j] != 0; };
    for (std::size_t j = 0; j < feats.size(); ++j)
      if (wanted(j) && feats[j].kind == Kind::rollup && feats[j].plan.of) needed_for_family_[*feats[j].plan.of] = 1;
    close_over_inputs(feats, needed_for_family_, /*sentences=*/false);
    slot_.assign(feats.size(), -1);
    for (std::size_t j = 0; j < feats.size(); ++j) {
      if (wanted(j)) (feats[j].level == Level::person ? person_features_ : family_features_).push_back(j);
      if (needed_for_family_[j]) {
        slot_[j] = static_cast<int>(closure_.size());
        closure_.push_back(j);
      }
      if (feats[j].kind == Kind::attribute && feats[j].plan.attribute != detail::Attribute::sex &&
          feats[j].plan.measure.undated)
        uses_ages_ = true;
    }
    uses_ages_ = uses_ages_ || std::any_of(feats.begin(), feats.end(), [](const FeatureDef& f) {
      return f.kind == Kind::rollup && f.plan.rollup != detail::Rollup::any_member &&
             f.plan.rollup != detail::Rollup::count_members && f.plan.rollup != detail::Rollup::max &&
             f.plan.rollup != detail::Rollup::min && f.plan.rollup != detail::Rollup::sum;
    });
    // Members of each household.
    const std::size_t h = st.household_ids.size();
    member_offsets_.assign(h + 1, 0);
    for (std::int32_t x : st.household)
      if (x >= 0) ++member_offsets_[static_cast<std::size_t>(x) + 1];
    for (std::size_t i = 0; i < h; ++i) member_offsets_[i + 1] += member_offsets_[i];
    members_.resize(member_offsets_[h]);
    std::vector<std::size_t> next(member_offsets_.begin(), member_offsets_.end() - 1);
    for (std::size_t p = 0; p < st.household.size(); ++p)
      if (st.household[p] >= 0) members_[next[static_cast<std::size_t>(st.household[p])]++] = static_cast<std::int32_t>(p);
  }

  const std::vector<std::size_t>& family_features() const noexcept { return family_features_; }
  std::size_t n_households() const noexcept { return member_offsets_.size() - 1; }

  // The shared values of date `d` for every person (see Day), in parallel.
  Day day(std::int32_t d, bool families, int n_threads) const {
    Day day;
    day.d = d;
    const std::size_t n = st_.n_persons();
    if (uses_ages_) {
      day.ages.assign(n, kNaNf);
      parallel_for_chunks(n, n_threads, 4096, [&](std::size_t b, std::size_t e) {
        for (std::size_t p = b; p < e; ++p) day.ages[p] = static_cast<float>(attribute_age(p, d, true, nullptr));
      });
    }
    if (families && !closure_.empty()) {
      const std::size_t k = closure_.size();
      day.closure.assign(n * k, kNaNf);
      parallel_for_chunks(n, n_threads, 2048, [&](std::size_t b, std::size_t e) {
        std::vector<float> row(set_.size(), kNaNf);
        for (std::size_t p = b; p < e; ++p) {
          if (st_.first_seen[p] >= d) continue;
          person_row(p, day, row.data(), &needed_for_family_, false);
          for (std::size_t i = 0; i < k; ++i) day.closure[p * k + i] = row[closure_[i]];
        }
      });
    }
    return day;
  }

  // The person features of `p` on `day` into row (indexed by feature); only those flagged in
  // `only` when given. With `use_closure`, the features the day holds are copied, not computed.
  void person_row(std::size_t p, const Day& day, float* row, const std::vector<char>* only, bool use_closure) const {
    const bool copy = use_closure && !day.closure.empty();
    for (std::size_t j : person_features_) {
      if (only != nullptr && !(*only)[j]) continue;
      if (copy && slot_[j] >= 0) {
        row[j] = day.closure[p * closure_.size() + static_cast<std::size_t>(slot_[j])];
        continue;
      }
      row[j] = static_cast<float>(person_feature(j, p, day, row));
    }
  }

  // The family features of household `h` on `day` into row (indexed by feature). Returns false
  // when no member was known before the date. `s` is reused between calls.
  bool family_row(std::size_t h, const Day& day, float* row, FamilyScratch& s) const {
    const std::size_t k_closure = closure_.size();
    s.known.clear();
    for (std::size_t i = member_offsets_[h]; i < member_offsets_[h + 1]; ++i)
      if (st_.first_seen[static_cast<std::size_t>(members_[i])] < day.d) s.known.push_back(members_[i]);
    if (s.known.empty()) return false;
    // Each member's features the roll-ups read (closure_ order): from the day when it holds them,
    // else computed here.
    s.members.resize(s.known.size() * k_closure);
    s.roles.resize(s.known.size());
    for (std::size_t k = 0; k < s.known.size(); ++k) {
      const auto p = static_cast<std::size_t>(s.known[k]);
      float* out = s.members.data() + k * k_closure;
      if (!day.closure.empty()) {
        std::copy_n(day.closure.data() + p * k_closure, k_closure, out);
      } else {
        s.row.assign(set_.size(), kNaNf);
        person_row(p, day, s.row.data(), &needed_for_family_, false);
        for (std::size_t i = 0; i < k_closure; ++i) out[i] = s.row[closure_[i]];
      }
      const double age = attribute_age(p, day.d, true, &day);
      s.roles[k] = std::isnan(age) ? st_.role[p] : age >= 18.0 ? Role::adult : Role::child;
    }
    for (std::size_t j : family_features_) {
      const FeatureDef& f = set_.features()[j];
      double v = kNaN;
      if (f.kind == Kind::rollup)
        v = rollup(f.plan, s.known.size(), s.members.data(), k_closure,
                   f.plan.of ? static_cast<std::size_t>(slot_[*f.plan.of]) : 0, s.roles);
      else if (f.kind == Kind::count_true) v = count_true(f.plan, row);
      else if (f.kind == Kind::rule) v = rule(f.plan.rule, row) ? 1.0 : 0.0;
      row[j] = static_cast<float>(v);
    }
    return true;
  }

 private:

  double person_feature(std::size_t j, std::size_t p, const Day& day, const float* row) const {
    const FeatureDef& f = set_.features()[j];
    const Bound& b = bound_[j];
    if (b.m != nullptr) {
      const StreamEvents& se = *b.se;
      if (se.present && !se.offsets.empty() && se.offsets[p] == se.offsets[p + 1]) return empty_[j];
      return event_feature(f, b, p, day.d);
    }
    switch (f.kind) {
      case Kind::attribute: return attribute(f.plan, p, day);
      case Kind::count_true: return count_true(f.plan, row);
      case Kind::rule: return rule(f.plan.rule, row) ? 1.0 : 0.0;
      case Kind::records: return records(f, p, day.d);
      default: return kNaN;  // rollup: family level, never a person feature
    }
  }

  // Records of person p over the feature's streams in its window before d (a stream whose
  // extract was not read counts none; NaN when none was read; undated records sort first and fall
  // outside any window).
  double records(const FeatureDef& f, std::size_t p, std::int32_t d) const noexcept {
    const std::int64_t from = f.plan.window_months > 0 ? add_months(Date{d}, -f.plan.window_months).days
                                                       : static_cast<std::int64_t>(d) - f.plan.measure.window_days;
    std::uint32_t n = 0;
    bool known = false;
    for (std::size_t s : f.plan.streams) {
      const StreamEvents& se = st_.streams[s];
      if (!se.present || se.offsets.empty()) continue;
      known = true;
      const std::uint32_t b = se.offsets[p], e = se.offsets[p + 1];
      if (b == e) continue;
      const std::uint32_t hi = lower(se.date.data(), b, e, d);
      n += hi - lower(se.date.data(), b, hi, from);
    }
    return known ? static_cast<double>(n) : kNaN;
  }

  // A feature over the events of one stream (count, aggregate, days_since, ratio, trend, change,
  // state) for person p of b's stream.
  double event_feature(const FeatureDef& f, const Bound& b, std::size_t p, std::int32_t d) const {
    switch (f.kind) {
      case Kind::count:
      case Kind::aggregate:
      case Kind::days_since:
      case Kind::ratio: return measure(b, p, d, 0);
      case Kind::trend: {
        const double now = measure(b, p, d, 0);
        const double before = b.m->events > 0 ? measure(b, p, d, b.m->events) : measure(b, p, d - b.m->window_days, 0);
        if (std::isnan(now) || std::isnan(before)) return kNaN;
        if (!f.plan.compare_ratio) return now - before;
        return before == 0.0 ? kNaN : now / before;
      }
      case Kind::change: return change(f.plan, b, p, d);
      case Kind::state: return state(b, p, d);
      default: return kNaN;  // not an event feature (bound_ holds none)
    }
  }

  Match match(const Bound& b, std::uint32_t i) const noexcept {
    bool unknown = false;
    for (const auto& [f, col] : b.where) {
      double v = col[i];
      if (std::isnan(v)) {
        if (f->missing == Missing::skip) return Match::no;
        if (f->missing == Missing::propagate) {
          unknown = true;
          continue;
        }
        // zero: none of its categories, false, or 0
        if (f->test == detail::Filter::Test::categories) return Match::no;
        v = 0.0;
      }
      bool ok = false;
      switch (f->test) {
        case detail::Filter::Test::categories: {
          const auto code = static_cast<std::size_t>(v);
          ok = code < f->allowed.size() && f->allowed[code];
          break;
        }
        case detail::Filter::Test::boolean: ok = (v != 0.0) == f->flag; break;
        case detail::Filter::Test::compare: ok = compare(f->op, v, f->value); break;
      }
      if (!ok) return Match::no;
    }
    return unknown ? Match::unknown : Match::yes;
  }

  // A field's value under its missing-value policy: the value, 0, "skip" (nullopt) or NaN.
  static bool value_of(const double* col, std::uint32_t i, Missing policy, double& out) noexcept {
    out = col[i];
    if (!std::isnan(out)) return true;
    if (policy == Missing::zero) {
      out = 0.0;
      return true;
    }
    return policy == Missing::propagate;  // out stays NaN; skip returns false
  }

  // The events of person p in the measure's stream: [lo, hi) before `d`, within its window.
  void range(const Bound& b, std::size_t p, std::int64_t d, std::uint32_t& lo, std::uint32_t& hi) const noexcept {
    const StreamEvents& se = *b.se;
    const std::uint32_t s = se.offsets[p], e = se.offsets[p + 1];
    hi = lower(se.date.data(), s, e, d);
    if (b.m->window_days > 0) lo = lower(se.date.data(), s, hi, d - b.m->window_days);
    else lo = b.m->undated ? s : first_dated(se.date.data(), s, hi);
  }

  double measure(const Bound& b, std::size_t p, std::int64_t d, int extra_offset) const {
    if (!b.se->present || b.se->offsets.empty()) return kNaN;
    std::uint32_t lo = 0, hi = 0;
    range(b, p, d, lo, hi);
    return stat_over(b, lo, hi, d, extra_offset);
  }

  double stat_over(const Bound& b, std::uint32_t lo, std::uint32_t hi, std::int64_t d, int extra_offset) const {
    const detail::Measure& m = *b.m;
    int skip = m.offset_events + extra_offset;
    int taken = 0;
    double n = 0, sum = 0, num = 0, den = 0, lo_v = kNaN, hi_v = kNaN, first = kNaN, last = kNaN;
    bool have_last = false, any = false;
    std::int32_t newest = 0, oldest = 0;
    std::vector<double> keys;
    for (std::uint32_t i = hi; i-- > lo;) {
      const Match r = match(b, i);
      if (r == Match::unknown) return kNaN;
      if (r == Match::no) continue;
      if (b.key != nullptr) {
        const double k = b.key[i];
        if (std::isnan(k)) continue;
        if (std::find(keys.begin(), keys.end(), k) != keys.end()) continue;
        keys.push_back(k);
      }
      if (skip > 0) {
        --skip;
        continue;
      }
      ++taken;
      if (!any) newest = b.se->date[i];
      oldest = b.se->date[i];
      any = true;
      switch (m.stat) {
        case Stat::count:
        case Stat::days_since_last:
        case Stat::days_since_first: n += 1; break;
        case Stat::sum:
        case Stat::mean:
        case Stat::min:
        case Stat::max:
        case Stat::first:
        case Stat::last: {
          double x;
          if (!value_of(b.field, i, m.field_missing, x)) break;
          if (std::isnan(x)) return kNaN;
          n += 1;
          sum += x;
          lo_v = std::isnan(lo_v) ? x : std::min(lo_v, x);
          hi_v = std::isnan(hi_v) ? x : std::max(hi_v, x);
          first = x;  // visited newest first: the last assignment is the oldest
          if (!have_last) {
            last = x;
            have_last = true;
          }
          break;
        }
        case Stat::ratio:
        case Stat::ratio_min:
        case Stat::ratio_max: {
          double x, y;
          if (!value_of(b.field, i, m.field_missing, x) || !value_of(b.field2, i, m.field2_missing, y)) break;
          if (std::isnan(x) || std::isnan(y)) return kNaN;
          num += x;
          den += y;
          if (y > 0) {
            const double q = x / y;
            lo_v = std::isnan(lo_v) ? q : std::min(lo_v, q);
            hi_v = std::isnan(hi_v) ? q : std::max(hi_v, q);
          }
          break;
        }
      }
      if (m.events > 0 && taken == m.events) break;
    }
    switch (m.stat) {
      case Stat::count: return n;
      case Stat::sum: return sum;
      case Stat::mean: return n > 0 ? sum / n : kNaN;
      case Stat::min:
      case Stat::ratio_min: return lo_v;
      case Stat::max:
      case Stat::ratio_max: return hi_v;
      case Stat::first: return first;
      case Stat::last: return last;
      case Stat::ratio: return den > 0 ? num / den : kNaN;
      case Stat::days_since_last: return any ? static_cast<double>(d - newest) : kNaN;
      case Stat::days_since_first: return any ? static_cast<double>(d - oldest) : kNaN;
    }
    return kNaN;
  }

  // Whether any event in [lo, hi) matches: 1, 0, or NaN when only unknowns could.
  double any_match(const Bound& b, std::uint32_t lo, std::uint32_t hi) const noexcept {
    bool unknown = false;
    for (std::uint32_t i = lo; i < hi; ++i) {
      const Match r = match(b, i);
      if (r == Match::yes) return 1.0;
      unknown = unknown || r == Match::unknown;
    }
    return unknown ? kNaN : 0.0;
  }

  // Episodes matching the filters that are open on `d`: started before it (undated starts only
  // when the definition allows) and not ended before it (an end on or after `d` is still open).
  double open_episode(const Bound& b, std::size_t p, std::int64_t d) const noexcept {
    const StreamEvents& se = *b.se;
    const std::uint32_t s = se.offsets[p], e = se.offsets[p + 1];
    const std::uint32_t hi = lower(se.date.data(), s, e, d);
    const std::uint32_t lo = b.m->undated ? s : first_dated(se.date.data(), s, hi);
    bool unknown = false;
    for (std::uint32_t i = lo; i < hi; ++i) {
      const double end = b.end[i];
      if (!std::isnan(end) && end < static_cast<double>(d)) continue;
      const Match r = match(b, i);
      if (r == Match::yes) return 1.0;
      unknown = unknown || r == Match::unknown;
    }
    return unknown ? kNaN : 0.0;
  }

  double state(const Bound& b, std::size_t p, std::int32_t d) const {
    if (!b.se->present || b.se->offsets.empty()) return kNaN;
    if (b.end != nullptr) return open_episode(b, p, d);
    // A snapshot stream: the rows of the latest date before `d` (within the window, if any).
    std::uint32_t lo = 0, hi = 0;
    range(b, p, d, lo, hi);
    if (hi == lo) return 0.0;
    std::uint32_t first = hi - 1;
    while (first > lo && b.se->date[first - 1] == b.se->date[hi - 1]) --first;
    return any_match(b, first, hi);
  }

  double change(const detail::Plan& plan, const Bound& b, std::size_t p, std::int32_t d) const {
    if (!b.se->present || b.se->offsets.empty()) return kNaN;
    const StreamEvents& se = *b.se;
    const std::uint32_t s = se.offsets[p], e = se.offsets[p + 1];
    const int w = b.m->window_days;
    const std::uint32_t hi = lower(se.date.data(), s, e, d);
    const std::uint32_t start = lower(se.date.data(), s, hi, static_cast<std::int64_t>(d) - w);
    const std::uint32_t dated = first_dated(se.date.data(), s, start);
    switch (plan.change) {
      case detail::Change::first_ever: {
        const double in = any_match(b, start, hi);
        const double before = any_match(b, dated, start);
        if (std::isnan(in) || std::isnan(before)) return kNaN;
        return in > 0 && before == 0 ? 1.0 : 0.0;
      }
      case detail::Change::new_event: {
        const double in = any_match(b, start, hi);
        if (std::isnan(in)) return kNaN;
        if (in == 0) return 0.0;
        const double before = b.end != nullptr
                                  ? open_episode(b, p, static_cast<std::int64_t>(d) - w)
                                  : any_match(b, lower(se.date.data(), dated, start, static_cast<std::int64_t>(d) - w - plan.lookback_days), start);
        if (std::isnan(before)) return kNaN;
        return before == 0 ? 1.0 : 0.0;
      }
      case detail::Change::changed: {
        // The latest value before the window, against every value in it.
        double prior = kNaN;
        for (std::uint32_t i = start; i-- > dated;) {
          if (std::isnan(b.field[i])) continue;
          const Match r = match(b, i);
          if (r == Match::unknown) return kNaN;
          if (r == Match::yes) {
            prior = b.field[i];
            break;
          }
        }
        if (std::isnan(prior)) return 0.0;
        bool unknown = false;
        for (std::uint32_t i = start; i < hi; ++i) {
          if (std::isnan(b.field[i]) || b.field[i] == prior) continue;
          const Match r = match(b, i);
          if (r == Match::yes) return 1.0;
          unknown = unknown || r == Match::unknown;
        }
        return unknown ? kNaN : 0.0;
      }
      case detail::Change::doubled: {
        const double now = measure(b, p, d, 0);
        const double before = measure(b, p, static_cast<std::int64_t>(d) - plan.lookback_days, 0);
        if (std::isnan(before) || before <= 0) return 0.0;
        if (std::isnan(now)) return kNaN;
        return now >= plan.factor * before ? 1.0 : 0.0;
      }
    }
    return kNaN;
  }

  // The value recorded most often among a person's records before `d` across the given columns;
  // a tie goes to the value of the latest record. NaN when none.
  template <class Key>
  double mode(const std::vector<IdentityColumn>& cols, std::size_t p, std::int32_t d, bool with_undated,
              const Key& key) const {
    struct Seen {
      double value;
      int count;
      std::int64_t latest;  // date * streams + stream, for the tie-break
    };
    // Reused between calls on each thread: this runs for every person on every date (ages), and
    // an allocation per call cost more than the counting.
    thread_local std::vector<Seen> seen;
    seen.clear();
    const auto n_streams = static_cast<std::int64_t>(st_.streams.size());
    for (const auto& c : cols) {
      const StreamEvents& se = st_.streams[c.stream];
      const std::uint32_t s = se.offsets[p], e = se.offsets[p + 1];
      const std::uint32_t hi = lower(se.date.data(), s, e, d);
      const std::uint32_t lo = with_undated ? s : first_dated(se.date.data(), s, hi);
      for (std::uint32_t i = lo; i < hi; ++i) {
        if (std::isnan(c.col[i])) continue;
        const double v = key(c, c.col[i]);
        const std::int64_t order = static_cast<std::int64_t>(se.date[i]) * n_streams + static_cast<std::int64_t>(c.stream);
        auto it = std::find_if(seen.begin(), seen.end(), [&](const Seen& x) { return x.value == v; });
        if (it == seen.end()) {
          seen.push_back({v, 1, order});
        } else {
          ++it->count;
          it->latest = std::max(it->latest, order);
        }
      }
    }
    if (seen.empty()) return kNaN;
    const auto best = std::max_element(seen.begin(), seen.end(), [](const Seen& a, const Seen& x) {
      return a.count != x.count ? a.count < x.count : a.latest < x.latest;
    });
    return best->value;
  }

  double attribute_age(std::size_t p, std::int32_t d, bool with_undated, const Day* day) const {
    if (with_undated && day != nullptr && !day->ages.empty()) return static_cast<double>(day->ages[p]);
    const double dob = mode(dob_, p, d, with_undated, [](const IdentityColumn&, double v) { return v; });
    return std::isnan(dob) ? kNaN : age_on(static_cast<std::int32_t>(dob), d);
  }

  double attribute(const detail::Plan& plan, std::size_t p, const Day& day) const {
    const std::int32_t d = day.d;
    switch (plan.attribute) {
      case detail::Attribute::age: return attribute_age(p, d, plan.measure.undated, &day);
      case detail::Attribute::age_band: {
        const double age = attribute_age(p, d, plan.measure.undated, &day);
        if (std::isnan(age)) return kNaN;
        return static_cast<double>(std::upper_bound(plan.bands.begin(), plan.bands.end(), static_cast<int>(age)) -
                                   plan.bands.begin());
      }
      case detail::Attribute::sex: {
        const double code = mode(sex_, p, d, plan.measure.undated, [](const IdentityColumn& c, double v) {
          return static_cast<double>(c.global[static_cast<std::size_t>(v)]);
        });
        if (std::isnan(code)) return kNaN;
        return sex_names_[static_cast<std::size_t>(code)] == plan.equals ? 1.0 : 0.0;
      }
    }
    return kNaN;
  }

  // Rolls feature `of` (column `col` of `rows`, n members x stride) up over the members.
  static double rollup(const detail::Plan& plan, std::size_t n, const float* rows, std::size_t stride,
                       std::size_t col, const std::vector<Role>& roles) {
    using detail::Rollup;
    double count = 0, agg = kNaN;
    for (std::size_t k = 0; k < n; ++k) {
      const double v = plan.of ? static_cast<double>(rows[k * stride + col]) : 1.0;
      const bool adult = roles[k] == Role::adult, child = roles[k] == Role::child;
      switch (plan.rollup) {
        case Rollup::any_adult:
        case Rollup::count_adults: count += adult && truthy(v) ? 1 : 0; break;
        case Rollup::any_child:
        case Rollup::count_children: count += child && truthy(v) ? 1 : 0; break;
        case Rollup::any_member:
        case Rollup::count_members: count += truthy(v) ? 1 : 0; break;
        case Rollup::max: agg = std::isnan(v) ? agg : std::isnan(agg) ? v : std::max(agg, v); break;
        case Rollup::min: agg = std::isnan(v) ? agg : std::isnan(agg) ? v : std::min(agg, v); break;
        case Rollup::sum: agg = std::isnan(v) ? agg : (std::isnan(agg) ? 0.0 : agg) + v; break;
      }
    }
    switch (plan.rollup) {
      case Rollup::any_adult:
      case Rollup::any_child:
      case Rollup::any_member: return count > 0 ? 1.0 : 0.0;
      case Rollup::count_adults:
      case Rollup::count_children:
      case Rollup::count_members: return count;
      default: return agg;
    }
  }

  static double count_true(const detail::Plan& plan, const float* row) {
    double n = 0;
    for (std::size_t i : plan.inputs) n += truthy(static_cast<double>(row[i])) ? 1 : 0;
    return n;
  }

  static bool rule(const detail::Rule& r, const float* row) {
    auto holds = [&](const detail::Condition& c) {
      const double v = static_cast<double>(row[c.feature]);
      return !std::isnan(v) && compare(c.op, v, c.value);
    };
    if (r.all) {
      for (const auto& c : r.conditions)
        if (!holds(c)) return false;
      for (const auto& sub : r.rules)
        if (!rule(sub, row)) return false;
      return true;
    }
    for (const auto& c : r.conditions)
      if (holds(c)) return true;
    for (const auto& sub : r.rules)
      if (rule(sub, row)) return true;
    return false;
  }

  const FeatureSet& set_;
  const EventStore& st_;
  std::vector<Bound> bound_;
  StreamEvents empty_stream_;  // one person, no events: for empty_
  std::vector<double> empty_;  // per event feature: its value on no events (NaN for others)
  std::vector<IdentityColumn> dob_, sex_;
  std::vector<std::string> sex_names_;
  std::vector<char> needed_for_family_;
  std::vector<std::size_t> closure_;  // the features family roll-ups read, in order
  std::vector<int> slot_;             // per feature: its place in closure_, or -1
  bool uses_ages_ = false;
  std::vector<std::size_t> person_features_, family_features_;
  std::vector<std::size_t> member_offsets_;
  std::vector<std::int32_t> members_;
};

// Family features of every household known on `d`: values[h * nfam + k] for the k-th family
// feature; known[h] says whether the household has a member known then.
struct FamilyTable {
  std::vector<float> values;
  std::vector<char> known;
};

inline FamilyTable family_table(const FeatureSet& set, const Evaluator& ev, const Day& day, int n_threads) {
  FamilyTable t;
  const std::size_t h = ev.n_households();
  const std::size_t nfam = ev.family_features().size();
  t.values.assign(h * nfam, kNaNf);
  t.known.assign(h, 0);
  const std::size_t threads = static_cast<std::size_t>(resolve_threads(n_threads));
  const std::size_t chunk = std::max<std::size_t>(256, h / (threads * 8) + 1);
  parallel_for_chunks(h, n_threads, chunk, [&](std::size_t b, std::size_t e) {
    std::vector<float> row(set.size(), kNaNf);
    FamilyScratch scratch;
    for (std::size_t i = b; i < e; ++i) {
      if (!ev.family_row(i, day, row.data(), scratch)) continue;
      t.known[i] = 1;
      for (std::size_t k = 0; k < nfam; ++k) t.values[i * nfam + k] = row[ev.family_features()[k]];
    }
  });
  return t;
}

}  // namespace earlyhelp::features::kernel
