// SPDX-License-Identifier: Apache-2.0
// The records evidencing each family's criteria (lib/profiling/tf_evidence.hpp), and
// assess_families from a folder of extracts.
#include "profiling/tf_evidence.hpp"

#include "earlyhelp/core/types.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/parallel.hpp"
#include "earlyhelp/io/csv.hpp"
#include "earlyhelp/io/ingest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <unordered_map>

namespace earlyhelp::profiling {

namespace detail {

namespace {

using features::detail::Filter;
using features::detail::Measure;
using schema::FieldType;

using ::earlyhelp::detail::kNaN;

// One clean, linked row of a wanted person.
struct EvidenceRow {
  std::int32_t person = 0;
  std::int32_t date = features::undated;
  std::vector<double> values;  // the needed fields, coded as the event store codes them
  std::string record_id;
};

// Days since the epoch of a date or datetime as ingest gives it (datetimes floored to the day).
std::int32_t day_of(FieldType type, std::int64_t v) noexcept {
  if (type != FieldType::datetime) return static_cast<std::int32_t>(v);
  std::int64_t d = v / 86400;
  if (v % 86400 < 0) --d;
  return static_cast<std::int32_t>(d);
}

// Collects the rows of wanted persons of one stream.
class EvidenceSink : public io::IngestSink {
 public:
  EvidenceSink(const schema::Stream& stream, const std::vector<char>& wanted, const std::vector<std::size_t>& fields)
      : stream_(stream), wanted_(wanted), fields_(fields), codes_(fields.size()) {
    id_ = static_cast<std::size_t>(stream.find(stream.record_id_field) - stream.fields.data());
    if (const auto* f = stream.find(stream.event_date_field)) date_ = static_cast<std::size_t>(f - stream.fields.data());
  }
  void clean(std::size_t, const std::vector<io::FieldValue>& v) override {
    const std::int32_t p = (*person_of_)(v[id_].text);
    if (p < 0 || !wanted_[static_cast<std::size_t>(p)]) return;
    EvidenceRow row;
    row.person = p;
    if (date_ < v.size() && !v[date_].missing) row.date = day_of(stream_.fields[date_].type, v[date_].integer);
    row.record_id = fmt::format("{}:{}", stream_.name, v[id_].text);
    for (std::size_t k = 0; k < fields_.size(); ++k) {
      const io::FieldValue& x = v[fields_[k]];
      const FieldType type = stream_.fields[fields_[k]].type;
      double d = kNaN;
      if (!x.missing) {
        if (type == FieldType::floating) d = x.number;
        else if (type == FieldType::date || type == FieldType::datetime) d = day_of(type, x.integer);
        else if (type == FieldType::identifier || type == FieldType::text)
          d = codes_[k].emplace(std::string(x.text), static_cast<double>(codes_[k].size())).first->second;
        else d = static_cast<double>(x.integer);
      }
      row.values.push_back(d);
    }
    rows.push_back(std::move(row));
  }
  void reject(const io::Reject&, const std::vector<std::string_view>&) override {}
  /// Whose rows come next (person number of a record id, -1: not linked).
  void set_person_of(const PersonOf& person_of) noexcept { person_of_ = &person_of; }

  std::vector<EvidenceRow> rows;

 private:
  const schema::Stream& stream_;
  const PersonOf* person_of_ = nullptr;
  const std::vector<char>& wanted_;
  const std::vector<std::size_t>& fields_;
  std::vector<std::unordered_map<std::string, double>> codes_;
  std::size_t id_ = 0;
  std::size_t date_ = std::numeric_limits<std::size_t>::max();
};

// Selects, from one person's rows of a stream (sorted by date, undated first), those the feature's
// measure reads on the date and that pass its filters: the evidence of a true feature.
class Selector {
 public:
  Selector(const features::FeatureDef& f, const std::vector<std::size_t>& fields) : f_(f), m_(f.plan.measure) {
    auto col = [&](std::size_t field) {
      return static_cast<std::size_t>(std::find(fields.begin(), fields.end(), field) - fields.begin());
    };
    for (const Filter& w : m_.where) where_.push_back(col(w.field));
    if (m_.latest_per) key_ = col(*m_.latest_per);
    if (m_.end_field) end_ = col(*m_.end_field);
    if (f.kind == features::Kind::aggregate) value_ = col(m_.field);
  }

