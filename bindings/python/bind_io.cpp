// SPDX-License-Identifier: Apache-2.0
// earlyhelp._core.io: CSV ingest into typed columns (numpy arrays) and file-to-file validation.
// The whole parse runs without the GIL into plain C++ columns; Python objects are built after.

#include "bind.hpp"
#include "earlyhelp/core/text_arena.hpp"
#include "earlyhelp/io/ingest.hpp"
#include "earlyhelp/io/output_file.hpp"
#include "earlyhelp/schema/schema.hpp"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace py = pybind11;

namespace earlyhelp::python {
namespace {

using schema::FieldType;

constexpr std::int64_t kNaT = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kNanosPerSecond = 1'000'000'000;
constexpr std::int64_t kSecondsPerDay = 86'400;

// An append-only sequence in fixed-size chunks: growing never copies or re-touches memory
// (a doubling std::vector of a million-row column moves it several times, and each move
// page-faults fresh pages; that was most of the time of building the columns).
template <class T>
class Chunked {
 public:
  static constexpr std::size_t kChunk = std::size_t{1} << 16;
  void push_back(T v) {
    if (chunks_.empty() || chunks_.back().size() == kChunk) {
      chunks_.emplace_back();
      chunks_.back().reserve(kChunk);
    }
    chunks_.back().push_back(v);
    ++size_;
  }
  std::size_t size() const noexcept { return size_; }
  template <class Fn>
  void for_each(Fn&& fn) const {
    for (const auto& c : chunks_)
      for (const T& v : c) fn(v);
  }
  void copy_to(T* out) const {
    for (const auto& c : chunks_) out = std::copy(c.begin(), c.end(), out);
  }

 private:
  std::vector<std::vector<T>> chunks_;
  std::size_t size_ = 0;
};

// One output column in C++ form.
struct Column {
  FieldType type = FieldType::text;
  Chunked<std::int64_t> ints;         // integer values; category codes; datetime64[ns]
  Chunked<double> floats;             // floating
  Chunked<std::uint8_t> flags;        // boolean values
  Chunked<std::uint8_t> mask;         // 1 = missing (integer, boolean, text)
  TextArena arena;                    // identifier/text bytes
  Chunked<std::string_view> values;   // identifier/text values (into arena)
};

// Converts days or seconds since the epoch to datetime64[ns]; NaT outside its range
// (1677-09-21 .. 2262-04-11).
std::int64_t to_nanos(std::int64_t seconds) {
  constexpr std::int64_t limit = std::numeric_limits<std::int64_t>::max() / kNanosPerSecond;
  if (seconds >= limit || seconds <= -limit) return kNaT;
  return seconds * kNanosPerSecond;
}

class ColumnSink : public io::IngestSink {
 public:
  std::vector<Column> columns;
  std::vector<std::string> input_header;
  std::vector<io::Reject> rejects;
  std::vector<std::vector<std::string>> rejects_raw;

  void begin(const schema::Stream& stream, const std::vector<std::string>& header) override {
    columns.resize(stream.fields.size());
    for (std::size_t j = 0; j < columns.size(); ++j) columns[j].type = stream.fields[j].type;
    input_header = header;
  }

  void clean(std::size_t, const std::vector<io::FieldValue>& values) override {
    for (std::size_t j = 0; j < values.size(); ++j) {
      const io::FieldValue& v = values[j];
      Column& c = columns[j];
      switch (c.type) {
        case FieldType::integer:
          c.ints.push_back(v.missing ? 0 : v.integer);
          c.mask.push_back(v.missing ? 1 : 0);
          break;
        case FieldType::floating:
          c.floats.push_back(v.missing ? std::numeric_limits<double>::quiet_NaN() : v.number);
          break;
        case FieldType::boolean:
          c.flags.push_back(!v.missing && v.integer != 0 ? 1 : 0);
          c.mask.push_back(v.missing ? 1 : 0);
          break;
        case FieldType::category:
          c.ints.push_back(v.missing ? -1 : v.integer);
          break;
        case FieldType::date:
          c.ints.push_back(v.missing ? kNaT : to_nanos(v.integer * kSecondsPerDay));
          break;
        case FieldType::datetime:
          c.ints.push_back(v.missing ? kNaT : to_nanos(v.integer));
          break;
        case FieldType::identifier:
        case FieldType::text:
          c.values.push_back(c.arena.add(v.text));
          c.mask.push_back(v.missing ? 1 : 0);
          break;
      }
    }
  }

