// SPDX-License-Identifier: Apache-2.0
// Output files that cannot destroy (see include/earlyhelp/io/output_file.hpp).

#include "earlyhelp/io/output_file.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <utility>

namespace earlyhelp::io {

namespace {

namespace fs = std::filesystem;

std::string errno_text(int e) { return std::strerror(e); }

// Follows a chain of symbolic links to the path that is not one (which may not exist). Sets
// `via_descriptor` when the chain passes through /proc or /dev/fd: /dev/stdout names the file
// an open descriptor refers to, and that file is shared with the process, not ours to replace.
fs::path resolve_links(fs::path p, bool& via_descriptor) {
  via_descriptor = false;
  for (int hops = 0; hops < 40; ++hops) {
    const std::string s = p.string();
    if (s.rfind("/proc/", 0) == 0 || s.rfind("/dev/fd/", 0) == 0) via_descriptor = true;
    std::error_code ec;
    if (!fs::is_symlink(p, ec)) return p;
    fs::path target = fs::read_symlink(p, ec);
    if (ec) return p;
    p = target.is_absolute() ? target : p.parent_path() / target;
  }
  return p;
}

std::string random_suffix() {
  std::random_device rd;
  return fmt::format("{:08x}", static_cast<unsigned>(rd()));
}

}  // namespace

OutputFile OutputFile::open(const std::string& path, unsigned mode) {
  OutputFile f;
  f.path_ = path;
  f.done_ = false;
  if (path == "-") {
    std::fflush(nullptr);  // whatever stdio holds for stdout goes first
    f.kind_ = OutputKind::standard_output;
    f.fd_ = STDOUT_FILENO;
    return f;
  }
  EH_CHECK(!path.empty(), "OutputFile: empty path");
  bool via_descriptor = false;
  const fs::path resolved = resolve_links(path, via_descriptor);
  struct stat st {};
  const bool exists = ::stat(path.c_str(), &st) == 0;
  if (!exists && errno != ENOENT) {
    throw IOError(fmt::format("{}: cannot open for writing: {}", path, errno_text(errno)));
  }
  if (exists && S_ISDIR(st.st_mode)) throw IOError(fmt::format("{}: cannot write: it is a directory", path));
  if (exists && (!S_ISREG(st.st_mode) || via_descriptor)) {
    // A device, FIFO or terminal, or the file behind /dev/stdout: written where it is. Appending
    // keeps what the process already wrote to a redirected standard output.
    f.kind_ = OutputKind::in_place;
    const int flags = O_WRONLY | O_CLOEXEC | (S_ISREG(st.st_mode) ? O_APPEND : 0);
    f.fd_ = ::open(path.c_str(), flags);
    if (f.fd_ < 0) throw IOError(fmt::format("{}: cannot open for writing: {}", path, errno_text(errno)));
    return f;
  }
  if (exists && ::access(resolved.c_str(), W_OK) != 0) {
    throw IOError(fmt::format("{}: cannot open for writing: {}", path, errno_text(errno)));
  }
  f.kind_ = OutputKind::replace;
  f.target_ = resolved.string();
  const fs::path dir = resolved.has_parent_path() ? resolved.parent_path() : fs::path(".");
  const std::string name = resolved.filename().string();
  // First choice: an unnamed file in the target's directory (O_TMPFILE), given a name only at
  // commit(), so a run killed while writing leaves nothing behind. Filesystems without it
  // (EOPNOTSUPP, EISDIR on old kernels) and systems without /proc get a named hidden file.
  f.dir_ = dir.string();
  f.name_ = name;
  if (::access("/proc/self/fd", X_OK) == 0) {
    f.fd_ = ::open(f.dir_.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, static_cast<mode_t>(mode));
  }
  for (int attempt = 0; attempt < 100 && f.fd_ < 0; ++attempt) {
    f.temp_ = (dir / fmt::format(".{}.{}.part", name, random_suffix())).string();
    f.fd_ = ::open(f.temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, static_cast<mode_t>(mode));
    if (f.fd_ < 0 && errno != EEXIST) {
      throw IOError(fmt::format("{}: cannot open for writing (a temporary file in {} is needed): {}", path,
                                dir.string(), errno_text(errno)));
    }
  }
  if (f.fd_ < 0) throw IOError(fmt::format("{}: cannot create a temporary file in {}", path, dir.string()));
  if (exists) (void)::fchmod(f.fd_, st.st_mode & 07777);  // the replaced file's permissions stay
  return f;
}

OutputFile::OutputFile(OutputFile&& o) noexcept
    : path_(std::move(o.path_)),
      target_(std::move(o.target_)),
      temp_(std::move(o.temp_)),
      dir_(std::move(o.dir_)),
      name_(std::move(o.name_)),
      fd_(std::exchange(o.fd_, -1)),
      kind_(o.kind_),
      done_(std::exchange(o.done_, true)) {}

OutputFile& OutputFile::operator=(OutputFile&& o) noexcept {
  if (this != &o) {
    discard();
    path_ = std::move(o.path_);
    target_ = std::move(o.target_);
    temp_ = std::move(o.temp_);
    dir_ = std::move(o.dir_);
    name_ = std::move(o.name_);
    fd_ = std::exchange(o.fd_, -1);
    kind_ = o.kind_;
    done_ = std::exchange(o.done_, true);
  }
  return *this;
}

OutputFile::~OutputFile() { discard(); }

void OutputFile::discard() noexcept {
  if (done_) return;
  done_ = true;
  if (fd_ >= 0 && kind_ != OutputKind::standard_output) ::close(fd_);
  fd_ = -1;
  if (kind_ == OutputKind::replace && !temp_.empty()) ::unlink(temp_.c_str());
}

void OutputFile::write(std::string_view bytes) {
  if (done_) throw StateError(fmt::format("{}: write after the file was finished", path_));
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw IOError(fmt::format("{}: write failed: {}", path_, errno_text(errno)));
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

void OutputFile::commit() {
  if (done_) return;
  try {
    if (kind_ == OutputKind::standard_output) {
      done_ = true;
      return;
    }
    if (kind_ == OutputKind::replace && ::fsync(fd_) != 0) {
      throw IOError(fmt::format("{}: write failed: {}", path_, errno_text(errno)));
    }
    if (kind_ == OutputKind::replace && temp_.empty()) name_unnamed_file();
    const int fd = std::exchange(fd_, -1);
    if (::close(fd) != 0) throw IOError(fmt::format("{}: write failed: {}", path_, errno_text(errno)));
    if (kind_ == OutputKind::replace && ::rename(temp_.c_str(), target_.c_str()) != 0) {
      throw IOError(fmt::format("{}: cannot replace with the finished file: {}", path_, errno_text(errno)));
    }
    done_ = true;
  } catch (...) {
    discard();
    throw;
  }
}

void OutputFile::name_unnamed_file() {
  // The finished unnamed file gets a hidden name beside the target (linkat through /proc, which
  // needs no privilege), then is renamed over it as a named temporary file would be.
  const std::string self = fmt::format("/proc/self/fd/{}", fd_);
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string temp = (fs::path(dir_) / fmt::format(".{}.{}.part", name_, random_suffix())).string();
    if (::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, temp.c_str(), AT_SYMLINK_FOLLOW) == 0) {
      temp_ = std::move(temp);
      return;
    }
    if (errno != EEXIST) {
      throw IOError(fmt::format("{}: cannot name the finished file in {}: {}", path_, dir_, errno_text(errno)));
    }
  }
  throw IOError(fmt::format("{}: cannot name the finished file in {}", path_, dir_));
}

