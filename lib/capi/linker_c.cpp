// SPDX-License-Identifier: Apache-2.0
// C API: record linkage.

#include "earlyhelp/c_api.h"
#include "earlyhelp/core/date.hpp"
#include "earlyhelp/io/csv.hpp"
#include "earlyhelp/linkage/household_of.hpp"
#include "earlyhelp/linkage/linker.hpp"
#include "guard.hpp"
#include "registry.hpp"

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

struct eh_linker {
  earlyhelp::linkage::Linker impl;
  std::vector<std::string> persons;  // person id per record, refreshed after link/add
  bool linked = false;
  // The last date's households, indexed by person, for eh_linker_household: a case system asks
  // about one person after another on one date (rebuilt when records are added or linked again).
  std::shared_ptr<earlyhelp::linkage::HouseholdCache> households =
      std::make_shared<earlyhelp::linkage::HouseholdCache>();
};

namespace {

namespace lk = earlyhelp::linkage;

std::vector<lk::Record> rows(const char* func, std::size_t n_records, std::size_t n_columns,
                             const char* const* names, const char* const* values) {
  EH_CHECK(n_records == 0 || (names != nullptr && values != nullptr), "{}: column names or values are NULL", func);
  std::vector<lk::Record> out(n_records);
  for (std::size_t c = 0; c < n_columns; ++c) {
    EH_CHECK(names[c] != nullptr, "{}: column name {} is NULL", func, c);
    for (std::size_t r = 0; r < n_records; ++r) {
      const char* v = values[r * n_columns + c];
      EH_CHECK(lk::set_record_field(out[r], names[c], v == nullptr ? std::string() : std::string(v)),
               "{}: '{}' is not a canonical column", func, names[c]);
    }
  }
  return out;
}

}  // namespace

extern "C" {

int eh_linker_create(const char* settings_json, eh_linker** out) {
  return earlyhelp::capi::guarded([&] {
    EH_CHECK_PTR("eh_linker_create", out);
    lk::Settings s = settings_json == nullptr ? lk::Settings() : lk::Settings::from_json(settings_json);
    *out = earlyhelp::capi::new_handle<eh_linker>(lk::Linker(std::move(s)), std::vector<std::string>{}, false);
  });
}

void eh_linker_free(eh_linker* linker) { earlyhelp::capi::free_handle(linker, "eh_linker_free"); }

int eh_linker_add_records(eh_linker* linker, size_t n_records, size_t n_columns, const char* const* column_names,
                          const char* const* values) {
  return earlyhelp::capi::guarded([&] {
    EH_LIVE("eh_linker_add_records", linker);
    const auto recs = rows("eh_linker_add_records", n_records, n_columns, column_names, values);
    const auto persons = linker->impl.add_records(recs);
    if (linker->linked) linker->persons.insert(linker->persons.end(), persons.begin(), persons.end());
  });
}

int eh_linker_fit(eh_linker* linker) {
  return earlyhelp::capi::guarded([&] {
    EH_LIVE("eh_linker_fit", linker);
    linker->impl.fit();
  });
}

int eh_linker_load_model(eh_linker* linker, const char* model_json) {
  return earlyhelp::capi::guarded([&] {
    EH_LIVE("eh_linker_load_model", linker);
    EH_CHECK_PTR("eh_linker_load_model", model_json);
    linker->impl.load_model_json(model_json);
  });
}

int eh_linker_link(eh_linker* linker) {
  return earlyhelp::capi::guarded([&] {
    EH_LIVE("eh_linker_link", linker);
    linker->impl.link();
    linker->persons = linker->impl.person_ids();
    linker->linked = true;
  });
}

int eh_linker_n_records(const eh_linker* linker, size_t* out) {
  return earlyhelp::capi::guarded([&] {
    EH_LIVE("eh_linker_n_records", linker);
    EH_CHECK_PTR("eh_linker_n_records", out);
    *out = linker->impl.records().record_ids.size();
  });
}

int eh_linker_person_id(const eh_linker* linker, size_t index, char* buf, size_t capacity, size_t* needed) {
  return earlyhelp::capi::guarded([&] {
    EH_LIVE("eh_linker_person_id", linker);
    if (!linker->linked) throw earlyhelp::StateError("eh_linker_person_id: records are not linked yet");
    EH_CHECK(index < linker->persons.size(), "eh_linker_person_id: index {} out of range ({} records)", index,
             linker->persons.size());
    return earlyhelp::capi::write_text("eh_linker_person_id", linker->persons[index], buf, capacity, needed);
  });
}

int eh_linker_lookup(eh_linker* linker, size_t n_columns, const char* const* column_names, const char* const* values,
                     size_t k, eh_match* out, size_t* n_out) {
  return earlyhelp::capi::guarded([&] {
    EH_LIVE("eh_linker_lookup", linker);
    EH_CHECK_PTR("eh_linker_lookup", n_out);
    EH_CHECK(k == 0 || out != nullptr, "eh_linker_lookup: argument 'out' is NULL");
    auto recs = rows("eh_linker_lookup", 1, n_columns, column_names, values);
    if (recs[0].record_id.empty()) recs[0].record_id = "lookup";
    const auto best = linker->impl.lookup(recs[0], k);
    // The ids live here until this thread's next lookup (eh_match's contract): per thread, so
    // lookups from several threads never overwrite each other's results.
    thread_local std::vector<std::string> ids;
    ids.clear();
    for (const auto& b : best) ids.push_back(b.person_id);
    for (std::size_t i = 0; i < best.size(); ++i) {
      eh_match& m = out[i];
      m.person_id = ids[i].c_str();
      m.weight = best[i].weight;
      m.probability = best[i].probability;
    }
    *n_out = best.size();
  });
}

int eh_linker_household(const eh_linker* linker, const char* person_id, const char* as_of, char* out,
                        size_t capacity, size_t* needed) {
  return earlyhelp::capi::guarded([&] {
    EH_LIVE("eh_linker_household", linker);
    EH_CHECK_PTR("eh_linker_household", person_id);
    EH_CHECK_PTR("eh_linker_household", as_of);
    const auto d = earlyhelp::parse_date(as_of);
    EH_CHECK(d.has_value(), "eh_linker_household: as_of is not a date (expected YYYY-MM-DD)");
    if (!linker->linked) throw earlyhelp::StateError("eh_linker_household: records are not linked yet");
    const auto c = earlyhelp::to_civil(*d);
    const std::int32_t day = c.year * 10000 + c.month * 100 + c.day;
    const auto members = linker->households->at(linker->impl, day)->of(person_id);
    earlyhelp::io::CsvWriter w;
    w.write_row(std::vector<std::string>{"person_id", "household_id", "role", "family"});
    for (const auto& m : members) w.write_row(std::vector<std::string>{m.person_id, m.household_id, m.role, m.family ? "1" : "0"});
    return earlyhelp::capi::write_text("eh_linker_household", w.str(), out, capacity, needed);
  });
}

}  // extern "C"
