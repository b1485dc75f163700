// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Output files that cannot destroy: the one way earlyhelp writes a file (CSV outputs, rejects,
/// reports, model bundles, keys, synthetic extracts).
///
/// Rules, by what the path names:
/// - `-`: standard output, written in place.
/// - an existing file that is not a regular file (a character or block device such as
///   /dev/null, a FIFO, a terminal): opened and written in place; never truncated, replaced,
///   renamed over or removed. Symbolic links are followed (/dev/stdout is a link).
/// - a regular file, or a path that does not exist yet: written to a temporary file in the same
///   directory and renamed over the path by commit(), so the output appears complete or not at
///   all; a file that is never committed (an error, an exception) is removed and whatever was at
///   the path is left as it was. The temporary file is unnamed (O_TMPFILE) until commit() where
///   the filesystem allows, so even a process killed by a signal leaves nothing behind; elsewhere
///   it is a hidden `.<name>.<random>.part` that a killed process leaves for the user to delete. A symbolic link to a regular file keeps being a link: its
///   target is replaced. An existing file keeps its permission bits.
/// - a directory: an IOError.
///
/// check_distinct_files refuses, before anything is opened, an output that is the same file as
/// an input (same path, a symbolic or hard link to it) or as another output.
///
/// Example:
/// ```cpp
/// earlyhelp::io::check_distinct_files("score", {{"--input", in}}, {{"--output", out}});
/// auto f = earlyhelp::io::OutputFile::open(out);
/// f.write("score\n0.25\n");
/// f.commit();  // without it, `out` is left untouched
/// ```

#include "earlyhelp/core/error.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace earlyhelp::io {

/// How an OutputFile reaches its path.
enum class OutputKind {
  standard_output,  ///< "-": the process's standard output
  in_place,         ///< an existing device, FIFO or other non-regular file, written as it is
  replace           ///< a temporary regular file renamed over the path on commit()
};

/// A file being written under the rules of this header. Movable, not copyable.
class OutputFile {
 public:
  /// Opens `path` for writing. For OutputKind::replace nothing at `path` changes until
  /// commit(). A FIFO blocks here until a reader opens it, as any writer would.
  /// @param path "-" for standard output, else a file path
  /// @param mode permission bits of a newly created file (before the umask); an existing
  ///        regular file keeps its own
  /// @throws IOError naming the path when it is a directory or cannot be opened, or when the
  ///         temporary file cannot be created in its directory.
  static OutputFile open(const std::string& path, unsigned mode = 0666);

  OutputFile(OutputFile&& other) noexcept;
  OutputFile& operator=(OutputFile&& other) noexcept;
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  /// Without commit(): removes the temporary file (OutputKind::replace) or just closes.
  ~OutputFile();

  /// Appends bytes. @throws IOError naming the path on a write failure (a full disk).
  void write(std::string_view bytes);
  /// Finishes the file: flushes, syncs and renames the temporary file over the path.
  /// @throws IOError naming the path; the temporary file is then removed.
  void commit();

  const std::string& path() const noexcept { return path_; }
  OutputKind kind() const noexcept { return kind_; }

 private:
  OutputFile() = default;
  void discard() noexcept;
  void name_unnamed_file();
  std::string path_;     // as given (messages)
  std::string target_;   // replace: the path renamed over (symbolic links resolved)
  std::string temp_;     // replace: the named temporary file ("" while the file is unnamed)
  std::string dir_;      // replace: the target's directory (where the temporary file is named)
  std::string name_;     // replace: the target's file name
  int fd_ = -1;
  OutputKind kind_ = OutputKind::replace;
  bool done_ = true;
};

/// Writes `bytes` to `path` through OutputFile: complete or not at all.
/// @throws IOError as OutputFile::open, write and commit.
void write_output_file(const std::string& path, std::string_view bytes, unsigned mode = 0666);

/// A file argument of a run, with the option or parameter that names it in messages.
struct FileArg {
  std::string_view option;  ///< e.g. "--output"
  std::string_view path;    ///< "" = not given (skipped); "-" = standard input / output
};

/// Refuses a run whose writes would destroy an input or mix two outputs, before anything is
/// opened. Two arguments are the same file when they name one inode (the same path, a symbolic
/// or hard link), or, for paths that do not exist yet, the same normalised path; "-" is
/// standard input among inputs and standard output among outputs. A device read and written
/// by one run (a terminal as standard input and output) is not a conflict.
/// @param fn name used in the message, e.g. "validate"
/// @throws InvalidArgument naming both options and the path, e.g. "validate: --output and
///         --input are the same file ('a.csv'): writing would destroy the input".
void check_distinct_files(std::string_view fn, const std::vector<FileArg>& inputs,
                          const std::vector<FileArg>& outputs);

}  // namespace earlyhelp::io
