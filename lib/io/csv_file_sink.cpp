// SPDX-License-Identifier: Apache-2.0
// CsvFileSink: validate_stream's rows into a clean CSV and a rejects CSV (see
// include/earlyhelp/io/ingest.hpp).

#include "earlyhelp/io/ingest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace earlyhelp::io {

CsvFileSink::CsvFileSink(const std::string& clean_path, const std::string& rejects_path)
    : clean_(CsvWriter::open(clean_path)), rejects_(CsvWriter::open(rejects_path)) {}

void CsvFileSink::keep_digests() {
  clean_.keep_digest();
  rejects_.keep_digest();
}

void CsvFileSink::begin(const schema::Stream& stream, const std::vector<std::string>& input_header) {
  // Values that never need quotes: what the checks write for numbers, booleans, dates and the
  // named formats (digits, letters, '-', ':', '.', one inner space), and categories spelt so.
  plain_.clear();
  for (const auto& f : stream.fields) {
    bool plain = f.type != schema::FieldType::text && f.type != schema::FieldType::identifier;
    if (f.type == schema::FieldType::category)
      plain = std::none_of(f.categories.begin(), f.categories.end(), [](const std::string& c) { return csv_needs_quotes(c); });
    if (!f.format.empty() && f.format != "uprn") plain = true;
    plain_.push_back(plain);
  }
  for (const auto& f : stream.fields) clean_.field(f.name);
  clean_.end_row();
  for (std::string_view c : {"row", "line", "field", "reason"}) rejects_.field(c);
  for (const auto& c : input_header) rejects_.field(c);
  rejects_.field("extra_fields");
  rejects_.end_row();
  width_ = input_header.size();
}

void CsvFileSink::clean(std::size_t, const std::vector<FieldValue>& values) {
  for (const auto& v : values) clean_.field(v.text);
  clean_.end_row();
}

void CsvFileSink::format_clean(const std::vector<FieldValue>& values, std::string& out) const {
  for (std::size_t j = 0; j < values.size(); ++j) {
    if (j > 0) out.push_back(',');
    if (j < plain_.size() && plain_[j]) {
      out.append(values[j].text);
    } else {
      append_csv_field(out, values[j].text);
    }
  }
  out.push_back('\n');
}

void CsvFileSink::clean_formatted(std::size_t, std::string_view bytes) { clean_.rows(bytes); }

void CsvFileSink::reject(const Reject& r, const std::vector<std::string_view>& raw) {
  number_.clear();
  fmt::format_to(std::back_inserter(number_), "{}", r.row);
  rejects_.field(number_);
  number_.clear();
  fmt::format_to(std::back_inserter(number_), "{}", r.line);
  rejects_.field(number_);
  rejects_.field(r.field);
  rejects_.field(r.reason);
  for (std::size_t i = 0; i < width_; ++i) rejects_.field(i < raw.size() ? raw[i] : std::string_view());
  // Fields beyond the header's width travel as one CSV-encoded line, so the file stays
  // rectangular and nothing is lost.
  extra_.clear();
  if (raw.size() > width_) {
    CsvWriter enc;
    for (std::size_t i = width_; i < raw.size(); ++i) enc.field(raw[i]);
    extra_ = enc.str();
  }
  rejects_.field(extra_);
  rejects_.end_row();
}

void CsvFileSink::end() {
  clean_.close();
  rejects_.close();
}

}  // namespace earlyhelp::io
