// SPDX-License-Identifier: Apache-2.0
#pragma once

// Raw CPython `METH_FASTCALL | METH_KEYWORDS` functions for scalar hot paths. pybind11 parses
// every call generically (argument loaders, overload chain, function_record lookup), which on a
// name-length string comparison costs more than the comparison itself; a function declared here
// reads its arguments straight from the vectorcall array. One template serves every function:
// a constexpr `Function` lists the parameters (name, type, default) and the C++ body, and
// `def<F>(module)` registers it under its name with a docstring laid out as pybind11 lays them
// out. Converters behave as pybind11's (bool and float accept what pybind11 accepts when
// converting), so callers see the same values; argument-count and keyword errors are TypeErrors
// worded as CPython words its own.

#include <pybind11/pybind11.h>

#include <array>
#include <cstddef>
#include <exception>
#include <new>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

namespace earlyhelp::python::fastcall {

/// Conversion of one C++ type from and to Python: `name` (as in the signature line), and
/// `load(obj, parameter, out)` (false with a TypeError set) and/or `cast(value)` (new reference
/// or nullptr with an exception set). Specialised below for bool, double and std::size_t, and by
/// bindings for their own argument types.
template <class T>
struct Converter;

bool load_bool(PyObject* obj, const char* parameter, bool& out) noexcept;
bool load_double(PyObject* obj, const char* parameter, double& out) noexcept;

template <>
struct Converter<bool> {
  static constexpr const char* name = "bool";
  static bool load(PyObject* obj, const char* parameter, bool& out) noexcept { return load_bool(obj, parameter, out); }
  static PyObject* cast(bool value) noexcept { return PyBool_FromLong(value ? 1 : 0); }
};

template <>
struct Converter<double> {
  static constexpr const char* name = "float";
  static bool load(PyObject* obj, const char* parameter, double& out) noexcept {
    if (PyFloat_CheckExact(obj)) {  // the common case, without a call
      out = PyFloat_AS_DOUBLE(obj);
      return true;
    }
    return load_double(obj, parameter, out);
  }
  static PyObject* cast(double value) noexcept { return PyFloat_FromDouble(value); }
};

template <>
struct Converter<std::size_t> {
  static constexpr const char* name = "int";
  static PyObject* cast(std::size_t value) noexcept { return PyLong_FromSize_t(value); }
};

/// A required parameter.
template <class T>
struct Param {
  using type = T;
  static constexpr bool required = true;
  const char* name;
};

/// An optional parameter and its default.
template <class T>
struct Option {
  using type = T;
  static constexpr bool required = false;
  const char* name;
  T default_value;
};

template <class T>
constexpr Param<T> param(const char* name) {
  return Param<T>{name};
}
template <class T>
constexpr Option<T> option(const char* name, T default_value) {
  return Option<T>{name, default_value};
}

/// A Python function: name, docstring (without the signature line, which is generated), the
/// body called with the converted arguments, and the parameters in order (required first).
template <class Body, class... Params>
struct Function {
  const char* name;
  const char* doc;
  Body body;
  std::tuple<Params...> params;

