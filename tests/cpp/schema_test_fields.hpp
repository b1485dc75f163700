// SPDX-License-Identifier: Apache-2.0
#pragma once
// Test helper: a schema field with a name and a type, the rest default (tests that build their
// own streams set what they check on it).

#include "earlyhelp/schema/schema.hpp"

#include <string>
#include <utility>

namespace eh_test {

inline earlyhelp::schema::Field make_field(std::string name, earlyhelp::schema::FieldType type) {
  earlyhelp::schema::Field f;
  f.name = std::move(name);
  f.type = type;
  return f;
}

}  // namespace eh_test
