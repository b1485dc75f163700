// SPDX-License-Identifier: Apache-2.0
// Reading the care history (extracts or SSDA903), cutting it at an as-of date, and counting the
// children in each state at month ends (see forecast/history.hpp).

#include "earlyhelp/forecast/history.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/fnv1a.hpp"
#include "earlyhelp/core/split.hpp"
#include "earlyhelp/io/csv.hpp"
#include "earlyhelp/io/ingest.hpp"
#include "earlyhelp/schema/schema.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <unordered_map>

namespace earlyhelp::forecast {
namespace {

std::string lower_alpha(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c >= 'A' && c <= 'Z') out.push_back(static_cast<char>(c + 32));
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out.push_back(c);
  }
  return out;
}

void finish(History& h) {
  Date first_end{open_end.days}, first_start{open_end.days};
  for (const Episode& e : h.episodes) {
    if (e.end != open_end) first_end = std::min(first_end, e.end);
    first_start = std::min(first_start, e.start);
  }
  h.data_start = first_end != open_end ? first_end : first_start;
  std::sort(h.episodes.begin(), h.episodes.end(), [](const Episode& a, const Episode& b) {
    return a.child != b.child ? a.child < b.child : a.start < b.start;
  });
}

// Collects clean rows of social_care_episodes as episodes; rejects with their reasons.
class EpisodeSink final : public io::IngestSink {
 public:
  EpisodeSink(History& h, std::string file) : h_(h), file_(std::move(file)) {}
  void begin(const schema::Stream& stream, const std::vector<std::string>&) override {
    auto idx = [&](std::string_view name) {
      for (std::size_t i = 0; i < stream.fields.size(); ++i)
        if (stream.fields[i].name == name) return static_cast<int>(i);
      return -1;
    };
    i_first_ = idx("first_name"), i_surname_ = idx("surname"), i_dob_ = idx("dob"), i_sex_ = idx("sex");
    i_upn_ = idx("upn"), i_type_ = idx("episode_type"), i_start_ = idx("start_date"), i_end_ = idx("end_date");
    i_place_ = idx("placement_type");
    for (int i : {i_first_, i_surname_, i_dob_, i_sex_, i_upn_, i_type_, i_start_, i_end_, i_place_})
      EH_CHECK(i >= 0, "forecast: the schema's social_care_episodes stream lacks a field the forecast reads");
    place_categories_ = stream.fields[static_cast<std::size_t>(i_place_)].categories;
  }
  void clean(std::size_t row, const std::vector<io::FieldValue>& v) override {
    auto at = [&](int i) -> const io::FieldValue& { return v[static_cast<std::size_t>(i)]; };
    Episode e;
    e.dob = Date{static_cast<std::int32_t>(at(i_dob_).integer)};
    e.start = Date{static_cast<std::int32_t>(at(i_start_).integer)};
    e.end = at(i_end_).missing ? open_end : Date{static_cast<std::int32_t>(at(i_end_).integer)};
    const std::string_view sex = at(i_sex_).missing ? std::string_view("U") : at(i_sex_).text;
    e.sex = sex == "F" ? 0 : sex == "M" ? 1 : 2;
    const std::string_view type = at(i_type_).text;
    e.kind = type == "cin" ? EpisodeKind::cin : type == "cpp" ? EpisodeKind::cpp : EpisodeKind::lac;
    if (e.kind == EpisodeKind::lac) {
      const auto p = at(i_place_).missing ? std::nullopt : placement_index(at(i_place_).text);
      e.placement = p ? *p : n_placements - 1;
      if (!p) ++h_.unknown_placements;
    }
    if (e.end != open_end && e.end < e.start) {
      h_.rejects.push_back({file_, row, 0, "end_date", "episode ends before it starts"});
      return;
    }
    if (e.dob > e.start) {
      h_.rejects.push_back({file_, row, 0, "dob", "date of birth after the episode's start"});
      return;
    }
    const std::string key = !at(i_upn_).missing ? "upn:" + std::string(at(i_upn_).text)
                                                : "name:" + lower_alpha(at(i_first_).text) + "|" + lower_alpha(at(i_surname_).text) +
                                                      "|" + std::to_string(e.dob.days);
    e.child = fnv1a64(key);  // a stable key for a child, the same on every platform
    h_.episodes.push_back(e);
  }
  void reject(const io::Reject& r, const std::vector<std::string_view>&) override {
    h_.rejects.push_back({file_, r.row, r.line, r.field, r.reason});
  }

