// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/pair_conflict.hpp"

#include "earlyhelp/linkage/person_rules.hpp"

namespace earlyhelp::linkage {

bool keep_apart(const PreparedRecords& r, const FellegiSunter& scorer, const ComparisonVector& v, std::uint32_t a,
                std::uint32_t b, bool person_rules) {
  if (!scorer.conflict(v) || !look_alike(v)) return false;
  if (!person_rules || dates_of_birth_disagree(r.dob[a], r.dob[b]) ||
      !first_names_agree(r, r.first_id[a], r.surname_id[a], r.first_id[b], r.surname_id[b]))
    return true;
  // The first names are reconciled: the pair is a conflict only on its other fields.
  ComparisonVector rest = v;
  rest[static_cast<std::size_t>(Field::first_name)] = null_level;
  return scorer.conflict(rest);
}

}  // namespace earlyhelp::linkage
