// SPDX-License-Identifier: Apache-2.0
#pragma once
// Test helpers for features: a folder of extracts written from a few rows per stream (every
// column of the built-in schema filled with a valid default unless given), a persons file and a
// households file.

#include "earlyhelp/schema/schema.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <unistd.h>
#include <utility>
#include <vector>

namespace eh_test {

/// One row: its person ("" leaves the record out of the persons file) and the values given
/// (others take defaults).
struct Row {
  std::string person;
  std::map<std::string, std::string> values;
};

/// A temporary council folder, removed at the end of the test.
class CouncilDir {
 public:
  explicit CouncilDir(const std::string& tag) {
    dir_ = std::filesystem::temp_directory_path() /
           fmt::format("eh_features_{}_{}_{}", tag, ::getpid(),
                       std::chrono::steady_clock::now().time_since_epoch().count());
    std::filesystem::create_directories(dir_ / "data");
  }
  ~CouncilDir() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  CouncilDir(const CouncilDir&) = delete;
  CouncilDir& operator=(const CouncilDir&) = delete;

  std::string data() const { return (dir_ / "data").string(); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  /// The header and rows of a stream's extract: every field of the schema, the values given or
  /// valid defaults; record ids "<stream prefix><n>" unless given.
  std::pair<std::vector<std::string>, std::vector<std::vector<std::string>>> table(const std::string& name,
                                                                                   const std::vector<Row>& rows) {
    const auto sch = earlyhelp::schema::Schema::builtin();
    const auto& s = sch.stream(name);
    std::pair<std::vector<std::string>, std::vector<std::vector<std::string>>> out;
    out.first = s.field_names();
    for (const Row& r : rows) {
      auto& values = out.second.emplace_back();
      for (const auto& f : s.fields) {
        auto it = r.values.find(f.name);
        std::string v = it != r.values.end() ? it->second : default_value(f);
        if (f.name == s.record_id_field && it == r.values.end()) v = fmt::format("{}{}", name.substr(0, 3), ++counter_);
        values.push_back(v);
      }
    }
    return out;
  }

  /// Writes <stream>.csv with the rows (see table()) and remembers their persons.
  void stream(const std::string& name, const std::vector<Row>& rows) {
    const auto sch = earlyhelp::schema::Schema::builtin();
    const auto& s = sch.stream(name);
    const std::size_t id_col = static_cast<std::size_t>(s.find(s.record_id_field) - s.fields.data());
    const auto [header, values] = table(name, rows);
    std::ofstream out(dir_ / "data" / (name + ".csv"));
    for (std::size_t k = 0; k < header.size(); ++k) out << (k ? "," : "") << header[k];
    out << "\n";
    for (std::size_t i = 0; i < values.size(); ++i) {
      for (std::size_t k = 0; k < values[i].size(); ++k) out << (k ? "," : "") << quote(values[i][k]);
      out << "\n";
      if (!rows[i].person.empty()) persons_.emplace_back(name + "," + values[i][id_col], rows[i].person);
    }
  }

  /// Writes persons.csv (source, record_id, person_id) for every row written so far.
  std::string persons() const {
    std::ofstream out(dir_ / "persons.csv");
    out << "source,record_id,person_id\n";
    for (const auto& [key, person] : persons_) out << key << "," << person << "\n";
    return path("persons.csv");
  }

  /// Writes households.csv from (person, household, role) triples.
  std::string households(const std::vector<std::vector<std::string>>& rows) const {
    std::ofstream out(dir_ / "households.csv");
    out << "person_id,household_id,role\n";
    for (const auto& r : rows) out << r[0] << "," << r[1] << "," << r[2] << "\n";
    return path("households.csv");
  }

 private:
  static std::string quote(const std::string& v) {
    if (v.find_first_of(",\"\n") == std::string::npos) return v;
    std::string q = "\"";
    for (char c : v) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  }
  // A valid value for a field that must have one; empty for nullable fields.
  static std::string default_value(const earlyhelp::schema::Field& f) {
    using earlyhelp::schema::FieldType;
    if (f.format == "uk_postcode" && !f.nullable) return "SS16 7AB";
    if (f.format == "upn" && !f.nullable) return "J881219212267";
    if (f.nullable) return "";
    switch (f.type) {
      case FieldType::identifier: return "X1";
      case FieldType::text: return "Xx";
      case FieldType::date:
      case FieldType::datetime: return "2000-01-01";
      case FieldType::category: return f.categories.front();
      case FieldType::integer: return f.min ? fmt::format("{}", static_cast<long long>(*f.min)) : "0";
      case FieldType::floating: return "0";
      case FieldType::boolean: return "false";
    }
    return "";
  }
  std::filesystem::path dir_;
  std::vector<std::pair<std::string, std::string>> persons_;
  int counter_ = 0;
};

}  // namespace eh_test