 private:
  History& h_;
  std::string file_;
  int i_first_ = -1, i_surname_ = -1, i_dob_ = -1, i_sex_ = -1, i_upn_ = -1, i_type_ = -1, i_start_ = -1, i_end_ = -1, i_place_ = -1;
  std::vector<std::string> place_categories_;
};

// Column positions of a CSV header by name (case-insensitive), or a SchemaError naming the file.
std::vector<int> columns(const io::CsvReader& r, std::initializer_list<std::string_view> required,
                         std::initializer_list<std::string_view> optional = {}) {
  std::vector<int> out;
  auto find = [&](std::string_view name) {
    const auto& h = r.header();
    for (std::size_t i = 0; i < h.size(); ++i)
      if (lower_alpha(h[i]) == lower_alpha(name)) return static_cast<int>(i);
    return -1;
  };
  for (auto name : required) {
    const int i = find(name);
    if (i < 0) {
      const std::string hint = r.format_hint();
      throw SchemaError(fmt::format("forecast: {} has no column '{}' (an SSDA903 file needs {}){}", r.name(), name,
                                    fmt::join(required, ", "), hint.empty() ? "" : "; " + hint));
    }
    out.push_back(i);
  }
  for (auto name : optional) out.push_back(find(name));
  return out;
}

}  // namespace

int Episode::state() const noexcept {
  switch (kind) {
    case EpisodeKind::cin: return state_cin;
    case EpisodeKind::cpp: return state_cpp;
    default: return state_lac0 + std::clamp(placement, 0, n_placements - 1);
  }
}

History read_extract_history(const std::string& dir) {
  const std::string path = (std::filesystem::path(dir) / "social_care_episodes.csv").string();
  if (!std::filesystem::exists(path))
    throw IOError(fmt::format("forecast: {} not found (the extracts folder needs social_care_episodes.csv)", path));
  const schema::Schema schema = schema::Schema::builtin();
  // Only the fields the forecast reads are checked: a malformed postcode or an unknown category
  // of need must not take a child's episode out of the counts.
  schema::Stream stream = schema.stream("social_care_episodes");
  const std::set<std::string> read = {"first_name", "surname", "dob", "sex", "upn", "episode_type", "start_date", "end_date", "placement_type"};
  stream.fields.erase(std::remove_if(stream.fields.begin(), stream.fields.end(), [&](const schema::Field& f) { return read.count(f.name) == 0; }),
                      stream.fields.end());
  History h;
  h.source = "extracts";
  auto reader = io::CsvReader::open(path);
  EpisodeSink sink(h, path);
  const io::IngestResult r = io::validate_stream(stream, reader, sink);
  h.rows_read = r.rows_read;
  finish(h);
  return h;
}

