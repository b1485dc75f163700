// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/columns.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/linkage/records.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>

namespace earlyhelp::linkage {

namespace {


bool is_canonical(std::string_view c) noexcept { return is_canonical_column(c); }

// Lower-case letters and digits only: "Date of Birth", "date_of_birth" and "DateOfBirth" are one.
std::string squash(std::string_view s) {
  std::string out;
  for (const char c : s) {
    if (c >= 'A' && c <= 'Z') out.push_back(static_cast<char>(c - 'A' + 'a'));
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out.push_back(c);
  }
  return out;
}

struct Alias {
  std::string_view squashed, canonical;
};

// Spellings of the canonical columns met in council and public extracts (FEBRL among them),
// squashed. Only ever suggested, never applied: a guess that maps the wrong column would link
// on it silently.
constexpr std::array<Alias, 47> kAliases{{
    {"recordid", "record_id"},     {"recid", "record_id"},        {"id", "record_id"},
    {"system", "source"},          {"dataset", "source"},         {"firstname", "first_name"},
    {"forename", "first_name"},    {"forenames", "first_name"},   {"givenname", "first_name"},
    {"givennames", "first_name"},  {"christianname", "first_name"}, {"fname", "first_name"},
    {"middlename", "middle_name"}, {"middlenames", "middle_name"}, {"secondname", "middle_name"},
    {"lastname", "surname"},       {"familyname", "surname"},     {"lname", "surname"},
    {"dateofbirth", "dob"},        {"birthdate", "dob"},          {"dateborn", "dob"},
    {"birthday", "dob"},           {"gender", "sex"},             {"addressline", "address"},
    {"addressline1", "address"},   {"address1", "address"},       {"street", "address"},
    {"streetaddress", "address"},  {"addr", "address"},           {"city", "town"},
    {"posttown", "town"},          {"locality", "town"},          {"suburb", "town"},
    {"postalcode", "postcode"},    {"zip", "postcode"},           {"zipcode", "postcode"},
    {"propertyuprn", "uprn"},      {"nhs", "nhs_number"},         {"nhsno", "nhs_number"},
    {"nhsnum", "nhs_number"},      {"nhsnumber", "nhs_number"},   {"eventdate", "record_date"},
    {"recorddate", "record_date"}, {"snapshotdate", "record_date"}, {"subjectminage", "subject_min_age"},
    {"middleinitial", "middle_name"}, {"surnames", "surname"},
}};

std::string map_text(const ColumnMap& entries, MapSyntax syntax) {
  std::string out;
  for (const auto& [theirs, ours] : entries) {
    if (syntax == MapSyntax::cli) out += fmt::format("{}{}={}", out.empty() ? "--map " : ",", theirs, ours);
    else out += fmt::format("{}\"{}\": \"{}\"", out.empty() ? "column_map={" : ", ", theirs, ours);
  }
  if (syntax == MapSyntax::python && !out.empty()) out += "}";
  return out;
}

std::string_view map_name(MapSyntax syntax) { return syntax == MapSyntax::cli ? "--map" : "column_map"; }

}  // namespace

std::string_view trim_cell(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool is_canonical_column(std::string_view column) noexcept {
  return canonical_column_index(column) < canonical_columns().size();
}

std::string_view suggested_column(std::string_view column) {
  const std::string s = squash(column);
  if (s.empty()) return {};
  for (const std::string& c : canonical_columns())
    if (squash(c) == s) return c;
  for (const Alias& a : kAliases)
    if (a.squashed == s) return a.canonical;
  return {};
}

ColumnMap parse_column_map(std::string_view text) {
  ColumnMap out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t comma = text.find(',', pos);
    if (comma == std::string_view::npos) comma = text.size();
    const std::string_view entry = trim_cell(text.substr(pos, comma - pos));
    pos = comma + 1;
    if (entry.empty()) continue;
    const std::size_t eq = entry.find('=');
    EH_CHECK(eq != std::string_view::npos && eq > 0 && eq + 1 < entry.size(),
             "--map: entry '{}' is not their_column=our_column", entry);
    const std::string ours(trim_cell(entry.substr(eq + 1)));
    EH_CHECK(is_canonical(ours), "--map: '{}' is not a canonical column (expected one of {})", ours,
             fmt::join(canonical_columns(), ", "));
    out.emplace_back(std::string(trim_cell(entry.substr(0, eq))), ours);
  }
  return out;
}

ColumnPlan plan_columns(const std::vector<std::string>& columns, const ColumnMap& map, std::string_view where,
                        MapSyntax syntax) {
  ColumnPlan plan;
  plan.target.assign(columns.size(), kUnusedColumn);
  for (const auto& mapped : map) {
    const auto& theirs = mapped.first;  // named copies: clang 14 cannot capture a structured binding
    const auto& ours = mapped.second;
    EH_CHECK(is_canonical(ours), "{}: {} maps '{}' onto '{}', which is not a canonical column (expected one of {})",
             where, map_name(syntax), theirs, ours, fmt::join(canonical_columns(), ", "));
    EH_CHECK(std::any_of(columns.begin(), columns.end(), [&](const std::string& c) { return trim_cell(c) == theirs; }),
             "{}: {} names column '{}', which the input does not have", where, map_name(syntax), theirs);
  }
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const std::string_view name = trim_cell(columns[c]);
    for (std::size_t k = 0; k < c; ++k)
      EH_CHECK(trim_cell(columns[k]) != name, "{}: column '{}' appears more than once (columns {} and {})", where, name,
               k + 1, c + 1);
    for (const auto& [theirs, ours] : map)
      if (theirs == name) plan.target[c] = canonical_column_index(ours);
    if (plan.target[c] == kUnusedColumn && is_canonical(name)) plan.target[c] = canonical_column_index(name);
    if (plan.target[c] == kUnusedColumn) plan.unused.emplace_back(name);
  }
  auto feeds = [&](std::string_view canonical) {
    const std::size_t k = canonical_column_index(canonical);
    return std::find(plan.target.begin(), plan.target.end(), k) != plan.target.end();
  };
  // Maps that would use unused columns, for columns whose canonical target nothing feeds yet.
  ColumnMap suggest;
  for (const std::string& u : plan.unused) {
    const std::string_view s = suggested_column(u);
    if (!s.empty() && !feeds(s) &&
        std::none_of(suggest.begin(), suggest.end(), [&](const auto& e) { return e.second == s; }))
      suggest.emplace_back(u, std::string(s));
  }
  auto suggestion_for = [&](std::initializer_list<std::string_view> wanted) {
    ColumnMap some;
    for (const auto& e : suggest)
      if (std::find(wanted.begin(), wanted.end(), e.second) != wanted.end()) some.push_back(e);
    return some.empty() ? std::string() : fmt::format(" (perhaps {})", map_text(some, syntax));
  };
  EH_CHECK(feeds("record_id"), "{}: no record_id column: map one with {}{}", where,
           syntax == MapSyntax::cli ? "--map their_id=record_id" : "column_map={\"their_id\": \"record_id\"}",
           suggestion_for({"record_id"}));
  EH_CHECK(feeds("first_name") || feeds("middle_name") || feeds("surname") || feeds("dob"),
           "{}: no name or date of birth column recognised (expected first_name, middle_name, surname or dob; "
           "columns of other names are ignored unless mapped with {}){}",
           where, map_name(syntax), suggestion_for({"first_name", "middle_name", "surname", "dob"}));
  if (!plan.unused.empty()) {
    std::string w = fmt::format("{}: {} column{} not used for linking ({}): only the canonical columns ({}) are read; "
                                "map others with {}",
                                where, plan.unused.size(), plan.unused.size() == 1 ? " is" : "s are",
                                fmt::join(plan.unused, ", "), fmt::join(canonical_columns(), ", "), map_name(syntax));
    if (!suggest.empty()) w += fmt::format(", e.g. {}", map_text(suggest, syntax));
    plan.warnings.push_back(std::move(w));
  }
  return plan;
}

}  // namespace earlyhelp::linkage
