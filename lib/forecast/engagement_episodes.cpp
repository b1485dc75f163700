// SPDX-License-Identifier: Apache-2.0
// Reading early-help episodes (forecast/engagement.hpp): validated by the built-in schema, with
// rejects named by file, row and field.

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/forecast/engagement.hpp"
#include "earlyhelp/io/csv.hpp"
#include "earlyhelp/io/ingest.hpp"
#include "earlyhelp/schema/schema.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace earlyhelp::forecast {
namespace {

class EngagementSink final : public io::IngestSink {
 public:
  EngagementSink(EngagementEpisodes& out, std::string file) : out_(out), file_(std::move(file)) {}
  void begin(const schema::Stream& stream, const std::vector<std::string>&) override {
    auto idx = [&](std::string_view name) {
      for (std::size_t i = 0; i < stream.fields.size(); ++i)
        if (stream.fields[i].name == name) return i;
      throw SchemaError(fmt::format("engagement: the schema's early_help_episodes stream lacks the field '{}'", name));
    };
    i_id_ = idx("record_id"), i_family_ = idx("family_ref"), i_start_ = idx("start_date"), i_end_ = idx("end_date");
    i_closure_ = idx("closure_reason"), i_children_ = idx("children");
    for (std::size_t k = 0; k < headline_problems.size(); ++k) i_problem_[k] = idx(fmt::format("problem_{}", headline_problems[k]));
  }
  void clean(std::size_t row, const std::vector<io::FieldValue>& v) override {
    EngagementEpisode e;
    e.record_id = std::string(v[i_id_].text);
    e.family_ref = std::string(v[i_family_].text);
    e.start = Date{static_cast<std::int32_t>(v[i_start_].integer)};
    if (!v[i_end_].missing) e.end = Date{static_cast<std::int32_t>(v[i_end_].integer)};
    if (!v[i_closure_].missing) e.closure = static_cast<Closure>(v[i_closure_].integer + 1);
    e.children = static_cast<int>(v[i_children_].integer);
    for (std::size_t k = 0; k < headline_problems.size(); ++k) e.problems[k] = !v[i_problem_[k]].missing && v[i_problem_[k]].integer != 0;
    if (e.end && *e.end < e.start) return reject(row, "end_date", "episode ends before it starts");
    if (e.end.has_value() != (e.closure != Closure::open))
      return reject(row, "closure_reason", e.end ? "a closed episode (end_date given) needs a closure_reason"
                                                 : "an open episode (no end_date) has a closure_reason");
    out_.episodes.push_back(std::move(e));
  }
  void reject(const io::Reject& r, const std::vector<std::string_view>&) override {
    out_.rejects.push_back({file_, r.row, r.field, r.reason});
  }

 private:
  void reject(std::size_t row, std::string field, std::string reason) {
    out_.rejects.push_back({file_, row, std::move(field), std::move(reason)});
  }
  EngagementEpisodes& out_;
  std::string file_;
  std::size_t i_id_ = 0, i_family_ = 0, i_start_ = 0, i_end_ = 0, i_closure_ = 0, i_children_ = 0;
  std::array<std::size_t, 6> i_problem_{};
};

}  // namespace

std::string_view to_string(Closure c) noexcept {
  constexpr std::string_view names[] = {"open", "outcomes_achieved", "stepped_up", "disengaged", "moved_away"};
  return names[static_cast<std::size_t>(c)];
}

namespace {

EngagementEpisodes read_episodes(io::CsvReader& reader, const std::string& name) {
  const schema::Schema schema = schema::Schema::builtin();
  schema::Stream stream = schema.stream("early_help_episodes");
  // Identity columns are not read: the model needs none, and a gap in them must not drop an episode.
  std::set<std::string> read = {"record_id", "family_ref", "start_date", "end_date", "closure_reason", "children"};
  for (auto p : headline_problems) read.insert(fmt::format("problem_{}", p));
  stream.fields.erase(std::remove_if(stream.fields.begin(), stream.fields.end(), [&](const schema::Field& f) { return read.count(f.name) == 0; }),
                      stream.fields.end());
  EngagementEpisodes out;
  EngagementSink sink(out, name);
  out.rows_read = io::validate_stream(stream, reader, sink).rows_read;
  auto& eps = out.episodes;
  std::sort(eps.begin(), eps.end(), [](const EngagementEpisode& a, const EngagementEpisode& b) {
    return a.family_ref != b.family_ref ? a.family_ref < b.family_ref : a.start < b.start;
  });
  for (std::size_t i = 0; i < eps.size(); ++i) {
    eps[i].earlier_episodes = i > 0 && eps[i - 1].family_ref == eps[i].family_ref ? eps[i - 1].earlier_episodes + 1 : 0;
    if (eps[i].end && (!out.first_end || *eps[i].end < *out.first_end)) out.first_end = eps[i].end;
  }
  return out;
}

}  // namespace

EngagementEpisodes read_engagement_episodes(const std::string& path) {
  auto reader = io::CsvReader::open(path);
  return read_episodes(reader, path);
}

EngagementEpisodes parse_engagement_episodes(std::string csv_text, const std::string& name) {
  auto reader = io::CsvReader::from_string(std::move(csv_text), {}, name);
  return read_episodes(reader, name);
}

EngagementEpisode parse_engagement_episode(const std::vector<std::string>& columns,
                                           const std::vector<std::string>& values, int earlier_episodes,
                                           const std::string& what) {
  EH_CHECK(columns.size() == values.size(), "parse_engagement_episode: {} has {} column names and {} values", what,
           columns.size(), values.size());
  EH_CHECK(earlier_episodes >= 0, "parse_engagement_episode: earlier_episodes is {}, expected 0 or more",
           earlier_episodes);
  // The row goes through the reader of a file, so it is checked as a file's rows are.
  io::CsvWriter w;
  w.write_row(columns);
  w.write_row(values);
  EngagementEpisodes one = parse_engagement_episodes(w.str(), what);
  if (!one.rejects.empty())
    throw InvalidArgument(fmt::format("parse_engagement_episode: {} is rejected: field '{}': {}", what,
                                      one.rejects.front().field, one.rejects.front().reason));
  EH_CHECK(one.episodes.size() == 1, "parse_engagement_episode: {} holds no episode", what);
  EngagementEpisode e = std::move(one.episodes.front());
  e.earlier_episodes = earlier_episodes;
  return e;
}

}  // namespace earlyhelp::forecast