void write_output_file(const std::string& path, std::string_view bytes, unsigned mode) {
  OutputFile f = OutputFile::open(path, mode);
  f.write(bytes);
  f.commit();
}

// ---- distinct inputs and outputs -------------------------------------------------------------

namespace {

struct Identity {
  bool exists = false;  // stat succeeded: dev/ino/mode are valid
  dev_t dev = 0;
  ino_t ino = 0;
  mode_t mode = 0;
  std::string name;     // normalised path, for paths that do not exist
};

Identity identify(std::string_view path, bool input) {
  Identity id;
  struct stat st {};
  bool ok = false;
  if (path == "-") {
    id.name = input ? "<standard input>" : "<standard output>";
    ok = ::fstat(input ? STDIN_FILENO : STDOUT_FILENO, &st) == 0;
  } else {
    const std::string p(path);
    ok = ::stat(p.c_str(), &st) == 0;
    bool via_descriptor = false;
    std::error_code ec;
    const fs::path resolved = resolve_links(p, via_descriptor);
    id.name = fs::weakly_canonical(resolved, ec).string();
    if (ec) id.name = resolved.lexically_normal().string();
  }
  if (ok) {
    id.exists = true;
    id.dev = st.st_dev;
    id.ino = st.st_ino;
    id.mode = st.st_mode;
  }
  return id;
}

bool same_file(const Identity& a, const Identity& b) {
  if (a.exists && b.exists) return a.dev == b.dev && a.ino == b.ino;
  if (!a.exists && !b.exists) return a.name == b.name;
  return false;
}

std::string shown(std::string_view path) {
  return path == "-" ? std::string("standard output") : fmt::format("'{}'", path);
}

}  // namespace

void check_distinct_files(std::string_view fn, const std::vector<FileArg>& inputs,
                          const std::vector<FileArg>& outputs) {
  std::vector<Identity> in_ids, out_ids;
  for (const auto& a : inputs) in_ids.push_back(a.path.empty() ? Identity{} : identify(a.path, true));
  for (const auto& a : outputs) out_ids.push_back(a.path.empty() ? Identity{} : identify(a.path, false));
  for (std::size_t o = 0; o < outputs.size(); ++o) {
    if (outputs[o].path.empty()) continue;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      if (inputs[i].path.empty() || !same_file(out_ids[o], in_ids[i])) continue;
      // A terminal or other device read and written by one run loses nothing.
      if (out_ids[o].exists && (S_ISCHR(out_ids[o].mode) || S_ISBLK(out_ids[o].mode))) continue;
      earlyhelp::detail::throw_error<InvalidArgument>(
          "{}: {} and {} are the same file ({}): writing would destroy the input; write to another file", fn,
          outputs[o].option, inputs[i].option, shown(outputs[o].path));
    }
    for (std::size_t p = 0; p < o; ++p) {
      if (outputs[p].path.empty() || !same_file(out_ids[o], out_ids[p])) continue;
      earlyhelp::detail::throw_error<InvalidArgument>(
          "{}: {} and {} are the same file ({}): two outputs would be mixed in one; give each its own file", fn,
          outputs[p].option, outputs[o].option, shown(outputs[o].path));
    }
  }
}

}  // namespace earlyhelp::io