History read_ssda903_history(const std::vector<std::string>& header_files, const std::vector<std::string>& episode_files) {
  EH_CHECK(!header_files.empty() && !episode_files.empty(), "forecast: SSDA903 input needs header and episodes files");
  History h;
  h.source = "ssda903";
  struct Child {
    int sex = 2;
    Date dob;
  };
  std::unordered_map<std::string, Child> children;
  io::CsvRecord rec;
  for (const auto& path : header_files) {
    auto r = io::CsvReader::open(path);
    const auto c = columns(r, {"CHILD", "SEX", "DOB"});
    while (r.next(rec)) {
      ++h.rows_read;
      if (rec.size() != r.header().size()) {
        h.rejects.push_back({path, rec.row, rec.line, "", "wrong number of fields"});
        continue;
      }
      const auto id = trim_blanks(rec[static_cast<std::size_t>(c[0])]);
      const auto sex = trim_blanks(rec[static_cast<std::size_t>(c[1])]);
      const auto dob = parse_date(trim_blanks(rec[static_cast<std::size_t>(c[2])]));
      if (id.empty()) {
        h.rejects.push_back({path, rec.row, rec.line, "CHILD", "missing child identifier"});
        continue;
      }
      if (!dob) {
        h.rejects.push_back({path, rec.row, rec.line, "DOB", "not a date (expected dd/mm/yyyy or yyyy-mm-dd)"});
        continue;
      }
      if (sex != "1" && sex != "2") {
        h.rejects.push_back({path, rec.row, rec.line, "SEX", "expected 1 (male) or 2 (female)"});
        continue;
      }
      children[std::string(id)] = Child{sex == "2" ? 0 : 1, *dob};
    }
  }
  std::set<std::pair<std::string, std::int32_t>> seen;
  for (const auto& path : episode_files) {
    auto r = io::CsvReader::open(path);
    const auto c = columns(r, {"CHILD", "DECOM", "DEC", "PLACE"});
    while (r.next(rec)) {
      ++h.rows_read;
      if (rec.size() != r.header().size()) {
        h.rejects.push_back({path, rec.row, rec.line, "", "wrong number of fields"});
        continue;
      }
      const std::string id(trim_blanks(rec[static_cast<std::size_t>(c[0])]));
      const auto decom = parse_date(trim_blanks(rec[static_cast<std::size_t>(c[1])]));
      const auto dec_text = trim_blanks(rec[static_cast<std::size_t>(c[2])]);
      const auto dec = parse_date(dec_text);
      const auto it = children.find(id);
      if (it == children.end()) {
        h.rejects.push_back({path, rec.row, rec.line, "CHILD", "child not in the header file"});
        continue;
      }
      if (!decom) {
        h.rejects.push_back({path, rec.row, rec.line, "DECOM", "not a date (expected dd/mm/yyyy or yyyy-mm-dd)"});
        continue;
      }
      if (!dec_text.empty() && !dec) {
        h.rejects.push_back({path, rec.row, rec.line, "DEC", "not a date (expected dd/mm/yyyy or yyyy-mm-dd)"});
        continue;
      }
      Episode e;
      e.child = fnv1a64("ssda903:" + id);
      e.sex = it->second.sex;
      e.dob = it->second.dob;
      e.kind = EpisodeKind::lac;
      e.start = *decom;
      // DEC is the day the episode ceased, the next episode's DECOM: the last day in it is the day before.
      e.end = dec ? Date{std::max(dec->days - 1, decom->days)} : open_end;
      const auto place = placement_from_ssda903(trim_blanks(rec[static_cast<std::size_t>(c[3])]));
      e.placement = place ? *place : n_placements - 1;
      if (dec && *dec < *decom) {
        h.rejects.push_back({path, rec.row, rec.line, "DEC", "episode ceases before it commences"});
        continue;
      }
      if (e.dob > e.start) {
        h.rejects.push_back({path, rec.row, rec.line, "DECOM", "episode commences before the child's date of birth"});
        continue;
      }
      if (!seen.insert({id, decom->days}).second) continue;  // the same episode in another year's return
      h.episodes.push_back(e);
    }
  }
  finish(h);
  return h;
}

