// SPDX-License-Identifier: Apache-2.0
// Feature tables to CSV, block by block, numbers formatted in parallel.

#include "earlyhelp/features/table.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/parallel.hpp"
#include "earlyhelp/io/csv.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <system_error>

namespace earlyhelp::features {
namespace {

// Rows per formatting chunk: large enough that threads do not contend, small enough to balance.
constexpr std::size_t kChunkRows = 2048;

// Formats rows [begin, end) of a block: id, as_of, then the values (shortest float32 form; whole
// numbers, most values, take the integer path).
template <class Id>
std::string format_rows(std::size_t begin, std::size_t end, const Id& id_of, const std::string& as_of,
                        const RowMatrixXf& values) {
  fmt::memory_buffer buf;
  io::CsvWriter id;
  for (std::size_t r = begin; r < end; ++r) {
    const std::string& x = id_of(r);
    if (io::csv_needs_quotes(x)) {
      id.field(x);
      buf.append(id.str());
      id = io::CsvWriter();
    } else {
      buf.append(x);
    }
    buf.push_back(',');
    buf.append(as_of);
    for (Index c = 0; c < values.cols(); ++c) {
      buf.push_back(',');
      const float v = values(static_cast<Index>(r), c);
      if (std::isnan(v)) continue;
      if (std::floor(v) == v && std::fabs(v) < 1e9f) {
        const fmt::format_int n(static_cast<long long>(v));
        buf.append(n.data(), n.data() + n.size());
      } else {
        fmt::format_to(std::back_inserter(buf), "{}", v);
      }
    }
    buf.push_back('\n');
  }
  return fmt::to_string(buf);
}

}  // namespace

FeatureCsvWriter::FeatureCsvWriter(const std::string& path, Level level, const std::vector<std::string>& columns,
                                   int n_threads)
    : path_(path), part_(path + ".part"), level_(level), n_columns_(columns.size()), n_threads_(n_threads) {
  file_ = std::fopen(part_.c_str(), "wb");
  if (file_ == nullptr) throw IOError(fmt::format("{}: cannot open for writing: {}", path_, std::strerror(errno)));
  io::CsvWriter header;
  header.field(level == Level::person ? "person_id" : "family_id");
  header.field("as_of");
  for (const auto& c : columns) header.field(c);
  header.end_row();
  put(header.str());
}

FeatureCsvWriter::~FeatureCsvWriter() {
  if (file_ != nullptr) {
    std::fclose(file_);
    std::error_code ec;
    std::filesystem::remove(part_, ec);
  }
}

void FeatureCsvWriter::put(const std::string& text) {
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size())
    throw IOError(fmt::format("{}: write failed: {}", path_, std::strerror(errno)));
}

void FeatureCsvWriter::write(const FeatureBlock& block, const EventStore& store) {
  EH_CHECK(file_ != nullptr, "FeatureCsvWriter::write: {} is closed", path_);
  EH_CHECK(static_cast<std::size_t>(block.values.cols()) == n_columns_ &&
               static_cast<std::size_t>(block.values.rows()) == block.entities.size(),
           "FeatureCsvWriter::write: block of {} x {} for {} rows and {} columns", block.values.rows(),
           block.values.cols(), block.entities.size(), n_columns_);
  const auto& ids = level_ == Level::person ? store.person_ids : store.household_ids;
  const std::string as_of = format_date(block.as_of);
  const auto id_of = [&](std::size_t r) -> const std::string& { return ids[static_cast<std::size_t>(block.entities[r])]; };
  const std::size_t n = block.entities.size();
  std::vector<std::string> chunks((n + kChunkRows - 1) / kChunkRows);
  parallel_for(chunks.size(), n_threads_, [&](std::size_t k) {
    chunks[k] = format_rows(k * kChunkRows, std::min(n, (k + 1) * kChunkRows), id_of, as_of, block.values);
  });
  for (const auto& c : chunks) put(c);
  rows_ += n;
}

void FeatureCsvWriter::close() {
  if (file_ == nullptr) return;
  const bool failed = std::fflush(file_) != 0 || std::ferror(file_) != 0;
  const int rc = std::fclose(file_);
  file_ = nullptr;
  std::error_code ec;
  if (failed || rc != 0) {
    std::filesystem::remove(part_, ec);
    throw IOError(fmt::format("{}: write failed", path_));
  }
  std::filesystem::rename(part_, path_, ec);
  if (ec) {
    std::filesystem::remove(part_, ec);
    throw IOError(fmt::format("{}: cannot write: {}", path_, ec.message()));
  }
}

}  // namespace earlyhelp::features
