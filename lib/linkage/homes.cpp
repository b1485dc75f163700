// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/homes.hpp"

#include "earlyhelp/linkage/similarity.hpp"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace earlyhelp::linkage {

std::vector<std::uint64_t> home_keys(const PreparedRecords& r) {
  const std::size_t n_ids = r.n_identities();
  // A written address is keyed by its text and postcode district, so a typo in the inward code
  // does not make a second home; a missing or malformed postcode takes the district the same
  // text has elsewhere.
  std::vector<std::uint32_t> district_of_address(r.address.size(), 0);
  {
    std::unordered_map<std::uint64_t, std::uint64_t> seen;  // (address, district) -> identities
    for (std::size_t x = 0; x < n_ids; ++x) {
      const std::uint32_t pc = r.postcode_id[x];
      const std::uint32_t d = pc == 0 ? 0 : r.postcode_info[pc].district;
      if (r.address_id[x] != 0 && d != 0) ++seen[(std::uint64_t{r.address_id[x]} << 32) | d];
    }
    std::vector<std::uint64_t> best_n(r.address.size(), 0);
    for (const auto& [key, cnt] : seen) {
      const auto a = static_cast<std::uint32_t>(key >> 32);
      const auto d = static_cast<std::uint32_t>(key & 0xffffffffu);
      if (cnt > best_n[a] || (cnt == best_n[a] && d < district_of_address[a])) best_n[a] = cnt, district_of_address[a] = d;
    }
  }
  auto address_key = [&](std::size_t x) {
    const std::uint32_t pc = r.postcode_id[x];
    std::uint32_t d = pc == 0 ? 0 : r.postcode_info[pc].district;
    if (d == 0) d = district_of_address[r.address_id[x]];
    // Outside the UK (no district) the whole postcode keeps apart equal texts.
    const std::uint64_t where = d != 0 ? d : (std::uint64_t{1} << 30) | pc;
    return (std::uint64_t{1} << 62) | (std::uint64_t{r.address_id[x]} << 31) | where;
  };
  // The same text and full postcode: one street in one district may have namesakes in two
  // villages ("11 Priory Gardens", CM8 1DU and CM8 7GE), which only the inward code tells apart.
  auto exact_key = [&](std::size_t x) {
    return (std::uint64_t{r.address_id[x]} << 32) | r.postcode_id[x];
  };
  // An address written on a record without a UPRN resolves to the UPRN other records give it,
  // so "48 Albert Gardens" in one system and property 100090006356 in another are one home: the
  // UPRN given to the same text at the same postcode, else (a typo in the inward code) the one
  // given to it at the nearest postcode of the district (fewest keying errors apart): one street
  // in two villages of a district is two properties, and the one recorded more often is not the
  // nearer. When two are equally near, or the record has no postcode, the one given to it most
  // often in the district.
  using Votes = std::unordered_map<std::uint64_t, std::unordered_map<std::uint32_t, std::uint64_t>>;
  Votes district_votes, exact_votes;
  for (std::size_t x = 0; x < n_ids; ++x)
    if (r.uprn_id[x] != 0 && r.address_id[x] != 0) {
      district_votes[address_key(x)][r.uprn_id[x]] += r.n_records[x];
      if (r.postcode_id[x] != 0) exact_votes[exact_key(x)][r.uprn_id[x]] += r.n_records[x];
    }
  const auto most_voted = [](const Votes& votes) {
    std::unordered_map<std::uint64_t, std::uint32_t> out;
    for (const auto& [key, votes_of] : votes) {
      std::uint32_t best = 0;
      std::uint64_t best_n = 0;
      for (const auto& [u, n] : votes_of)
        if (n > best_n || (n == best_n && u < best)) best = u, best_n = n;
      out.emplace(key, best);
    }
    return out;
  };
  const auto uprn_in_district = most_voted(district_votes), uprn_at_postcode = most_voted(exact_votes);
  // Per written address in a district: the postcodes it has a UPRN at (only where there are two
  // or more UPRNs, the case the nearest postcode decides).
  std::unordered_map<std::uint64_t, std::vector<std::pair<std::uint32_t, std::uint32_t>>> postcodes_in_district;
  for (const auto& [key, uprn] : uprn_at_postcode) {
    const auto a = static_cast<std::uint32_t>(key >> 32), pc = static_cast<std::uint32_t>(key & 0xffffffffu);
    const std::uint32_t d = r.postcode_info[pc].district;
    if (d == 0) continue;
    const std::uint64_t where = (std::uint64_t{1} << 62) | (std::uint64_t{a} << 31) | d;
    if (const auto it = district_votes.find(where); it != district_votes.end() && it->second.size() > 1)
      postcodes_in_district[where].emplace_back(pc, uprn);
  }
  const auto nearest = [&](std::size_t x, std::uint32_t fallback) {
    const auto it = postcodes_in_district.find(address_key(x));
    if (r.postcode_id[x] == 0 || it == postcodes_in_district.end()) return fallback;
    const std::string& mine = r.postcode.values[r.postcode_id[x]];
    std::size_t best_d = SIZE_MAX;
    std::uint32_t best = 0;
    bool tie = false;
    for (const auto& [pc, uprn] : it->second) {
      const std::size_t d = osa_distance(mine, r.postcode.values[pc]);
      if (d < best_d) best_d = d, best = uprn, tie = false;
      else if (d == best_d && uprn != best) tie = true;
    }
    return tie ? fallback : best;
  };
  std::vector<std::uint64_t> home_of(n_ids, 0);
  for (std::size_t x = 0; x < n_ids; ++x) {
    if (r.uprn_id[x] != 0) home_of[x] = (std::uint64_t{1} << 63) | r.uprn_id[x];
    else if (r.address_id[x] != 0) {
      std::uint32_t uprn = 0;
      if (const auto it = uprn_at_postcode.find(exact_key(x)); r.postcode_id[x] != 0 && it != uprn_at_postcode.end())
        uprn = it->second;
      else if (const auto jt = uprn_in_district.find(address_key(x)); jt != uprn_in_district.end())
        uprn = nearest(x, jt->second);
      home_of[x] = uprn != 0 ? ((std::uint64_t{1} << 63) | uprn) : address_key(x);
    }
  }
  return home_of;
}

}  // namespace earlyhelp::linkage