History history_as_of(const History& history, Date as_of) {
  History h;
  h.rejects = history.rejects;
  h.rows_read = history.rows_read;
  h.source = history.source;
  h.data_start = history.data_start;
  for (Episode e : history.episodes) {
    if (e.start >= as_of) continue;
    if (e.end != open_end && e.end >= as_of) e.end = open_end;
    h.episodes.push_back(e);
  }
  // data_start is recomputed from what was known then, so the cut is a true point in time.
  Date first_end{open_end.days}, first_start{open_end.days};
  for (const Episode& e : h.episodes) {
    if (e.end != open_end) first_end = std::min(first_end, e.end);
    first_start = std::min(first_start, e.start);
  }
  h.data_start = first_end != open_end ? first_end : first_start;
  return h;
}

ChildStates child_states(const History& history, int first, int last) {
  const int n = std::max(0, last - first + 1);
  ChildStates out;
  // Grouped by child: the readers sort, a history built by hand may not be.
  std::vector<Episode> sorted;
  const auto by_child = [](const Episode& a, const Episode& b) { return a.child != b.child ? a.child < b.child : a.start < b.start; };
  if (!std::is_sorted(history.episodes.begin(), history.episodes.end(), by_child)) {
    sorted = history.episodes;
    std::sort(sorted.begin(), sorted.end(), by_child);
  }
  const auto& ep = sorted.empty() ? history.episodes : sorted;
  std::size_t i = 0;
  while (i < ep.size()) {
    std::size_t j = i;
    while (j < ep.size() && ep[j].child == ep[i].child) ++j;
    std::vector<int> st(static_cast<std::size_t>(n), state_not_known);
    // Periods of care: looked-after episodes chained when one starts at most a day after the
    // previous ended (episodes are sorted by start within a child).
    std::vector<std::pair<Date, Date>> periods;
    for (std::size_t k = i; k < j; ++k) {
      const Episode& e = ep[k];
      if (e.kind != EpisodeKind::lac) continue;
      if (!periods.empty() && (periods.back().second == open_end || e.start.days <= periods.back().second.days + 1)) {
        if (periods.back().second != open_end && (e.end == open_end || e.end > periods.back().second)) periods.back().second = e.end;
      } else {
        periods.push_back({e.start, e.end});
      }
    }
    for (std::size_t k = i; k < j; ++k) {
      const Episode& e = ep[k];
      const int m0 = std::max(first, month_number(e.start));
      const int m1 = e.end == open_end ? last : std::min(last, month_number(e.end));
      for (int m = m0; m <= m1; ++m) {
        const Date me = month_end(m);
        if (e.start > me || (e.end != open_end && e.end < me) || age_years(e.dob, me) >= 18) continue;
        auto& b = st[static_cast<std::size_t>(m - first)];
        b = std::max(b, e.state());  // lac > cpp > cin: the state numbers follow that order
      }
    }
    std::vector<int> months(static_cast<std::size_t>(n), -1);
    for (int k = 0; k < n; ++k) {
      if (!is_lac(st[static_cast<std::size_t>(k)])) continue;
      const Date me = month_end(first + k);
      for (const auto& [from, to] : periods)
        if (from <= me && (to == open_end || to >= me)) months[static_cast<std::size_t>(k)] = first + k - month_number(from);
    }
    out.sex.push_back(ep[i].sex);
    out.dob.push_back(ep[i].dob);
    out.states.push_back(std::move(st));
    out.lac_months.push_back(std::move(months));
    i = j;
  }
  return out;
}

std::vector<std::array<double, n_states>> observed_counts(const History& history, int first_month, int last_month) {
  const int n = std::max(0, last_month - first_month + 1);
  std::vector<std::array<double, n_states>> out(static_cast<std::size_t>(n), std::array<double, n_states>{});
  const ChildStates cs = child_states(history, first_month, last_month);
  for (const auto& st : cs.states)
    for (int m = 0; m < n; ++m) {
      const int s = st[static_cast<std::size_t>(m)];
      if (s != state_not_known) out[static_cast<std::size_t>(m)][static_cast<std::size_t>(s)] += 1;
    }
  return out;
}

}  // namespace earlyhelp::forecast