  void reject(const io::Reject& r, const std::vector<std::string_view>& raw) override {
    rejects.push_back(r);
    rejects_raw.emplace_back(raw.begin(), raw.end());
  }
};

template <class T>
py::array_t<T> to_numpy(const Chunked<T>& v) {
  py::array_t<T> out(static_cast<py::ssize_t>(v.size()));
  v.copy_to(out.mutable_data());
  return out;
}

py::array_t<bool> to_numpy_bool(const Chunked<std::uint8_t>& v) {
  py::array_t<bool> out(static_cast<py::ssize_t>(v.size()));
  bool* d = out.mutable_data();
  v.for_each([&d](std::uint8_t x) { *d++ = x != 0; });
  return out;
}

// A str from checked UTF-8. Extract cells are nearly all ASCII: those are copied straight into a
// new compact str, which skips the decoder's per-character pass and its width scan.
PyObject* make_str(std::string_view v) {
  std::uint64_t high = 0;
  std::size_t i = 0;
  for (; i + 8 <= v.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, v.data() + i, 8);
    high |= w;
  }
  for (; i < v.size(); ++i) high |= static_cast<unsigned char>(v[i]);
  if ((high & 0x8080808080808080ULL) != 0)
    return PyUnicode_DecodeUTF8(v.data(), static_cast<Py_ssize_t>(v.size()), "strict");
  PyObject* o = PyUnicode_New(static_cast<Py_ssize_t>(v.size()), 127);
  if (o != nullptr) std::memcpy(PyUnicode_1BYTE_DATA(o), v.data(), v.size());
  return o;
}

// A list of str (None where missing), built with the C API. Repeated values share one str
// object, as pandas' parser does: names, towns and codes repeat a lot, and every str saved is an
// allocation and ~50 bytes saved. The cache stops growing at 4096 distinct values and is
// dropped when, after 16384 values, fewer than half were hits (a key column).
py::list to_str_list(const Column& c) {
  const std::size_t n = c.values.size();
  PyObject* list = PyList_New(static_cast<Py_ssize_t>(n));
  if (list == nullptr) throw py::error_already_set();
  py::list out = py::reinterpret_steal<py::list>(list);
  std::vector<std::uint8_t> missing(n);
  c.mask.copy_to(missing.data());
  std::unordered_map<std::string_view, PyObject*> cache;  // borrowed: the list owns them
  bool use_cache = true;
  std::size_t hits = 0;
  std::size_t i = 0;
  c.values.for_each([&](std::string_view value) {
    PyObject* item = nullptr;
    if (missing[i]) {
      item = Py_None;
      Py_INCREF(item);
    } else {
      if (use_cache) {
        if (i == 16384 && 2 * hits < i) use_cache = false;
        auto it = use_cache ? cache.find(value) : cache.end();
        if (it != cache.end()) {
          item = it->second;
          Py_INCREF(item);
          ++hits;
        }
      }
      if (item == nullptr) {
        item = make_str(value);
        if (item == nullptr) throw py::error_already_set();
        if (use_cache && cache.size() < 4096) cache.emplace(value, item);
      }
    }
    PyList_SET_ITEM(list, static_cast<Py_ssize_t>(i), item);
    ++i;
  });
  return out;
}

// Raw bytes of a rejected row may be invalid UTF-8: decode with replacement characters.
py::str decode_lossy(const std::string& s) {
  PyObject* o = PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "replace");
  if (o == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(o);
}

schema::Schema load_schema(const std::string& schema_path) {
  return schema_path.empty() ? schema::Schema::builtin() : schema::Schema::from_file(schema_path);
}

io::CsvOptions make_options(std::size_t max_field_bytes, char delimiter) {
  io::CsvOptions o;
  o.max_field_bytes = max_field_bytes;
  o.max_record_bytes = std::max(o.max_record_bytes, max_field_bytes);  // a record holds its field
  o.delimiter = delimiter;
  return o;
}

py::dict counts(const io::IngestResult& r) {
  py::dict d;
  d["rows_read"] = r.rows_read;
  d["rows_clean"] = r.rows_clean;
  d["rows_rejected"] = r.rows_rejected;
  d["reconciled"] = r.reconciled();
  d["report_json"] = r.report.to_json(-1);
  d["report_text"] = r.report.to_text();
  return d;
}

py::dict read_columns(const std::string& path, const std::string& stream_name, const std::string& schema_path,
                      std::size_t max_field_bytes, char delimiter, int threads, const py::object& progress) {
  const Progress on_progress = progress_from(progress);
  ColumnSink sink;
  io::IngestResult result;
  schema::Schema sch;
  const schema::Stream* stream = nullptr;
  {
    py::gil_scoped_release nogil;
    sch = load_schema(schema_path);
    stream = &sch.stream(stream_name);
    auto reader = io::CsvReader::open(path, make_options(max_field_bytes, delimiter));
    result = io::validate_stream(*stream, reader, sink, threads, on_progress);
  }
  py::list names, types, data, categories;
  for (std::size_t j = 0; j < stream->fields.size(); ++j) {
    const schema::Field& f = stream->fields[j];
    const Column& c = sink.columns[j];
    names.append(f.name);
    types.append(std::string(schema::to_string(f.type)));
    categories.append(py::cast(f.categories));
    switch (f.type) {
      case FieldType::integer: data.append(py::make_tuple(to_numpy(c.ints), to_numpy_bool(c.mask))); break;
      case FieldType::floating: data.append(to_numpy(c.floats)); break;
      case FieldType::boolean: data.append(py::make_tuple(to_numpy_bool(c.flags), to_numpy_bool(c.mask))); break;
      case FieldType::category:
      case FieldType::date:
      case FieldType::datetime: data.append(to_numpy(c.ints)); break;
      case FieldType::identifier:
      case FieldType::text: data.append(to_str_list(c)); break;
    }
  }
  py::list rej_rows, rej_lines, rej_fields, rej_kinds, rej_reasons, rej_raw;
  for (std::size_t i = 0; i < sink.rejects.size(); ++i) {
    const io::Reject& r = sink.rejects[i];
    rej_rows.append(r.row);
    rej_lines.append(r.line);
    rej_fields.append(r.field);
    rej_kinds.append(std::string(io::to_string(r.kind)));
    rej_reasons.append(r.reason);
    py::list raw;
    for (const auto& v : sink.rejects_raw[i]) raw.append(decode_lossy(v));
    rej_raw.append(raw);
  }
  py::dict out = counts(result);
  out["names"] = names;
  out["types"] = types;
  out["categories"] = categories;
  out["columns"] = data;
  out["input_header"] = py::cast(sink.input_header);
  py::dict rej;
  rej["row"] = rej_rows;
  rej["line"] = rej_lines;
  rej["field"] = rej_fields;
  rej["kind"] = rej_kinds;
  rej["reason"] = rej_reasons;
  rej["raw"] = rej_raw;
  out["rejects"] = rej;
  return out;
}

py::dict validate_to_files(const std::string& path, const std::string& stream_name, const std::string& output,
                           const std::string& rejects, const std::string& schema_path, std::size_t max_field_bytes,
                           char delimiter, int threads) {
  io::IngestResult result;
  {
    py::gil_scoped_release nogil;
    const schema::Schema sch = load_schema(schema_path);
    result = io::validate_file(sch.stream(stream_name), path, output, rejects, make_options(max_field_bytes, delimiter),
                               threads);
  }
  return counts(result);
}

}  // namespace

