// SPDX-License-Identifier: Apache-2.0
// Running a module of the earlyhelp Python package as a child process (`report`, and the demo's
// page): the interpreter, the child's environment, spawn and wait.

#include "cli.hpp"
#include "earlyhelp/core/error.hpp"

#include <fmt/format.h>
#include <spawn.h>
#include <unistd.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

extern char** environ;

namespace earlyhelp::cli {

namespace {

/// The interpreter: $EARLYHELP_PYTHON, else the one CMake configured the build with.
std::string python_executable() {
  const char* env = std::getenv("EARLYHELP_PYTHON");
  if (env != nullptr && *env != '\0') return env;
  return EARLYHELP_PYTHON_EXECUTABLE;
}

/// Whether this process runs the binary of the build tree it was built in (not a copy elsewhere,
/// such as the one the pip package installs, which must use the installed package).
bool running_from_build_tree() {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return !ec && std::filesystem::equivalent(self.parent_path(), EARLYHELP_BUILD_BIN_DIR, ec) && !ec;
}

/// The environment of the child: ours, with the build tree's Python package (when this binary runs
/// from a build tree that has one) put first on PYTHONPATH.
std::vector<std::string> child_environment() {
  std::vector<std::string> env;
  std::string pythonpath;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, "PYTHONPATH=", 11) == 0)
      pythonpath = *e + 11;
    else
      env.emplace_back(*e);
  }
  const std::string build_dir = EARLYHELP_BUILD_PYTHON_DIR;
  std::error_code ec;
  if (!build_dir.empty() && running_from_build_tree() && std::filesystem::is_directory(build_dir + "/earlyhelp", ec))
    pythonpath = pythonpath.empty() ? build_dir : build_dir + ":" + pythonpath;
  if (!pythonpath.empty()) env.push_back("PYTHONPATH=" + pythonpath);
  return env;
}

std::vector<char*> pointers(std::vector<std::string>& v) {
  std::vector<char*> p;
  p.reserve(v.size() + 1);
  for (auto& s : v) p.push_back(s.data());
  p.push_back(nullptr);
  return p;
}

/// Runs argv with env and waits; the child's exit status, or exit_internal when it died of a signal.
int spawn_and_wait(std::vector<std::string> argv, std::vector<std::string> env) {
  auto args = pointers(argv);
  auto envp = pointers(env);
  std::fflush(stdout);
  std::fflush(stderr);
  pid_t pid = 0;
  // With --json the child's stdout goes to stderr: stdout carries the summary alone.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (json_summary()) posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO);
  const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0)
    throw Error(fmt::format("report: cannot start the Python interpreter '{}' ({}); set EARLYHELP_PYTHON to a "
                            "Python 3 with numpy, pandas and matplotlib",
                            argv[0], std::strerror(rc)));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR)
      throw Error(fmt::format("report: waiting for the Python process failed ({})", std::strerror(errno)));
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  fmt::print(stderr, "earlyhelp report: the Python process ended by signal {}\n",
             WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  return exit_internal;
}

}  // namespace

int run_python_module(const std::string& module, std::vector<std::string> args) {
  std::vector<std::string> argv = {python_executable(), "-m", module};
  argv.insert(argv.end(), std::make_move_iterator(args.begin()), std::make_move_iterator(args.end()));
  return spawn_and_wait(std::move(argv), child_environment());
}

}  // namespace earlyhelp::cli
