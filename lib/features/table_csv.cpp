// SPDX-License-Identifier: Apache-2.0
// Feature tables to CSV, block by block: numbers formatted in parallel, each block written to the
// file in the background while the next one is computed.

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
// numbers, most values, take the integer path, and 0 to 9, most of those, one character).
template <class Id>
void format_rows(std::size_t begin, std::size_t end, const Id& id_of, const std::string& as_of,
                 const RowMatrixXf& values, fmt::memory_buffer& buf) {
  // About two characters a value (most are 0 to 9 or empty) and the id: rarely grown.
  buf.reserve((end - begin) * (2 * static_cast<std::size_t>(values.cols()) + 48));
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
      if (v >= 0.0f && v < 10.0f && std::floor(v) == v) {
        buf.push_back(static_cast<char>('0' + static_cast<int>(v)));
      } else if (std::floor(v) == v && std::fabs(v) < 1e9f) {
        const fmt::format_int n(static_cast<long long>(v));
        buf.append(n.data(), n.data() + n.size());
      } else {
        fmt::format_to(std::back_inserter(buf), "{}", v);
      }
    }
    buf.push_back('\n');
  }
}

}  // namespace

FeatureCsvWriter::FeatureCsvWriter(const std::string& path, Level level, const std::vector<std::string>& columns,
                                   int n_threads)
    : path_(path), file_(io::OutputFile::open(path)), level_(level), n_columns_(columns.size()), n_threads_(n_threads) {
  io::CsvWriter header;
  header.field(level == Level::person ? "person_id" : "family_id");
  header.field("as_of");
  for (const auto& c : columns) header.field(c);
  header.end_row();
  put(header.str().data(), header.str().size());
}

FeatureCsvWriter::~FeatureCsvWriter() {
  if (pending_.valid()) pending_.wait();
  // file_, if still open, removes its temporary file (io::OutputFile without commit()).
}

void FeatureCsvWriter::put(const char* data, std::size_t size) { file_->write(std::string_view(data, size)); }

void FeatureCsvWriter::write(const FeatureBlock& block, const EventStore& store) {
  EH_CHECK(file_.has_value(), "FeatureCsvWriter::write: {} is closed", path_);
  EH_CHECK(static_cast<std::size_t>(block.values.cols()) == n_columns_ &&
               static_cast<std::size_t>(block.values.rows()) == block.entities.size(),
           "FeatureCsvWriter::write: block of {} x {} for {} rows and {} columns", block.values.rows(),
           block.values.cols(), block.entities.size(), n_columns_);
  const auto& ids = level_ == Level::person ? store.person_ids : store.household_ids;
  const std::string as_of = format_date(block.as_of);
  const auto id_of = [&](std::size_t r) -> const std::string& { return ids[static_cast<std::size_t>(block.entities[r])]; };
  const std::size_t n = block.entities.size();
  std::vector<fmt::memory_buffer> chunks((n + kChunkRows - 1) / kChunkRows);
  parallel_for(chunks.size(), n_threads_, [&](std::size_t k) {
    format_rows(k * kChunkRows, std::min(n, (k + 1) * kChunkRows), id_of, as_of, block.values, chunks[k]);
  });
  // One block in flight: the previous one must be in the file (or its failure reported) first.
  wait_pending();
  pending_ = std::async(std::launch::async, [this, text = std::move(chunks)] {
    for (const auto& c : text) put(c.data(), c.size());
  });
  rows_ += n;
}

void FeatureCsvWriter::wait_pending() {
  if (pending_.valid()) pending_.get();  // rethrows the IOError of a failed write
}

void FeatureCsvWriter::close() {
  if (!file_) return;
  wait_pending();
  io::OutputFile f = std::move(*file_);
  file_.reset();
  f.commit();
}

}  // namespace earlyhelp::features