void bind_io(py::module_& m) {
  py::module_ io = m.def_submodule("io", "CSV ingest and validation (use earlyhelp.read_csv / earlyhelp.validate).");
  io.def("read_columns", &read_columns, py::arg("path"), py::arg("stream"), py::arg("schema_path") = "",
         py::arg("max_field_bytes") = io::CsvOptions{}.max_field_bytes, py::arg("delimiter") = ',',
         py::arg("threads") = 0, py::arg("progress") = py::none(),
         "Validates a CSV extract and returns its clean rows as typed columns plus the rejects "
         "(a dict; earlyhelp.read_csv turns it into DataFrames). progress: None or a callable(stage, "
         "done, total), told stage \"validate\" in input bytes.");
  io.def("validate", &validate_to_files, py::arg("path"), py::arg("stream"), py::arg("output"), py::arg("rejects"),
         py::arg("schema_path") = "", py::arg("max_field_bytes") = io::CsvOptions{}.max_field_bytes,
         py::arg("delimiter") = ',', py::arg("threads") = 0,
         "Validates a CSV extract, writing clean rows and rejects to two CSV files; returns the counts "
         "and the data-quality report (JSON text).");
  io.def(
      "write_file",
      [](const std::string& path, const py::bytes& data) {
        const std::string bytes = data;
        py::gil_scoped_release nogil;
        io::write_output_file(path, bytes);
      },
      py::arg("path"), py::arg("data"),
      "Writes bytes to a file as every earlyhelp output is written (io::OutputFile): complete or not at all.");
  io.attr("DEFAULT_MAX_FIELD_BYTES") = io::CsvOptions{}.max_field_bytes;
}

}  // namespace earlyhelp::python
