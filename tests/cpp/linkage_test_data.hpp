// SPDX-License-Identifier: Apache-2.0
#pragma once
// Test helpers for the linker: FEBRL files from the shared data folder, and a record builder.

#include "test_paths.hpp"
#include "earlyhelp/linkage/records.hpp"
#include "earlyhelp/linkage/records_io.hpp"

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace eh_test {

/// Path of a FEBRL file, or "" when the shared data is absent.
inline std::string febrl_path(const std::string& name) {
  const std::filesystem::path p = shared_data_dir() / "febrl" / name;
  return std::filesystem::exists(p) ? p.string() : std::string();
}

inline earlyhelp::linkage::ColumnMap febrl_map() {
  return earlyhelp::linkage::parse_column_map(
      "rec_id=record_id,given_name=first_name,surname=surname,street_number=address,address_1=address,"
      "address_2=address,suburb=town,postcode=postcode,date_of_birth=dob,soc_sec_id=nhs_number");
}

/// The entity of a FEBRL record id: "rec-12-dup-3" -> "12".
inline std::string febrl_entity(const std::string& id) {
  const std::size_t a = id.find('-'), b = id.find('-', a + 1);
  return id.substr(a + 1, b - a - 1);
}

inline earlyhelp::linkage::Record person(std::string id, std::string first, std::string surname, std::string dob,
                                         std::string address = "", std::string postcode = "",
                                         std::string sex = "", std::string source = "s") {
  earlyhelp::linkage::Record r;
  r.record_id = std::move(id);
  r.first_name = std::move(first);
  r.surname = std::move(surname);
  r.dob = std::move(dob);
  r.address = std::move(address);
  r.postcode = std::move(postcode);
  r.sex = std::move(sex);
  r.source = std::move(source);
  return r;
}

/// `r` dated `date` (its record_date: a date or "current").
inline earlyhelp::linkage::Record dated(earlyhelp::linkage::Record r, std::string date) {
  r.record_date = std::move(date);
  return r;
}

}  // namespace eh_test
