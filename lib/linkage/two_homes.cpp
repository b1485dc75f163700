// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/two_homes.hpp"

#include "earlyhelp/linkage/homes.hpp"

#include <algorithm>

namespace earlyhelp::linkage {

TwoHomes::TwoHomes(const PreparedRecords& r, const std::vector<std::uint64_t>& homes)
    : place_(homes.size(), 0), postcode_place_(homes.size(), 0) {
  for (std::size_t x = 0; x < place_.size(); ++x) {
    postcode_place_[x] = postcode_place(r, x);
    place_[x] = homes[x] != 0 ? homes[x] : postcode_place_[x];
  }
  for (std::size_t rec = 0; rec < r.record_ids.size(); ++rec) {
    const std::int32_t day = r.record_day[rec];
    const std::uint32_t x = r.identity_of[rec];
    if (!PreparedRecords::is_dated(day) || place_[x] == 0) continue;
    spans_.push_back({(std::uint64_t{x} << 32) | r.record_source[rec], day, day});
  }
  std::sort(spans_.begin(), spans_.end(), [](const Span& p, const Span& q) {
    return p.key != q.key ? p.key < q.key : p.first < q.first;
  });
  std::size_t w = 0;
  for (std::size_t i = 0; i < spans_.size(); ++i) {
    if (w > 0 && spans_[w - 1].key == spans_[i].key) spans_[w - 1].last = std::max(spans_[w - 1].last, spans_[i].last);
    else spans_[w++] = spans_[i];
  }
  spans_.resize(w);
  // Only spans longer than the overlap can overlap by that much.
  spans_.erase(std::remove_if(spans_.begin(), spans_.end(), [](const Span& t) { return t.last - t.first <= kOverlapDays; }),
               spans_.end());
  span_at_.assign(place_.size() + 1, 0);
  for (const Span& t : spans_) ++span_at_[(t.key >> 32) + 1];
  for (std::size_t x = 0; x < place_.size(); ++x) span_at_[x + 1] += span_at_[x];
}

bool TwoHomes::operator()(std::uint32_t a, std::uint32_t c) const noexcept {
  if (span_at_.empty() || span_at_[a] == span_at_[a + 1] || span_at_[c] == span_at_[c + 1]) return false;
  std::uint64_t pa = place_[a], pc = place_[c];
  // An address only sometimes: compare postcodes.
  if (is_home_key(pa) != is_home_key(pc)) pa = postcode_place_[a], pc = postcode_place_[c];
  if (pa == 0 || pc == 0 || pa == pc) return false;
  for (std::uint32_t i = span_at_[a]; i < span_at_[a + 1]; ++i)
    for (std::uint32_t j = span_at_[c]; j < span_at_[c + 1]; ++j)
      if ((spans_[i].key & 0xffffffffu) == (spans_[j].key & 0xffffffffu) &&
          std::min(spans_[i].last, spans_[j].last) - std::max(spans_[i].first, spans_[j].first) > kOverlapDays)
        return true;
  return false;
}

}  // namespace earlyhelp::linkage
