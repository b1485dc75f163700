// SPDX-License-Identifier: Apache-2.0
// Child population series: ONS-like projections, the council's person register, or notional
// (see forecast/population.hpp).

#include "earlyhelp/forecast/population.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/io/csv.hpp"
#include "earlyhelp/io/ingest.hpp"
#include "earlyhelp/schema/schema.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>

namespace earlyhelp::forecast {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return out;
}

std::string_view trim_quotes_and_blanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '"')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '"')) s.remove_suffix(1);
  return s;
}

std::optional<double> number(std::string_view s) {
  s = trim_quotes_and_blanks(s);
  std::string t;
  for (char c : s)
    if (c != ',') t.push_back(c);  // "1,234" as ONS tables sometimes print
  if (t.empty()) return std::nullopt;
  double v = 0;
  const auto r = std::from_chars(t.data(), t.data() + t.size(), v);
  if (r.ec != std::errc() || r.ptr != t.data() + t.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// 0 F, 1 M, -1 persons/all (skipped), -2 unknown.
int sex_code(std::string_view s) {
  const std::string v = lower(trim_quotes_and_blanks(s));
  if (v == "f" || v == "female" || v == "females" || v == "2") return 0;
  if (v == "m" || v == "male" || v == "males" || v == "1") return 1;
  if (v == "persons" || v == "all" || v == "p" || v == "0") return -1;
  return -2;
}

// Mid-year (30 June) of `year` as a month number: June.
int mid_year_month(int year) { return year * 12 + 5; }

}  // namespace

PopulationSeries PopulationSeries::notional(double per_cell) {
  PopulationSeries p;
  AgeSexCounts c{};
  for (auto& a : c) a = {per_cell, per_cell, 0.0};
  p.points_[0] = c;
  p.source_ = "notional flat population (no projection or person register)";
  p.notional_ = true;
  return p;
}

PopulationSeries PopulationSeries::from_years(std::map<int, AgeSexCounts> years, std::string source) {
  EH_CHECK(!years.empty(), "forecast: population {} has no years", source);
  PopulationSeries p;
  for (auto& [y, c] : years) p.points_[mid_year_month(y)] = c;
  p.source_ = std::move(source);
  p.first_ = p.points_.begin()->first;
  p.last_ = p.points_.rbegin()->first;
  return p;
}

PopulationSeries PopulationSeries::from_months(std::map<int, AgeSexCounts> months, std::string source) {
  EH_CHECK(!months.empty(), "forecast: population {} has no months", source);
  PopulationSeries p;
  p.points_ = std::move(months);
  p.source_ = std::move(source);
  p.first_ = p.points_.begin()->first;
  p.last_ = p.points_.rbegin()->first;
  return p;
}

AgeSexCounts PopulationSeries::at_month(int month) const {
  if (points_.size() == 1) return points_.begin()->second;
  auto hi = points_.lower_bound(month);
  if (hi == points_.begin()) return hi->second;
  if (hi == points_.end()) return points_.rbegin()->second;
  if (hi->first == month) return hi->second;
  auto lo = std::prev(hi);
  const double w = static_cast<double>(month - lo->first) / static_cast<double>(hi->first - lo->first);
  AgeSexCounts out{};
  for (int a = 0; a < n_ages; ++a)
    for (int s = 0; s < n_sexes; ++s) {
      const auto ai = static_cast<std::size_t>(a), si = static_cast<std::size_t>(s);
      out[ai][si] = (1 - w) * lo->second[ai][si] + w * hi->second[ai][si];
    }
  return out;
}

double PopulationSeries::total_at_month(int month) const {
  double t = 0;
  for (const auto& a : at_month(month))
    for (double v : a) t += v;
  return t;
}

PopulationSeries read_population_csv(const std::string& path) {
  auto r = io::CsvReader::open(path);
  const auto& h = r.header();
  auto col = [&](std::string_view name) {
    for (std::size_t i = 0; i < h.size(); ++i)
      if (lower(trim_quotes_and_blanks(h[i])) == name) return static_cast<int>(i);
    return -1;
  };
  std::map<int, AgeSexCounts> years;
  io::CsvRecord rec;
  auto bad = [&](const io::CsvRecord& rr, std::size_t field, std::string_view what) {
    throw InvalidArgument(fmt::format("forecast: {}: {}", r.location(rr, field), what));
  };
  const int c_year = col("year"), c_age = col("age"), c_sex = col("sex"), c_pop = col("population");
  const int c_age_group = col("age_group"), c_sex_w = col("sex");
  std::string layout;
  if (c_year >= 0 && c_age >= 0 && c_sex >= 0 && c_pop >= 0) {
    layout = "long";
    while (r.next(rec)) {
      if (rec.size() != h.size()) bad(rec, 0, fmt::format("expected {} fields, got {}", h.size(), rec.size()));
      const auto year = number(rec[static_cast<std::size_t>(c_year)]);
      const auto age = number(rec[static_cast<std::size_t>(c_age)]);
      const auto pop = number(rec[static_cast<std::size_t>(c_pop)]);
      const int sex = sex_code(rec[static_cast<std::size_t>(c_sex)]);
      if (!year || *year != std::floor(*year) || *year < 1900 || *year > 2200) bad(rec, static_cast<std::size_t>(c_year), "expected a year");
      if (!age || *age != std::floor(*age) || *age < 0) bad(rec, static_cast<std::size_t>(c_age), "expected a whole age in years");
      if (!pop || *pop < 0) bad(rec, static_cast<std::size_t>(c_pop), "expected a non-negative number of people");
      if (sex == -2) bad(rec, static_cast<std::size_t>(c_sex), "expected a sex: F, M (female, male, 2, 1) or persons");
      if (sex < 0 || *age > 17) continue;
      years[static_cast<int>(*year)][static_cast<std::size_t>(*age)][static_cast<std::size_t>(sex)] += *pop;
    }
  } else if (c_age_group >= 0 && c_sex_w >= 0) {
    layout = "ONS wide";
    std::vector<std::pair<int, std::size_t>> year_cols;
    for (std::size_t i = 0; i < h.size(); ++i) {
      const auto y = number(h[i]);
      if (y && *y == std::floor(*y) && *y >= 1900 && *y <= 2200) year_cols.push_back({static_cast<int>(*y), i});
    }
    if (year_cols.empty())
      throw SchemaError(fmt::format("forecast: {} has AGE_GROUP and SEX but no year columns (e.g. 2024, 2025)", path));
    while (r.next(rec)) {
      if (rec.size() != h.size()) bad(rec, 0, fmt::format("expected {} fields, got {}", h.size(), rec.size()));
      const std::string ag = lower(trim_quotes_and_blanks(rec[static_cast<std::size_t>(c_age_group)]));
      const auto age = number(ag);
      if (!age) {
        if (ag.rfind("all", 0) == 0 || ag.find("over") != std::string::npos || ag.find('+') != std::string::npos) continue;
        bad(rec, static_cast<std::size_t>(c_age_group), "expected an age in years, '90 and over' or 'All ages'");
      }
      const int sex = sex_code(rec[static_cast<std::size_t>(c_sex_w)]);
      if (sex == -2) bad(rec, static_cast<std::size_t>(c_sex_w), "expected a sex: female, male (F, M, 2, 1) or persons");
      if (sex < 0 || *age > 17 || *age < 0) continue;
      for (auto [y, i] : year_cols) {
        const auto v = number(rec[i]);
        if (!v || *v < 0) bad(rec, i, "expected a non-negative number of people");
        years[y][static_cast<std::size_t>(*age)][static_cast<std::size_t>(sex)] += *v;
      }
    }
  } else {
    const std::string hint = r.format_hint();
    throw SchemaError(fmt::format("forecast: {} is not a population projection: expected columns year, age, sex, population "
                                  "or ONS's AGE_GROUP, SEX and one column per year{}",
                                  path, hint.empty() ? "" : "; " + hint));
  }
  EH_CHECK(!years.empty(), "forecast: {} holds no children (ages 0-17)", path);
  std::string source = fmt::format("{} ({}, {}-{})", path, layout, years.begin()->first, years.rbegin()->first);
  return PopulationSeries::from_years(std::move(years), std::move(source));
}

PopulationSeries population_from_register(const std::string& dir, int first_month, int last_month) {
  const std::string path = (std::filesystem::path(dir) / "person_register.csv").string();
  if (!std::filesystem::exists(path)) throw IOError(fmt::format("forecast: {} not found", path));
  struct Spell {
    Date dob, start, end;
    int sex;
  };
  std::vector<Spell> spells;
  class Sink final : public io::IngestSink {
   public:
    explicit Sink(std::vector<Spell>& s) : s_(s) {}
    void begin(const schema::Stream& st, const std::vector<std::string>&) override {
      for (std::size_t i = 0; i < st.fields.size(); ++i) {
        const auto& n = st.fields[i].name;
        if (n == "dob") dob_ = i;
        if (n == "sex") sex_ = i;
        if (n == "start_date") start_ = i;
        if (n == "end_date") end_ = i;
      }
    }
    void clean(std::size_t, const std::vector<io::FieldValue>& v) override {
      if (v[dob_].missing) return;  // no age: cannot be placed in an age band
      Spell s;
      s.dob = Date{static_cast<std::int32_t>(v[dob_].integer)};
      s.start = v[start_].missing ? Date{-2147483647} : Date{static_cast<std::int32_t>(v[start_].integer)};
      s.end = v[end_].missing ? Date{2147483647} : Date{static_cast<std::int32_t>(v[end_].integer)};
      s.sex = v[sex_].missing ? 2 : v[sex_].text == "F" ? 0 : v[sex_].text == "M" ? 1 : 2;
      s_.push_back(s);
    }
    void reject(const io::Reject&, const std::vector<std::string_view>&) override { ++rejected; }
    std::size_t rejected = 0;

   private:
    std::vector<Spell>& s_;
    std::size_t dob_ = 0, sex_ = 0, start_ = 0, end_ = 0;
  };
  Sink sink(spells);
  // Only the four fields counted are read and checked: a person with a malformed postcode or
  // NHS number is still a resident child (and checking every field of a county's register was
  // most of a forecast's time).
  schema::Stream stream = schema::Schema::builtin().stream("person_register");
  stream.fields.erase(std::remove_if(stream.fields.begin(), stream.fields.end(),
                                     [](const schema::Field& f) {
                                       return f.name != "dob" && f.name != "sex" && f.name != "start_date" && f.name != "end_date";
                                     }),
                      stream.fields.end());
  auto reader = io::CsvReader::open(path);
  io::validate_stream(stream, reader, sink);
  const int n_months = std::max(0, last_month - first_month + 1);
  std::vector<Date> ends(static_cast<std::size_t>(n_months));
  for (int m = first_month; m <= last_month; ++m) ends[static_cast<std::size_t>(m - first_month)] = month_end(m);
  std::vector<AgeSexCounts> counts(static_cast<std::size_t>(n_months), AgeSexCounts{});
  for (const Spell& s : spells) {
    if (n_months == 0) break;
    // Adults throughout the window, or born after it, are skipped before the monthly loop.
    if (age_years(s.dob, ends.front()) >= n_ages || age_years(s.dob, ends.back()) < 0) continue;
    const int m0 = std::max(first_month, s.start.days == -2147483647 ? first_month : month_number(s.start));
    const int m1 = std::min(last_month, s.end.days == 2147483647 ? last_month : month_number(s.end));
    for (int m = m0; m <= m1; ++m) {
      const Date me = ends[static_cast<std::size_t>(m - first_month)];
      if (me < s.start || me > s.end) continue;
      const int age = age_years(s.dob, me);
      if (age < 0 || age >= n_ages) continue;
      counts[static_cast<std::size_t>(m - first_month)][static_cast<std::size_t>(age)][static_cast<std::size_t>(s.sex)] += 1;
    }
  }
  std::map<int, AgeSexCounts> months;
  for (int m = first_month; m <= last_month; ++m) months[m] = counts[static_cast<std::size_t>(m - first_month)];
  return PopulationSeries::from_months(
      std::move(months), sink.rejected == 0 ? fmt::format("{} (children resident at each month end)", path)
                                            : fmt::format("{} (children resident at each month end; {} rows not counted: unreadable dob, sex, "
                                                          "start_date or end_date)",
                                                          path, sink.rejected));
}

}  // namespace earlyhelp::forecast