  static constexpr std::size_t arity = sizeof...(Params);
  static constexpr std::size_t n_required = (std::size_t{0} + ... + std::size_t{Params::required});
  using Result = std::invoke_result_t<const Body&, const typename Params::type&...>;
};

template <class Body, class... Params>
constexpr Function<Body, Params...> function(const char* name, const char* doc, Body body, Params... params) {
  constexpr bool ordered = [] {
    bool seen_option = false, ok = true;
    ((ok = ok && !(seen_option && Params::required), seen_option = seen_option || !Params::required), ...);
    return ok;
  }();
  static_assert(ordered, "fastcall::function: required parameters come first");
  return Function<Body, Params...>{name, doc, body, std::tuple<Params...>{params...}};
}

namespace detail {

/// Places positional and keyword arguments into `slots` (one per parameter, nullptr when not
/// given); false with a TypeError set on a wrong count, an unknown or repeated keyword, or a
/// missing required argument.
bool bind_arguments(const char* function, const char* const* names, std::size_t arity, std::size_t n_required,
                    PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames, PyObject** slots) noexcept;

/// "name(a: str, b: str, flag: bool = False) -> float\n\n<doc>\n", as pybind11 writes it.
std::string docstring(const char* name, const char* doc, const std::string& parameters, const char* result);
std::string describe(const char* name, const char* type, PyObject* default_value);

template <class T>
bool load(const Param<T>& p, PyObject* obj, T& out) noexcept {
  return Converter<T>::load(obj, p.name, out);
}
template <class T>
bool load(const Option<T>& p, PyObject* obj, T& out) noexcept {
  if (obj == nullptr) {
    out = p.default_value;
    return true;
  }
  return Converter<T>::load(obj, p.name, out);
}

template <class T>
std::string describe(const Param<T>& p) {
  return describe(p.name, Converter<T>::name, nullptr);
}
template <class T>
std::string describe(const Option<T>& p) {
  pybind11::object value = pybind11::reinterpret_steal<pybind11::object>(Converter<T>::cast(p.default_value));
  if (!value) throw pybind11::error_already_set();
  return describe(p.name, Converter<T>::name, value.ptr());
}

/// Runs `f()` (returning a new reference or nullptr with an exception set), turning a C++
/// exception into a Python one: nothing may unwind through CPython. The bodies are kernels that
/// throw only std::bad_alloc (long strings) or pybind11's error_already_set.
template <class F>
PyObject* guarded(F&& f) noexcept {
  try {
    return f();
  } catch (pybind11::error_already_set& e) {
    e.restore();
  } catch (const std::bad_alloc&) {
    PyErr_NoMemory();
  } catch (const std::exception& e) {
    PyErr_SetString(PyExc_RuntimeError, e.what());
  } catch (...) {
    PyErr_SetString(PyExc_RuntimeError, "unknown C++ exception");
  }
  return nullptr;
}

template <const auto& F, std::size_t... I>
PyObject* invoke(PyObject* const* slots, std::index_sequence<I...>) noexcept {
  std::tuple<typename std::tuple_element_t<I, decltype(F.params)>::type...> values;
  if (!(load(std::get<I>(F.params), slots[I], std::get<I>(values)) && ...)) return nullptr;
  return guarded([&] {
    using Result = typename std::decay_t<decltype(F)>::Result;
    return Converter<Result>::cast(F.body(std::get<I>(values)...));
  });
}

/// The parameter names of F, in order.
template <const auto& F>
inline constexpr auto names =
    std::apply([](const auto&... p) { return std::array<const char*, sizeof...(p)>{p.name...}; }, F.params);

/// The PyCFunction (`_PyCFunctionFastWithKeywords` shape) of F.
template <const auto& F>
PyObject* call(PyObject* /*module*/, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames) noexcept {
  using Spec = std::decay_t<decltype(F)>;
  PyObject* slots[Spec::arity] = {};
  if (kwnames == nullptr && nargs == static_cast<Py_ssize_t>(Spec::n_required)) {
    // The hot path: required arguments by position, options at their defaults.
    for (std::size_t i = 0; i < Spec::n_required; ++i) slots[i] = args[i];
  } else if (!bind_arguments(F.name, names<F>.data(), Spec::arity, Spec::n_required, args, nargs, kwnames, slots)) {
    return nullptr;
  }
  return invoke<F>(slots, std::make_index_sequence<Spec::arity>{});
}

}  // namespace detail

/// Registers F in module `m` as a builtin function named F.name (its __module__ the module's
/// name), with pybind11's docstring layout.
template <const auto& F>
void def(pybind11::module_& m) {
  using Spec = std::decay_t<decltype(F)>;
  // CPython keeps pointers to the PyMethodDef and its strings for the function's lifetime:
  // static storage, one per function.
  static const std::string doc = std::apply(
      [](const auto&... p) {
        std::string parameters;
        ((parameters += (parameters.empty() ? "" : ", ") + detail::describe(p)), ...);
        return detail::docstring(F.name, F.doc, parameters, Converter<typename Spec::Result>::name);
      },
      F.params);
  static PyMethodDef method{F.name, reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(&detail::call<F>)),
                            METH_FASTCALL | METH_KEYWORDS, doc.c_str()};
  const pybind11::object module_name = m.attr("__name__");
  auto fn = pybind11::reinterpret_steal<pybind11::object>(PyCFunction_NewEx(&method, m.ptr(), module_name.ptr()));
  if (!fn) throw pybind11::error_already_set();
  m.attr(F.name) = fn;
}

}  // namespace earlyhelp::python::fastcall
