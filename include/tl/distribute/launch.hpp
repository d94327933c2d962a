#pragma once
// A small torchrun for tl programs: starts N local workers of a program with torchrun's variables, so that a
// MultiWorkerMirroredStrategy in it finds its cluster, and stops them all when one fails.
#include <tl/core/config.hpp>

#include <map>
#include <string>
#include <vector>

namespace tl::distribute {

/// torchrun's options that make sense on one machine.
struct LaunchOptions {
  int nproc_per_node = 2;                 ///< number of workers
  std::string master_addr = "127.0.0.1";  ///< where worker 0 serves the rendezvous
  int master_port = 0;                    ///< 0: a free port
  /// Workers other than 0 write their standard output to /dev/null (their standard error stays): tl prints from
  /// worker 0 only anyway, this also quiets what a program prints before it builds its strategy.
  bool quiet_workers = true;
  double timeout_seconds = 0;  ///< 0: none; else every worker still running after it is killed
  double grace_seconds = 5;    ///< after the first failure: SIGTERM to the others, SIGKILL this much later
};

/// Runs `argv` (program and arguments; a program without '/' is searched in PATH) as `nproc_per_node` workers with
/// RANK, LOCAL_RANK, WORLD_SIZE, LOCAL_WORLD_SIZE, MASTER_ADDR and MASTER_PORT set (TF_CONFIG unset), waits for
/// them, and returns 0 when all succeed, else the first failing worker's exit code (128 + signal when killed).
/// When a worker fails the others are stopped, as torchrun does. Says on stderr which worker failed and how.
///   if (!tl::distribute::is_worker_process()) return tl::distribute::launch({argv[0], "data"}, {.nproc_per_node = 2});
int launch(const std::vector<std::string>& argv, const LaunchOptions& options = {});

/// True when this process belongs to a multi-worker job: TF_CONFIG, or RANK and WORLD_SIZE, are set.
bool is_worker_process();

namespace detail {

/// One started process.
struct Child {
  int pid = -1;
  int rank = 0;
};

/// How a process ended.
struct ChildExit {
  int rank = 0;
  int code = 0;          ///< exit status, or 128 + signal number when killed
  double seconds = 0;    ///< from the start of wait_children to its end
  bool killed_by_us = false;
};

/// How one process is started: `set` / `unset` change the environment it inherits; `stdout_path` and
/// `stderr_path` ("" = inherited, "/dev/null" = discarded) receive its output; `die_with_parent`: it gets SIGKILL
/// when this process dies (Linux's PR_SET_PDEATHSIG). `argv[0] == "/proc/self/exe"` re-runs this program.
struct SpawnOptions {
  std::map<std::string, std::string> set;
  std::vector<std::string> unset;
  std::string stdout_path, stderr_path;
  bool die_with_parent = true;
  bool default_signals = false;  ///< SIGINT and SIGTERM back to their default action (a background shell ignores them)
};
Child spawn_child(const std::vector<std::string>& argv, const SpawnOptions& options, int rank);

/// Waits for every child. `timeout_seconds` > 0 bounds the whole wait (the rest get SIGKILL). With
/// `stop_on_failure`, the first child that fails makes the others get SIGTERM, then SIGKILL after `grace_seconds`.
/// Children left stopped (SIGSTOP) once all the others have ended get SIGKILL.
std::vector<ChildExit> wait_children(std::vector<Child> children, double timeout_seconds, bool stop_on_failure,
                                     double grace_seconds);

/// A TCP port that is free on `host` right now (bound to port 0 and read back).
int free_port(const std::string& host = "127.0.0.1");

}  // namespace detail

}  // namespace tl::distribute

#ifdef TL_HEADER_ONLY
#include <tl/distribute/impl/launch-inl.hpp>
#endif
