// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/name_sex.hpp"

namespace earlyhelp::linkage {

char learnt_name_sex(const NameInfo& name) noexcept {
  if (name.is_initial) return 0;
  const std::uint64_t seen = std::uint64_t{name.female} + name.male;
  if (seen < kNameSexMinCount) return 0;
  const double need = kNameSexMajority * static_cast<double>(seen);
  if (static_cast<double>(name.male) >= need) return 'm';
  if (static_cast<double>(name.female) >= need) return 'f';
  return 0;
}

char sex_of(const PreparedRecords& r, std::uint32_t x) noexcept {
  if (r.sex[x] != 0) return r.sex[x];
  const std::uint32_t f = r.first_id[x];
  return f != 0 && f < r.first_info.size() ? learnt_name_sex(r.first_info[f]) : char{0};
}

bool sex_from_name(const PreparedRecords& r, std::uint32_t x) noexcept { return r.sex[x] == 0 && sex_of(r, x) != 0; }

std::size_t names_with_learnt_sex(const PreparedRecords& r) noexcept {
  std::size_t n = 0;
  for (std::size_t f = 1; f < r.first_info.size(); ++f) n += learnt_name_sex(r.first_info[f]) != 0 ? 1 : 0;
  return n;
}

}  // namespace earlyhelp::linkage
