// SPDX-License-Identifier: Apache-2.0
// Names of the schema enums, as they appear in schema JSON files.

#include "earlyhelp/schema/schema.hpp"

#include <array>
#include <utility>

namespace earlyhelp::schema {
namespace {

template <class E, std::size_t N>
using NameTable = std::array<std::pair<E, std::string_view>, N>;

constexpr NameTable<FieldType, 8> field_types{{{FieldType::integer, "integer"},
                                               {FieldType::floating, "float"},
                                               {FieldType::boolean, "boolean"},
                                               {FieldType::category, "category"},
                                               {FieldType::date, "date"},
                                               {FieldType::datetime, "datetime"},
                                               {FieldType::identifier, "identifier"},
                                               {FieldType::text, "text"}}};
constexpr NameTable<IdentifierRole, 4> roles{{{IdentifierRole::none, "none"},
                                              {IdentifierRole::direct, "direct"},
                                              {IdentifierRole::quasi, "quasi"},
                                              {IdentifierRole::pseudonymised_key, "pseudonymised_key"}}};
constexpr NameTable<Sensitivity, 3> sensitivities{{{Sensitivity::ordinary, "ordinary"},
                                                   {Sensitivity::special_category, "special_category"},
                                                   {Sensitivity::criminal_offence, "criminal_offence"}}};
constexpr NameTable<Missing, 3> missings{{{Missing::propagate, "propagate"},
                                          {Missing::zero, "zero"},
                                          {Missing::skip, "skip"}}};

template <class E, std::size_t N>
std::string_view name_of(const NameTable<E, N>& table, E value) noexcept {
  for (const auto& [v, name] : table)
    if (v == value) return name;
  return "unknown";
}
template <class E, std::size_t N>
std::optional<E> value_of(const NameTable<E, N>& table, std::string_view name) noexcept {
  for (const auto& [v, n] : table)
    if (n == name) return v;
  return std::nullopt;
}

}  // namespace

std::string_view to_string(FieldType t) noexcept { return name_of(field_types, t); }
std::string_view to_string(IdentifierRole r) noexcept { return name_of(roles, r); }
std::string_view to_string(Sensitivity s) noexcept { return name_of(sensitivities, s); }
std::string_view to_string(Missing m) noexcept { return name_of(missings, m); }
std::optional<FieldType> parse_field_type(std::string_view s) noexcept { return value_of(field_types, s); }
std::optional<IdentifierRole> parse_identifier_role(std::string_view s) noexcept { return value_of(roles, s); }
std::optional<Sensitivity> parse_sensitivity(std::string_view s) noexcept { return value_of(sensitivities, s); }
std::optional<Missing> parse_missing(std::string_view s) noexcept { return value_of(missings, s); }

}  // namespace earlyhelp::schema
