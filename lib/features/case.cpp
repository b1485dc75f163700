// SPDX-License-Identifier: Apache-2.0
// One person's feature row from the records a case system holds.

#include "earlyhelp/features/case.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/features/compute.hpp"
#include "earlyhelp/io/csv.hpp"
#include "earlyhelp/io/ingest.hpp"

#include <fmt/format.h>

#include <utility>

namespace earlyhelp::features {
namespace {

// Counts rejects, and hands clean rows to a builder when one is given.
class CaseSink : public io::IngestSink {
 public:
  CaseSink(EventStoreBuilder* builder, std::size_t stream, std::int32_t person)
      : builder_(builder), stream_(stream), person_(person) {}
  void clean(std::size_t, const std::vector<io::FieldValue>& values) override {
    if (builder_ != nullptr) builder_->add(stream_, person_, values);
  }
  void reject(const io::Reject&, const std::vector<std::string_view>&) override { ++rejected; }
  std::size_t rejected = 0;

 private:
  EventStoreBuilder* builder_;
  std::size_t stream_;
  std::int32_t person_;
};

std::size_t validate(const schema::Stream& stream, const std::string& csv, EventStoreBuilder* builder, std::size_t s,
                     std::int32_t person) {
  io::CsvReader reader = io::CsvReader::from_string(csv, {}, fmt::format("rows of {}", stream.name));
  CaseSink sink(builder, s, person);
  io::validate_stream(stream, reader, sink);
  return sink.rejected;
}

}  // namespace

CaseRecords::CaseRecords(FeatureSet set) : set_(std::move(set)), roles_(1, Role::unknown) {}

std::size_t CaseRecords::add_rows(std::size_t member, std::string_view stream, const std::vector<std::string>& columns,
                                  const std::vector<std::vector<std::string>>& rows) {
  const schema::Stream& st = set_.schema().stream(stream);
  EH_CHECK(member < 100000, "CaseRecords::add_rows: member {} is not a household member number", member);
  EH_CHECK(!columns.empty(), "CaseRecords::add_rows: no column names for stream {}", st.name);
  io::CsvWriter w;
  w.write_row(columns);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EH_CHECK(rows[i].size() == columns.size(), "CaseRecords::add_rows: row {} of stream {} has {} values for {} columns",
             i + 1, st.name, rows[i].size(), columns.size());
    w.write_row(rows[i]);
  }
  Chunk c{member, static_cast<std::size_t>(&st - set_.schema().streams.data()), w.str()};
  const std::size_t rejected = validate(st, c.csv, nullptr, c.stream, 0);
  chunks_.push_back(std::move(c));
  members_ = std::max(members_, member + 1);
  return rejected;
}

void CaseRecords::set_role(std::size_t member, Role role) {
  EH_CHECK(member < 100000, "CaseRecords::set_role: member {} is not a household member number", member);
  members_ = std::max(members_, member + 1);
  household_ = true;
  if (roles_.size() <= member) roles_.resize(member + 1, Role::unknown);
  roles_[member] = role;
}

EventStore CaseRecords::store(const FeatureSet& set, const std::string* household_id) const {
  // Member numbers as sorted person ids, all in one household.
  std::vector<std::string> ids;
  for (std::size_t m = 0; m < members_; ++m) ids.push_back(fmt::format("{:06d}", m));
  EventStoreBuilder builder(set, ids);
  for (const Chunk& c : chunks_) {
    const schema::Stream& st = set.schema().stream(set_.schema().streams[c.stream].name);
    const auto s = static_cast<std::size_t>(&st - set.schema().streams.data());
    builder.mark_present(s);
    validate(st, c.csv, &builder, s, static_cast<std::int32_t>(c.member));
  }
  if (household_id != nullptr || members_ > 1 || household_) {
    std::vector<Role> roles(roles_);
    roles.resize(members_, Role::unknown);
    builder.set_households(std::vector<std::int32_t>(members_, 0),
                           {household_id != nullptr ? *household_id : std::string("household")}, std::move(roles));
  }
  return builder.finish(1);
}

std::vector<float> CaseRecords::row(Date as_of) const {
  const EventStore store = this->store(set_, nullptr);
  return person_row(set_, store, 0, as_of);
}

EventStore CaseRecords::family_store(const FeatureSet& set, const std::string& household_id) const {
  return store(set, &household_id);
}

}  // namespace earlyhelp::features
