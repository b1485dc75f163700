// SPDX-License-Identifier: Apache-2.0
// Output files that cannot destroy (io/output_file.hpp): devices and FIFOs are written in place,
// symbolic links keep being links, regular files appear complete or not at all, and an output
// that is an input or another output is refused before anything is touched. Every "victim" is a
// FIFO or file made in a temporary directory: a test that went wrong on the real /dev/null or
// /dev/stdout would destroy the machine's devices.

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/io/csv.hpp"
#include "earlyhelp/io/ingest.hpp"
#include "earlyhelp/io/output_file.hpp"
#include "earlyhelp/models/linear.hpp"
#include "earlyhelp/models/model.hpp"
#include "earlyhelp/schema/schema.hpp"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;
using namespace earlyhelp;

// A fresh directory, removed with everything in it.
struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path = fs::temp_directory_path() /
           ("eh_test_output_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

void write_file(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
}

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

struct stat stat_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st;
}

// A FIFO with a descriptor held open for reading and writing (Linux allows O_RDWR on a FIFO and
// it never blocks), so a writer's open does not wait and the test can read what was written
// without a thread: the outputs here fit the pipe's 64 KiB buffer.
struct Fifo {
  std::string path;
  int fd = -1;
  explicit Fifo(std::string p) : path(std::move(p)) {
    REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
    fd = ::open(path.c_str(), O_RDWR | O_NONBLOCK);
    REQUIRE(fd >= 0);
  }
  ~Fifo() { ::close(fd); }
  std::string drain() const {
    std::string out;
    char buf[4096];
    for (;;) {
      const ssize_t n = ::read(fd, buf, sizeof buf);
      if (n <= 0) break;
      out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
  }
};

const schema::Stream& attendance() {
  static const schema::Schema builtin = schema::Schema::builtin();
  return builtin.stream("school_attendance");
}

// A header-only extract of the built-in school_attendance stream.
std::string header_only() {
  std::string out;
  for (const auto& name : attendance().field_names()) out += (out.empty() ? "" : ",") + name;
  return out + "\n";
}

}  // namespace

