// SPDX-License-Identifier: Apache-2.0
// The council schema from C++: list the identifier fields of one stream, then show a loading error.
#include <earlyhelp/earlyhelp.hpp>

#include <fmt/format.h>

int main() {
  namespace sc = earlyhelp::schema;
  const sc::Schema council = sc::Schema::builtin();
  const sc::Stream& attendance = council.stream("school_attendance");
  fmt::print("{} ({} fields, owner: {})\n", attendance.title, attendance.fields.size(), attendance.owner);
  for (const sc::Field& f : attendance.fields)
    if (!f.link_key.empty())
      fmt::print("  {:<12} {:<18} links as {}\n", f.name, sc::to_string(f.identifier_role), f.link_key);
  try {
    sc::Schema::from_json(R"({"name": "x", "streams": [{"name": "a", "kind": "register",
      "record_id_field": "id", "fields": [{"name": "id", "type": "string"}]}]})", "mine.json");
  } catch (const earlyhelp::SchemaError& e) {
    fmt::print("error: {}\n", e.what());
  }
  return 0;
}
