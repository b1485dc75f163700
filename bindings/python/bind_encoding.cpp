// SPDX-License-Identifier: Apache-2.0
// Bloom-filter encoding for privacy-preserving record linkage (governance/bloom_encoding.hpp), in
// earlyhelp._core.governance.

#include "bind.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/governance/bloom_encoding.hpp"
#include "earlyhelp/linkage/bloom.hpp"
#include "earlyhelp/schema/schema.hpp"

#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

namespace py = pybind11;

namespace earlyhelp::python {

void bind_encoding(py::module_& root) {
  using namespace earlyhelp::governance;
  auto m = root.attr("governance").cast<py::module_>();

  py::class_<BloomEncoder>(m, "BloomEncoder",
                           "Keyed Bloom-filter encodings of names, dates of birth and addresses ('bf1:' + 128 hex "
                           "digits), compared by the linker with Dice similarity.")
      .def(py::init<const PseudonymKey&>(), py::arg("key"))
      .def(
          "encode",
          [](const BloomEncoder& e, const std::string& field, const std::string& value) {
            return e.encode(bloom_field_from_name(field), value);
          },
          py::arg("field"), py::arg("value"),
          "The encoding of one value of a field kind (first_name, middle_name, surname, dob, address, town, "
          "postcode); '' when it normalises to nothing.")
      .def(
          "encode_many",
          [](const BloomEncoder& e, const std::string& field, const std::vector<std::string>& values) {
            const BloomField f = bloom_field_from_name(field);
            std::vector<std::string> out(values.size());
            {
              py::gil_scoped_release nogil;
              for (std::size_t i = 0; i < values.size(); ++i) out[i] = e.encode(f, values[i]);
            }
            return out;
          },
          py::arg("field"), py::arg("values"), "The encodings of many values of one field kind.")
      .def_property_readonly("key_fingerprint", &BloomEncoder::key_fingerprint);

  m.def(
      "bloom_dice",
      [](const std::string& a, const std::string& b) {
        EH_CHECK(linkage::is_bloom_cell(a) && linkage::is_bloom_cell(b),
                 "bloom_dice: both values must be encodings ('bf1:' and 128 hex digits)");
        return linkage::bloom_dice(a, b);
      },
      py::arg("a"), py::arg("b"), "Dice coefficient of two encodings, as the linker compares them.");
  m.def(
      "encode_csv",
      [](const PseudonymKey& key, const std::string& input, const std::string& output,
         const std::optional<std::string>& stream, const std::optional<schema::Schema>& sch, const std::string& rejects,
         char delimiter) {
        std::optional<EncodePlan> plan;
        if (stream) plan = EncodePlan::for_stream((sch ? *sch : schema::Schema::builtin()).stream(*stream));
        EncodeCounts c;
        {
          py::gil_scoped_release nogil;
          c = encode_csv(key, plan ? &*plan : nullptr, input, output, rejects, delimiter);
        }
        py::dict d;
        d["rows_read"] = c.rows_read;
        d["rows_written"] = c.rows_written;
        d["rows_rejected"] = c.rows_rejected;
        d["cells_encoded"] = c.cells_encoded;
        d["cells_pseudonymised"] = c.cells_pseudonymised;
        d["cells_emptied"] = c.cells_emptied;
        d["encoded_columns"] = c.encoded_columns;
        d["pseudonymised_columns"] = c.pseudonymised_columns;
        return d;
      },
      py::arg("key"), py::arg("input"), py::arg("output"), py::arg("stream") = py::none(),
      py::arg("schema") = py::none(), py::arg("rejects") = "", py::arg("delimiter") = ',',
      "Copies a CSV with names, dates of birth and addresses Bloom-encoded and identifiers pseudonymised "
      "(a stream's fields, or the canonical linkage columns); returns the counts.");
}

}  // namespace earlyhelp::python