TEST_SUITE("io") {
  TEST_CASE("io.output_file: validate writes a FIFO in place and it stays the same FIFO") {
    TempDir dir;
    write_file(dir / "in.csv", header_only());
    Fifo out(dir / "out.fifo");
    Fifo rejects(dir / "rejects.fifo");
    const struct stat before = stat_of(out.path);
    const auto r = io::validate_file(attendance(), dir / "in.csv", out.path, rejects.path);
    CHECK(r.rows_read == 0);
    const struct stat after = stat_of(out.path);
    CHECK(S_ISFIFO(after.st_mode));
    CHECK(after.st_ino == before.st_ino);
    CHECK(S_ISFIFO(stat_of(rejects.path).st_mode));
    CHECK(out.drain().rfind("record_id,upn,", 0) == 0);
    CHECK(rejects.drain().rfind("row,line,field,reason,", 0) == 0);
    // Nothing else appeared beside them (no temporary or renamed files).
    CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()) == 3);
  }

  TEST_CASE("io.output_file: a symbolic link stays a link and its target gets the output") {
    TempDir dir;
    write_file(dir / "in.csv", header_only());
    write_file(dir / "target.csv", "old\n");
    fs::create_symlink("target.csv", dir / "link.csv");
    const Fifo fifo(dir / "rejects.fifo");
    fs::create_symlink(fifo.path, dir / "rejects-link");
    io::validate_file(attendance(), dir / "in.csv", dir / "link.csv", dir / "rejects-link");
    CHECK(fs::is_symlink(dir / "link.csv"));
    CHECK(fs::read_symlink(dir / "link.csv") == "target.csv");
    CHECK(slurp(dir / "target.csv").rfind("record_id,upn,", 0) == 0);
    CHECK(fs::is_symlink(dir / "rejects-link"));
    CHECK(S_ISFIFO(stat_of(fifo.path).st_mode));
    CHECK(fifo.drain().rfind("row,line,", 0) == 0);
  }

  TEST_CASE("io.output_file: an output that is the input or the other output is refused first") {
    TempDir dir;
    const std::string in = dir / "in.csv";
    write_file(in, header_only());
    fs::create_symlink("in.csv", dir / "in-link.csv");
    fs::create_hard_link(in, dir / "in-hard.csv");
    const auto ino = stat_of(in).st_ino;
    const auto& s = attendance();
    CHECK_THROWS_WITH_AS(io::validate_file(s, in, in, dir / "rejects.csv"),
                         doctest::Contains("output and input are the same file"), InvalidArgument);
    CHECK_THROWS_WITH_AS(io::validate_file(s, in, dir / "out.csv", dir / "in-link.csv"),
                         doctest::Contains("rejects and input are the same file"), InvalidArgument);
    CHECK_THROWS_AS(io::validate_file(s, in, dir / "in-hard.csv", dir / "rejects.csv"), InvalidArgument);
    CHECK_THROWS_WITH_AS(io::validate_file(s, in, dir / "out.csv", dir / "out.csv"),
                         doctest::Contains("output and rejects are the same file"), InvalidArgument);
    CHECK_THROWS_AS(io::validate_file(s, in, dir / "sub/../out.csv", dir / "out.csv"), InvalidArgument);
    // Nothing was touched: the input is the same file with the same bytes, no output exists.
    CHECK(stat_of(in).st_ino == ino);
    CHECK(slurp(in) == header_only());
    CHECK_FALSE(fs::exists(dir / "out.csv"));
    CHECK_FALSE(fs::exists(dir / "rejects.csv"));
    // Distinct files pass.
    CHECK_NOTHROW(io::check_distinct_files("t", {{"--input", in}}, {{"--output", dir / "a.csv"}, {"--rejects", ""}}));
  }

  TEST_CASE("io.output_file: a failed run leaves the existing file as it was and no temporary") {
    TempDir dir;
    write_file(dir / "out.csv", "precious\n");
    write_file(dir / "in.csv", header_only() + "a,\"unterminated\n");
    CHECK_THROWS_AS(io::validate_file(attendance(), dir / "in.csv", dir / "out.csv", dir / "rej.csv"),
                    FormatError);
    CHECK(slurp(dir / "out.csv") == "precious\n");
    CHECK_FALSE(fs::exists(dir / "rej.csv"));
    {
      // A writer dropped without close() (an exception on the way) keeps the old file.
      auto w = io::CsvWriter::open(dir / "out.csv");
      w.write_row({"new", "half"});
    }
    CHECK(slurp(dir / "out.csv") == "precious\n");
    CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()) == 2);
    // close() replaces it, keeping its permission bits.
    fs::permissions(dir / "out.csv", fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
    auto w = io::CsvWriter::open(dir / "out.csv");
    w.write_row({"new"});
    w.close();
    CHECK(slurp(dir / "out.csv") == "new\n");
    CHECK((fs::status(dir / "out.csv").permissions() & fs::perms::all) ==
          (fs::perms::owner_read | fs::perms::owner_write));
    CHECK_THROWS_AS(io::OutputFile::open(dir.path.string()), IOError);  // a directory
    CHECK_THROWS_AS(io::OutputFile::open(dir / "missing/x.csv"), IOError);
  }

  TEST_CASE("io.output_file: a model bundle saved to a FIFO goes through it") {
    TempDir dir;
    Fifo fifo(dir / "bundle.fifo");
    const RowMatrixXd coef = RowMatrixXd::Ones(1, 2);
    const models::Model m(models::LinearModel(coef, Eigen::VectorXd::Zero(1), models::Link::logit),
                          {"a", "b"});
    m.save(fifo.path);
    CHECK(S_ISFIFO(stat_of(fifo.path).st_mode));
    CHECK(models::Model::from_bytes(fifo.drain()).n_features() == 2);
  }
}
