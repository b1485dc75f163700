// SPDX-License-Identifier: Apache-2.0
// C API: feature definitions and one person's feature row for a case system.

#include "earlyhelp/c_api.h"
#include "earlyhelp/core/date.hpp"
#include "earlyhelp/features/case.hpp"
#include "earlyhelp/features/definitions.hpp"
#include "earlyhelp/profiling/domain.hpp"
#include "earlyhelp/schema/schema.hpp"
#include "guard.hpp"
#include "registry.hpp"
#include "handles.hpp"

#include <fmt/ranges.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace {

using earlyhelp::capi::guarded;
using earlyhelp::capi::write_text;
namespace ft = earlyhelp::features;

const ft::FeatureSet& get(const eh_feature_set* set, const char* fn) { return EH_LIVE(fn, set).set; }

std::string value(const char* const* cells, std::size_t i) { return cells[i] == nullptr ? std::string() : cells[i]; }

}  // namespace

extern "C" {

int eh_feature_set_builtin(eh_feature_set** out) {
  return guarded([&] {
    EH_CHECK_PTR("eh_feature_set_builtin", out);
    *out = earlyhelp::capi::new_handle<eh_feature_set>(ft::FeatureSet::builtin());
  });
}

int eh_feature_set_domain(const char* domain, eh_feature_set** out) {
  return guarded([&] {
    EH_CHECK_PTR("eh_feature_set_domain", domain);
    EH_CHECK_PTR("eh_feature_set_domain", out);
    const std::vector<std::string> names = earlyhelp::profiling::Domain::builtin_names();
    EH_CHECK(std::find(names.begin(), names.end(), domain) != names.end(),
             "eh_feature_set_domain: no built-in risk domain '{}' (expected one of {})", domain, fmt::join(names, ", "));
    *out = earlyhelp::capi::new_handle<eh_feature_set>(earlyhelp::profiling::Domain::builtin(domain).feature_set());
  });
}

int eh_feature_set_from_json(const char* json, eh_feature_set** out) {
  return guarded([&] {
    EH_CHECK_PTR("eh_feature_set_from_json", json);
    EH_CHECK_PTR("eh_feature_set_from_json", out);
    auto set = ft::FeatureSet::from_json(json, earlyhelp::schema::Schema::builtin(), "definitions");
    *out = earlyhelp::capi::new_handle<eh_feature_set>(std::move(set));
  });
}

void eh_feature_set_free(eh_feature_set* set) { earlyhelp::capi::free_handle(set, "eh_feature_set_free"); }

int eh_feature_set_num_features(const eh_feature_set* set, size_t* out) {
  return guarded([&] {
    EH_CHECK_PTR("eh_feature_set_num_features", out);
    *out = get(set, "eh_feature_set_num_features").size();
  });
}

int eh_feature_set_name(const eh_feature_set* set, size_t index, char* out, size_t capacity, size_t* needed) {
  return guarded([&] {
    EH_CHECK_PTR("eh_feature_set_name", needed);
    const auto& s = get(set, "eh_feature_set_name");
    EH_CHECK(index < s.size(), "eh_feature_set_name: index {} of {} features", index, s.size());
    return write_text("eh_feature_set_name", s.features()[index].name, out, capacity, needed);
  });
}

int eh_feature_set_describe(const eh_feature_set* set, size_t index, const double* row, size_t n_values, char* out,
                            size_t capacity, size_t* needed) {
  return guarded([&] {
    EH_CHECK_PTR("eh_feature_set_describe", row);
    EH_CHECK_PTR("eh_feature_set_describe", needed);
    const auto& s = get(set, "eh_feature_set_describe");
    EH_CHECK(index < s.size(), "eh_feature_set_describe: index {} of {} features", index, s.size());
    EH_CHECK(n_values == s.size(), "eh_feature_set_describe: row has {} values, the set {} features", n_values,
             s.size());
    const std::vector<float> values(row, row + n_values);
    return write_text("eh_feature_set_describe", s.describe(index, values.data()), out, capacity, needed);
  });
}

int eh_feature_case_create(const eh_feature_set* set, eh_feature_case** out) {
  return guarded([&] {
    EH_CHECK_PTR("eh_feature_case_create", out);
    *out = earlyhelp::capi::new_handle<eh_feature_case>(ft::CaseRecords(get(set, "eh_feature_case_create")));
  });
}

void eh_feature_case_free(eh_feature_case* c) { earlyhelp::capi::free_handle(c, "eh_feature_case_free"); }

int eh_feature_case_add_rows(eh_feature_case* c, size_t member, const char* stream, size_t n_rows, size_t n_columns,
                             const char* const* column_names, const char* const* values, size_t* n_rejected) {
  return guarded([&] {
    EH_LIVE("eh_feature_case_add_rows", c);
    EH_CHECK_PTR("eh_feature_case_add_rows", stream);
    EH_CHECK_PTR("eh_feature_case_add_rows", column_names);
    EH_CHECK(n_rows == 0 || values != nullptr, "eh_feature_case_add_rows: argument 'values' is NULL");
    EH_CHECK(n_columns > 0 && n_columns <= 4096, "eh_feature_case_add_rows: n_columns is {}", n_columns);
    EH_CHECK(n_rows <= 1000000, "eh_feature_case_add_rows: n_rows {} is too large for one case", n_rows);
    std::vector<std::string> columns;
    for (std::size_t k = 0; k < n_columns; ++k) columns.push_back(value(column_names, k));
    std::vector<std::vector<std::string>> rows(n_rows);
    for (std::size_t i = 0; i < n_rows; ++i)
      for (std::size_t k = 0; k < n_columns; ++k) rows[i].push_back(value(values, i * n_columns + k));
    const std::size_t rejected = c->records.add_rows(member, stream, columns, rows);
    if (n_rejected != nullptr) *n_rejected = rejected;
  });
}

int eh_feature_case_set_role(eh_feature_case* c, size_t member, const char* role) {
  return guarded([&] {
    EH_LIVE("eh_feature_case_set_role", c);
    EH_CHECK_PTR("eh_feature_case_set_role", role);
    const std::string r = role;
    EH_CHECK(r == "adult" || r == "child" || r == "unknown",
             "eh_feature_case_set_role: role must be adult, child or unknown; got \"{}\"", r);
    c->records.set_role(member, r == "adult" ? ft::Role::adult : r == "child" ? ft::Role::child : ft::Role::unknown);
  });
}

int eh_feature_case_row(const eh_feature_case* c, const char* as_of, double* out, size_t capacity) {
  return guarded([&] {
    EH_LIVE("eh_feature_case_row", c);
    EH_CHECK_PTR("eh_feature_case_row", as_of);
    EH_CHECK_PTR("eh_feature_case_row", out);
    const auto d = earlyhelp::parse_date(as_of);
    EH_CHECK(d.has_value(), "eh_feature_case_row: as_of is not a date (expected YYYY-MM-DD)");
    const std::size_t n = c->records.set().size();
    EH_CHECK(capacity >= n, "eh_feature_case_row: out holds {} values, {} needed", capacity, n);
    const std::vector<float> row = c->records.row(*d);
    for (std::size_t j = 0; j < n; ++j) out[j] = static_cast<double>(row[j]);
  });
}

}  // extern "C"
