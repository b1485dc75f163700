// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/blocking.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/split.hpp"

#include <fmt/format.h>

#include <numeric>

namespace earlyhelp::linkage {

namespace {

constexpr std::string_view kPartNames[] = {
    "postcode",   "postcode_district", "surname", "surname_sound", "first_name",
    "first_initial", "first_name_sound", "name_pair_sound", "dob",  "birth_year",
    "identifier", "uprn", "town", "address"};

constexpr std::uint64_t mix(std::uint64_t h, std::uint64_t v) noexcept {
  h ^= v + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
  h ^= h >> 31;
  h *= 0xBF58476D1CE4E5B9ULL;
  h ^= h >> 29;
  return h;
}

}  // namespace

std::string_view key_part_name(KeyPart p) noexcept { return kPartNames[static_cast<std::size_t>(p)]; }

KeyPart key_part_from_name(std::string_view name) {
  for (std::size_t i = 0; i < std::size(kPartNames); ++i)
    if (kPartNames[i] == name) return static_cast<KeyPart>(i);
  std::string known;
  for (const auto n : kPartNames) known += (known.empty() ? "" : ", ") + std::string(n);
  throw InvalidArgument(fmt::format("blocking rule: unknown key part '{}' (known: {})", name, known));
}

std::string BlockingRule::name() const {
  std::string out;
  for (const KeyPart p : parts) {
    if (!out.empty()) out += '+';
    out += key_part_name(p);
  }
  return out;
}

BlockingRule BlockingRule::parse(std::string_view name) {
  BlockingRule rule;
  for (const std::string_view part : split_trimmed(name, '+')) {
    EH_CHECK(!part.empty(), "blocking rule '{}': empty key part", name);
    rule.parts.push_back(key_part_from_name(part));
  }
  return rule;
}

std::vector<BlockingRule> default_blocking_rules() {
  return {BlockingRule::parse("postcode"), BlockingRule::parse("surname_sound+birth_year"),
          BlockingRule::parse("first_initial+dob"), BlockingRule::parse("name_pair_sound"),
          BlockingRule::parse("identifier"),        BlockingRule::parse("dob"),
          BlockingRule::parse("first_name+town"),   BlockingRule::parse("surname+first_initial+town")};
}

std::vector<Field> fixed_fields(const BlockingRule& rule) {
  std::vector<Field> out;
  for (const KeyPart p : rule.parts) {
    switch (p) {
      case KeyPart::postcode:
      case KeyPart::address:
      case KeyPart::uprn:
        // Within one postcode (or property) the address, town, property and mostly the surname
        // are shared by a household: left free, EM would learn the household instead of the
        // person. Only person-level fields (first name, dob, sex, identifier) are trained here.
        for (Field f : {Field::postcode, Field::address, Field::town, Field::uprn, Field::surname}) out.push_back(f);
        break;
      case KeyPart::postcode_district:
      case KeyPart::town: out.push_back(Field::town); break;
      case KeyPart::surname:
      case KeyPart::surname_sound: out.push_back(Field::surname); break;
      case KeyPart::first_name:
      case KeyPart::first_initial:
      case KeyPart::first_name_sound: out.push_back(Field::first_name); break;
      case KeyPart::name_pair_sound:
        out.push_back(Field::first_name);
        out.push_back(Field::surname);
        break;
      case KeyPart::dob:
      case KeyPart::birth_year: out.push_back(Field::dob); break;
      case KeyPart::identifier: out.push_back(Field::identifier); break;
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::uint64_t block_key(const PreparedRecords& r, std::uint32_t i, const BlockingRule& rule) {
  std::uint64_t h = 0x243F6A8885A308D3ULL;
  for (const KeyPart p : rule.parts) {
    std::uint64_t v = 0;
    switch (p) {
      case KeyPart::postcode: v = r.postcode_id[i]; break;
      case KeyPart::postcode_district: {
        const std::uint32_t pc = r.postcode_id[i];
        v = pc == 0 ? 0 : r.postcode_info[pc].district;
        break;
      }
      case KeyPart::surname: v = r.surname_id[i]; break;
      case KeyPart::surname_sound: {
        const std::uint32_t s = r.surname_id[i];
        v = s == 0 ? 0 : r.surname_info[s].phonetic;
        break;
      }
      case KeyPart::first_name: v = r.first_id[i]; break;
      case KeyPart::first_initial: {
        const std::uint32_t f = r.first_id[i];
        v = f == 0 ? 0 : static_cast<unsigned char>(r.first_info[f].initial);
        break;
      }
      case KeyPart::first_name_sound: {
        const std::uint32_t f = r.first_id[i];
        v = f == 0 ? 0 : r.first_info[f].phonetic;
        break;
      }
      case KeyPart::name_pair_sound: {
        const std::uint32_t f = r.first_id[i], s = r.surname_id[i];
        if (f == 0 || s == 0 || r.first_info[f].is_initial) break;
        const std::uint64_t x = r.first_info[f].phonetic, y = r.surname_info[s].phonetic;
        v = std::min(x, y) << 32 | std::max(x, y);
        break;
      }
      case KeyPart::dob: {
        const std::int32_t d = r.dob[i];
        v = (d != 0 && d % 100 != 0 && (d / 100) % 100 != 0) ? static_cast<std::uint64_t>(d) : 0;
        if (r.encoded_dob_id[i] != 0) v = (std::uint64_t{1} << 40) | r.encoded_dob_id[i];  // Bloom-encoded (bloom.hpp)
        break;
      }
      case KeyPart::birth_year: v = r.dob[i] == 0 ? 0 : static_cast<std::uint64_t>(r.dob[i] / 10000); break;
      case KeyPart::identifier: v = r.identifier_id[i]; break;
      case KeyPart::uprn: v = r.uprn_id[i]; break;
      case KeyPart::town: v = r.town_id[i]; break;
      case KeyPart::address: v = r.address_id[i]; break;
    }
    if (v == 0) return 0;
    h = mix(h, v);
  }
  return h == 0 ? 1 : h;
}

BlockingPlan plan_blocking(const PreparedRecords& r, const std::vector<BlockingRule>& rules,
                           std::size_t max_block_size, std::size_t window) {
  EH_CHECK(!rules.empty(), "link: at least one blocking rule is needed");
  EH_CHECK(max_block_size >= 2, "link: max_block_size must be at least 2 (got {})", max_block_size);
  EH_CHECK(window >= 1, "link: window must be at least 1 (got {})", window);
  BlockingPlan plan;
  const auto n = static_cast<std::uint32_t>(r.n_identities());
  const double all_pairs = 0.5 * static_cast<double>(n) * (static_cast<double>(n) - 1.0);
  for (const BlockingRule& rule : rules) {
    EH_CHECK(!rule.parts.empty(), "link: a blocking rule has no key parts");
    RulePlan rp;
    rp.rule = rule;
    rp.keys.resize(n);
    for (std::uint32_t i = 0; i < n; ++i) {
      rp.keys[i] = block_key(r, i, rule);
      if (rp.keys[i] != 0) rp.order.push_back(i);
    }
    std::sort(rp.order.begin(), rp.order.end(), [&](std::uint32_t a, std::uint32_t b) {
      return rp.keys[a] != rp.keys[b] ? rp.keys[a] < rp.keys[b] : a < b;
    });
    const auto m = static_cast<std::uint32_t>(rp.order.size());
    std::uint64_t oversized = 0;
    for (std::uint32_t b = 0; b < m;) {
      std::uint32_t e = b + 1;
      std::uint64_t recs = r.n_records[rp.order[b]];
      while (e < m && rp.keys[rp.order[e]] == rp.keys[rp.order[b]]) recs += r.n_records[rp.order[e++]];
      const std::uint64_t size = e - b;
      rp.largest_block = std::max(rp.largest_block, size);
      rp.largest_block_records = std::max(rp.largest_block_records, recs);
      if (size >= 2) {
        Block blk{b, e, size > max_block_size};
        rp.pairs_full += size * (size - 1) / 2;
        if (blk.windowed) {
          ++oversized;
          rp.oversized_keys.push_back(rp.keys[rp.order[b]]);
          // Sorted neighbourhood in name order, so near-identical identities are neighbours.
          std::sort(rp.order.begin() + b, rp.order.begin() + e, [&](std::uint32_t x, std::uint32_t y) {
            const auto& sx = r.surname.values[r.surname_id[x]];
            const auto& sy = r.surname.values[r.surname_id[y]];
            if (sx != sy) return sx < sy;
            const auto& fx = r.first.values[r.first_id[x]];
            const auto& fy = r.first.values[r.first_id[y]];
            if (fx != fy) return fx < fy;
            if (r.dob[x] != r.dob[y]) return r.dob[x] < r.dob[y];
            return x < y;
          });
          const std::uint64_t w = std::min<std::uint64_t>(window, size - 1);
          rp.pairs += size * w - w * (w + 1) / 2;
        } else {
          rp.pairs += size * (size - 1) / 2;
        }
        rp.blocks.push_back(blk);
      }
      b = e;
    }
    std::sort(rp.oversized_keys.begin(), rp.oversized_keys.end());
    const std::string name = rule.name();
    if (rp.largest_block_records > max_block_size && rp.largest_block_records > rp.largest_block)
      plan.warnings.push_back(fmt::format(
          "blocking rule '{}': {} records share one key (an oversized block); identical identities "
          "were collapsed first, leaving {} distinct identities in it",
          name, rp.largest_block_records, rp.largest_block));
    if (oversized > 0)
      plan.warnings.push_back(fmt::format(
          "blocking rule '{}' is too loose: {} block(s) exceed max_block_size {} (largest {} "
          "identities, {} pairs); they are compared by sorted neighbourhood (window {}) instead of "
          "all pairs",
          name, oversized, max_block_size, rp.largest_block, rp.pairs_full, window));
    else if (n > 2000 && static_cast<double>(rp.pairs_full) > 0.05 * all_pairs)
      plan.warnings.push_back(fmt::format(
          "blocking rule '{}' is loose: it compares {:.1f}% of all pairs ({} pairs)", name,
          100.0 * static_cast<double>(rp.pairs_full) / all_pairs, rp.pairs_full));
    plan.pairs_estimate += rp.pairs;
    plan.rules.push_back(std::move(rp));
  }
  return plan;
}

}  // namespace earlyhelp::linkage
