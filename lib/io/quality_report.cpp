// SPDX-License-Identifier: Apache-2.0
// Rendering of the data-quality report as a text table and as JSON.

#include "earlyhelp/io/ingest.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace earlyhelp::io {

double FieldQuality::completeness() const noexcept {
  const std::size_t n = n_present + n_missing;
  return n == 0 ? 1.0 : static_cast<double>(n_present) / static_cast<double>(n);
}

double FieldQuality::validity() const noexcept {
  return n_present == 0 ? 1.0 : static_cast<double>(n_valid) / static_cast<double>(n_present);
}

namespace {
std::string percent(double x) { return fmt::format("{:.1f}%", 100.0 * x); }
std::string date_or_dash(const std::optional<Date>& d) { return d ? format_date(*d) : std::string("-"); }
}  // namespace

std::string DataQualityReport::to_text() const {
  std::string out;
  auto it = std::back_inserter(out);
  fmt::format_to(it, "Data quality: stream {} from {}\n", stream, source);
  fmt::format_to(it, "rows read {}, clean {}, rejected {} ({} malformed){}\n", rows_read, rows_clean,
                 rows_rejected, rows_malformed,
                 rows_read == rows_clean + rows_rejected ? ", reconciled" : ", NOT RECONCILED");
  for (const auto& [kind, n] : rejects_by_kind) fmt::format_to(it, "  rejected {:<18} {}\n", to_string(kind), n);
  if (!unexpected_columns.empty()) {
    fmt::format_to(it, "unexpected columns (dropped):");
    for (const auto& c : unexpected_columns) fmt::format_to(it, " {}", c);
    out += '\n';
  }
  if (!absent_columns.empty()) {
    fmt::format_to(it, "optional columns absent (left empty):");
    for (const auto& c : absent_columns) fmt::format_to(it, " {}", c);
    out += '\n';
  }
  std::size_t w = 5;
  for (const auto& f : fields) w = std::max(w, f.name.size());
  fmt::format_to(it, "{:<{}} {:<11} {:>9} {:>9} {:>8} {:>9} {:>9} {:>10} {:>10}\n", "field", w, "type",
                 "complete", "valid", "invalid", "distinct", "dupes", "min", "max");
  for (const auto& f : fields) {
    std::string type(schema::to_string(f.type));
    if (!f.format.empty()) type = f.format;
    const bool dated = f.type == schema::FieldType::date || f.type == schema::FieldType::datetime;
    const std::string lo = !dated ? "" : f.range_withheld ? "withheld" : date_or_dash(f.min_date);
    const std::string hi = !dated ? "" : f.range_withheld ? "withheld" : date_or_dash(f.max_date);
    fmt::format_to(it, "{:<{}} {:<11} {:>9} {:>9} {:>8} {:>9} {:>9} {:>10} {:>10}{}\n", f.name, w, type,
                   percent(f.completeness()), percent(f.validity()), f.n_invalid,
                   f.key ? fmt::format("{}", f.n_distinct) : "", f.key ? fmt::format("{}", f.n_duplicates) : "",
                   lo, hi, f.in_input ? "" : "  (absent)");
  }
  return out;
}

std::string DataQualityReport::to_json(int indent) const {
  nlohmann::ordered_json j;
  j["stream"] = stream;
  j["source"] = source;
  j["rows_read"] = rows_read;
  j["rows_clean"] = rows_clean;
  j["rows_rejected"] = rows_rejected;
  j["rows_malformed"] = rows_malformed;
  j["reconciled"] = rows_read == rows_clean + rows_rejected;
  j["rejects_by_kind"] = nlohmann::ordered_json::object();
  for (const auto& [kind, n] : rejects_by_kind) j["rejects_by_kind"][std::string(to_string(kind))] = n;
  j["unexpected_columns"] = unexpected_columns;
  j["absent_columns"] = absent_columns;
  auto& arr = j["fields"] = nlohmann::ordered_json::array();
  for (const auto& f : fields) {
    nlohmann::ordered_json o;
    o["name"] = f.name;
    o["type"] = std::string(schema::to_string(f.type));
    o["format"] = f.format;
    o["in_input"] = f.in_input;
    o["missing"] = f.n_missing;
    o["present"] = f.n_present;
    o["valid"] = f.n_valid;
    o["invalid"] = f.n_invalid;
    o["invalid_format"] = f.n_invalid_format;
    o["completeness"] = f.completeness();
    o["validity"] = f.validity();
    if (f.key) {
      o["distinct"] = f.n_distinct;
      o["duplicates"] = f.n_duplicates;
    }
    if (f.type == schema::FieldType::date || f.type == schema::FieldType::datetime) {
      o["range_withheld"] = f.range_withheld;
      o["min_date"] = f.min_date ? nlohmann::ordered_json(format_date(*f.min_date)) : nlohmann::ordered_json();
      o["max_date"] = f.max_date ? nlohmann::ordered_json(format_date(*f.max_date)) : nlohmann::ordered_json();
    }
    arr.push_back(std::move(o));
  }
  return j.dump(indent);
}

}  // namespace earlyhelp::io