  void select(const EvidenceRow* rows, std::size_t n, std::int32_t as_of, std::vector<std::string>& out) const {
    // [lo, hi): the rows before the date within the window (all dated ones without a window).
    std::size_t hi = 0;
    while (hi < n && rows[hi].date < as_of) ++hi;
    std::size_t lo = 0;
    if (m_.window_days > 0) {
      while (lo < hi && rows[lo].date < as_of - m_.window_days) ++lo;
    } else if (!m_.undated) {
      while (lo < hi && rows[lo].date == features::undated) ++lo;
    }
    if (f_.kind == features::Kind::state) {
      if (end_) {  // episodes open on the date
        for (std::size_t i = lo; i < hi; ++i) {
          const double end = rows[i].values[*end_];
          if ((std::isnan(end) || end >= as_of) && passes(rows[i])) out.push_back(rows[i].record_id);
        }
        return;
      }
      if (hi == lo) return;  // a snapshot: the rows of the latest date
      std::size_t first = hi - 1;
      while (first > lo && rows[first - 1].date == rows[hi - 1].date) --first;
      for (std::size_t i = first; i < hi; ++i)
        if (passes(rows[i])) out.push_back(rows[i].record_id);
      return;
    }
    // Newest first, as the measure reads them: filters, one row per snapshot key, skipped and
    // last-N rows.
    int skip = m_.offset_events, taken = 0;
    std::vector<double> keys;
    for (std::size_t i = hi; i-- > lo;) {
      if (!passes(rows[i])) continue;
      if (key_) {
        const double k = rows[i].values[*key_];
        if (std::isnan(k) || std::find(keys.begin(), keys.end(), k) != keys.end()) continue;
        keys.push_back(k);
      }
      if (skip > 0) {
        --skip;
        continue;
      }
      // An amount of nothing (an account owing 0) is read by the measure but shows nothing.
      const bool nothing = value_ && (std::isnan(rows[i].values[*value_]) || rows[i].values[*value_] == 0.0);
      if (!nothing) out.push_back(rows[i].record_id);
      if (m_.events > 0 && ++taken == m_.events) break;
    }
  }

 private:
  // The row passes every filter (a missing value passes only under the "zero" policy, as 0).
  bool passes(const EvidenceRow& r) const {
    for (std::size_t k = 0; k < m_.where.size(); ++k) {
      const Filter& w = m_.where[k];
      double v = r.values[where_[k]];
      if (std::isnan(v)) {
        if (w.missing != schema::Missing::zero || w.test == Filter::Test::categories) return false;
        v = 0.0;
      }
      bool ok = false;
      if (w.test == Filter::Test::categories) ok = static_cast<std::size_t>(v) < w.allowed.size() && w.allowed[static_cast<std::size_t>(v)];
      else if (w.test == Filter::Test::boolean) ok = (v != 0.0) == w.flag;
      else ok = compare(w.op, v, w.value);
      if (!ok) return false;
    }
    return true;
  }
  const features::FeatureDef& f_;
  const Measure& m_;
  std::vector<std::size_t> where_;
  std::optional<std::size_t> key_, end_, value_;
};

}  // namespace

void add_evidence(FamiliesResult& result, const std::vector<EvidenceRequest>& requests, const Framework& framework,
                  std::size_t n_persons, Date as_of, const RowSource& source, int n_threads) {
  const features::FeatureSet& set = framework.feature_set();
  const schema::Schema& sch = set.schema();
  std::map<std::size_t, std::vector<const EvidenceRequest*>> by_stream;
  for (const auto& r : requests) by_stream[set.features()[r.feature].plan.measure.stream].push_back(&r);
  const std::vector<std::pair<std::size_t, std::vector<const EvidenceRequest*>>> streams(by_stream.begin(),
                                                                                         by_stream.end());
  // Each stream's rows are read on their own (in parallel); a stream's selections are kept per
  // request and added to the families after, in stream order.
  std::vector<std::vector<std::vector<std::string>>> found(streams.size());
  parallel_for_chunks(streams.size(), n_threads, 1, [&](std::size_t b, std::size_t e) {
    for (std::size_t k = b; k < e; ++k) {
      const std::size_t s = streams[k].first;
      const auto& reqs = streams[k].second;
      const schema::Stream& stream = sch.streams[s];
      std::vector<char> wanted(n_persons, 0);
      std::vector<std::size_t> fields;
      for (const EvidenceRequest* r : reqs) {
        wanted[static_cast<std::size_t>(r->person)] = 1;
        const Measure& m = set.features()[r->feature].plan.measure;
        for (const Filter& w : m.where) fields.push_back(w.field);
        if (m.latest_per) fields.push_back(*m.latest_per);
        if (m.end_field) fields.push_back(*m.end_field);
        if (set.features()[r->feature].kind == features::Kind::aggregate) fields.push_back(m.field);
      }
      std::sort(fields.begin(), fields.end());
      fields.erase(std::unique(fields.begin(), fields.end()), fields.end());
      EvidenceSink sink(stream, wanted, fields);
      source(s, [&](io::CsvReader& reader, const PersonOf& person_of) {
        sink.set_person_of(person_of);
        if (!reader.empty_input()) io::validate_stream(stream, reader, sink);
      });
      auto& rows = sink.rows;
      std::stable_sort(rows.begin(), rows.end(), [](const EvidenceRow& x, const EvidenceRow& y) {
        return x.person != y.person ? x.person < y.person : x.date < y.date;
      });
      found[k].resize(reqs.size());
      for (std::size_t q = 0; q < reqs.size(); ++q) {
        const EvidenceRequest* r = reqs[q];
        const auto lo = std::lower_bound(rows.begin(), rows.end(), r->person,
                                         [](const EvidenceRow& x, std::int32_t p) { return x.person < p; });
        auto hi = lo;
        while (hi != rows.end() && hi->person == r->person) ++hi;
        const EvidenceRow* first = lo == hi ? nullptr : &*lo;
        Selector(set.features()[r->feature], fields).select(first, static_cast<std::size_t>(hi - lo), as_of.days,
                                                            found[k][q]);
      }
    }
  });
  for (std::size_t k = 0; k < streams.size(); ++k)
    for (std::size_t q = 0; q < found[k].size(); ++q) {
      const EvidenceRequest* r = streams[k].second[q];
      auto& ev = result.families[r->family].evidence[r->criterion];
      ev.insert(ev.end(), found[k][q].begin(), found[k][q].end());
    }
  for (auto& f : result.families)
    for (auto& ev : f.evidence) {
      std::sort(ev.begin(), ev.end());
      ev.erase(std::unique(ev.begin(), ev.end()), ev.end());
    }
}

void add_evidence(FamiliesResult& result, const std::vector<EvidenceRequest>& requests, const Framework& framework,
                  const std::string& data_dir, const features::Linkage& links, Date as_of, const io::CsvOptions& csv,
                  int n_threads) {
  const schema::Schema& sch = framework.feature_set().schema();
  add_evidence(result, requests, framework, links.person_ids().size(), as_of, [&](std::size_t s, const ReadRows& read) {
    const std::filesystem::path file = std::filesystem::path(data_dir) / (sch.streams[s].name + ".csv");
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) return;  // not given: its features were NaN
    io::CsvReader reader = io::CsvReader::open(file.string(), csv);
    const PersonOf person_of = [&](std::string_view record_id) { return links.person_of(s, record_id); };
    read(reader, person_of);
  }, n_threads);
}

FamiliesResult assess_with_evidence(const Framework& framework, const features::EventStore& store,
                                    const std::string& data_dir, const features::Linkage& links, Date as_of,
                                    const io::CsvOptions& csv, const FamiliesOptions& options) {
  std::vector<EvidenceRequest> requests;
  FamiliesResult result = assess(framework, store, as_of, options.n_threads, &requests, options.progress);
  // The evidence streams are read on worker threads, which never report: one step.
  options.progress("evidence", 0, 1);
  add_evidence(result, requests, framework, data_dir, links, as_of, csv, options.n_threads);
  options.progress("evidence", 1, 1);
  return result;
}

}  // namespace detail

