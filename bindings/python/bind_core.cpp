// SPDX-License-Identifier: Apache-2.0
// Exceptions, version and dates.

#include "bind.hpp"
#include "earlyhelp/core/date.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/version.hpp"

#include <pybind11/stl.h>

#include <exception>
#include <optional>
#include <string>

namespace py = pybind11;

namespace earlyhelp::python {
namespace {

// Creates an exception class with several bases, e.g. InvalidArgument(Error, ValueError), so
// `except earlyhelp.Error` and `except ValueError` both catch it.
PyObject* new_exception(py::module_& m, const char* name, py::tuple bases, const char* doc) {
  const std::string qualified = std::string("earlyhelp.") + name;
  PyObject* type = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, bases.ptr(), nullptr);
  if (type == nullptr) throw py::error_already_set();
  m.add_object(name, py::handle(type));  // the module keeps a reference; so does this function
  return type;
}

}  // namespace

void bind_core(py::module_& m) {
  // Created once per process at import and never freed: the translator below refers to them.
  static PyObject* error = new_exception(m, "Error", py::make_tuple(py::handle(PyExc_RuntimeError)),
                                         "Base class of every earlyhelp error.");
  static PyObject* invalid = new_exception(
      m, "InvalidArgument", py::make_tuple(py::handle(error), py::handle(PyExc_ValueError)),
      "An argument is invalid: wrong shape, out of range, NaN, unknown field.");
  static PyObject* schema = new_exception(m, "SchemaError", py::make_tuple(py::handle(invalid)),
                                          "A schema, or data checked against it, is invalid.");
  static PyObject* format = new_exception(
      m, "FormatError", py::make_tuple(py::handle(error), py::handle(PyExc_ValueError)),
      "Malformed bytes: bad CSV, corrupt or unknown-version archive.");
  static PyObject* state = new_exception(m, "StateError", py::make_tuple(py::handle(error)),
                                         "An object used in the wrong state (e.g. not fitted).");
  static PyObject* io = new_exception(
      m, "IOError", py::make_tuple(py::handle(error), py::handle(PyExc_OSError)),
      "A file could not be opened, read or written.");

  // Most derived first.
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const SchemaError& e) {
      PyErr_SetString(schema, e.what());
    } catch (const InvalidArgument& e) {
      PyErr_SetString(invalid, e.what());
    } catch (const FormatError& e) {
      PyErr_SetString(format, e.what());
    } catch (const StateError& e) {
      PyErr_SetString(state, e.what());
    } catch (const IOError& e) {
      PyErr_SetString(io, e.what());
    } catch (const Error& e) {
      PyErr_SetString(error, e.what());
    }
  });

  m.def("version", &earlyhelp::version, "The library version, e.g. '0.1.0'.");

  m.def(
      "parse_date",
      [](const std::string& text) -> std::optional<std::string> {
        auto d = earlyhelp::parse_date(text);
        if (!d) return std::nullopt;
        return earlyhelp::format_date(*d);
      },
      py::arg("text"),
      "Parses an ISO (yyyy-mm-dd) or UK day-first (dd/mm/yyyy) date and returns it in ISO form, "
      "or None if it is not a valid calendar date. '03/04/2020' is 3 April 2020.");
}

}  // namespace earlyhelp::python
