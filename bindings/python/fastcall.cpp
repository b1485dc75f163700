// SPDX-License-Identifier: Apache-2.0
// The non-template half of fastcall.hpp: argument binding, bool/float conversion, docstrings.

#include "fastcall.hpp"

namespace earlyhelp::python::fastcall {

namespace {

bool type_error(const char* parameter, const char* expected, PyObject* obj) noexcept {
  PyErr_Format(PyExc_TypeError, "%s: expected %s, got %s", parameter, expected, Py_TYPE(obj)->tp_name);
  return false;
}

}  // namespace

// pybind11's bool caster when converting: True/False, None as False, else the object's
// nb_bool (int, float, numpy.bool_, ...); str and other objects without nb_bool are refused.
bool load_bool(PyObject* obj, const char* parameter, bool& out) noexcept {
  if (obj == Py_True || obj == Py_False) {
    out = obj == Py_True;
    return true;
  }
  int res = -1;
  if (obj == Py_None) {
    res = 0;
  } else if (PyNumberMethods* number = Py_TYPE(obj)->tp_as_number; number != nullptr && number->nb_bool != nullptr) {
    res = number->nb_bool(obj);
  }
  if (res == 0 || res == 1) {
    out = res == 1;
    return true;
  }
  PyErr_Clear();
  return type_error(parameter, Converter<bool>::name, obj);
}

// pybind11's float caster when converting: PyFloat_AsDouble (float, int, __float__, __index__),
// then PyNumber_Float for other numbers; str is refused.
bool load_double(PyObject* obj, const char* parameter, double& out) noexcept {
  const double d = PyFloat_AsDouble(obj);
  if (!(d == -1.0 && PyErr_Occurred())) {
    out = d;
    return true;
  }
  PyErr_Clear();
  if (PyNumber_Check(obj)) {
    PyObject* f = PyNumber_Float(obj);
    if (f != nullptr) {
      out = PyFloat_AS_DOUBLE(f);
      Py_DECREF(f);
      return true;
    }
    PyErr_Clear();
  }
  return type_error(parameter, Converter<double>::name, obj);
}

namespace detail {

bool bind_arguments(const char* function, const char* const* names, std::size_t arity, std::size_t n_required,
                    PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames, PyObject** slots) noexcept {
  const auto n_params = static_cast<Py_ssize_t>(arity);
  if (nargs > n_params) {
    if (arity == n_required)
      PyErr_Format(PyExc_TypeError, "%s() takes %zd positional arguments but %zd were given", function, n_params, nargs);
    else
      PyErr_Format(PyExc_TypeError, "%s() takes from %zd to %zd positional arguments but %zd were given", function,
                   static_cast<Py_ssize_t>(n_required), n_params, nargs);
    return false;
  }
  for (Py_ssize_t i = 0; i < nargs; ++i) slots[i] = args[i];
  const Py_ssize_t n_kw = kwnames == nullptr ? 0 : PyTuple_GET_SIZE(kwnames);
  for (Py_ssize_t k = 0; k < n_kw; ++k) {
    PyObject* key = PyTuple_GET_ITEM(kwnames, k);  // always a str (CPython checks)
    Py_ssize_t j = 0;
    while (j < n_params && PyUnicode_CompareWithASCIIString(key, names[j]) != 0) ++j;
    if (j == n_params) {
      PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%U'", function, key);
      return false;
    }
    if (slots[j] != nullptr) {
      PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument '%s'", function, names[j]);
      return false;
    }
    slots[j] = args[nargs + k];
  }
  for (std::size_t j = 0; j < n_required; ++j) {
    if (slots[j] == nullptr) {
      PyErr_Format(PyExc_TypeError, "%s() missing required argument '%s' (pos %zd)", function, names[j],
                   static_cast<Py_ssize_t>(j + 1));
      return false;
    }
  }
  return true;
}

std::string describe(const char* name, const char* type, PyObject* default_value) {
  std::string out = std::string(name) + ": " + type;
  if (default_value != nullptr) out += " = " + std::string(pybind11::str(pybind11::repr(default_value)));
  return out;
}

std::string docstring(const char* name, const char* doc, const std::string& parameters, const char* result) {
  return std::string(name) + "(" + parameters + ") -> " + result + "\n\n" + doc + "\n";
}

}  // namespace detail
}  // namespace earlyhelp::python::fastcall