FamiliesResult assess_families(const Framework& framework, const std::string& data_dir, const features::Linkage& links,
                               Date as_of, const FamiliesOptions& options) {
  EH_CHECK(links.has_households(), "assess_families: the linkage has no households (earlyhelp link --households FILE "
                                   "--as-of DATE writes them)");
  features::LoadOptions lo;
  lo.n_threads = options.n_threads;
  lo.rejects_dir = options.rejects_dir;
  lo.progress = options.progress;
  features::LoadReport report;
  const features::EventStore store = features::load_events(framework.feature_set(), data_dir, links, lo, &report);
  FamiliesResult result = detail::assess_with_evidence(framework, store, data_dir, links, as_of, lo.csv, options);
  result.load = std::move(report);
  return result;
}

FamiliesResult assess_family(const Framework& framework, const features::CaseRecords& family, Date as_of,
                             const std::string& family_id) {
  const features::EventStore store = family.family_store(framework.feature_set(), family_id);
  std::vector<detail::EvidenceRequest> requests;
  FamiliesResult result = detail::assess(framework, store, as_of, 1, &requests);
  const schema::Schema& sch = framework.feature_set().schema();
  detail::add_evidence(result, requests, framework, store.n_persons(), as_of,
                       [&](std::size_t s, const detail::ReadRows& read) {
                         family.for_each_rows([&](std::size_t member, const std::string& stream, const std::string& csv) {
                           if (stream != sch.streams[s].name) return;
                           io::CsvReader reader = io::CsvReader::from_string(csv, {}, fmt::format("rows of {}", stream));
                           const auto person = static_cast<std::int32_t>(member);
                           const detail::PersonOf person_of = [person](std::string_view) { return person; };
                           read(reader, person_of);
                         });
                       });
  return result;
}

}  // namespace earlyhelp::profiling
