#pragma once
#include <tl/distribute/launch.hpp>

#include <tl/core/errors.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <thread>

extern char** environ;

namespace tl::distribute {

namespace detail {

TL_INLINE Child spawn_child(const std::vector<std::string>& argv, const SpawnOptions& options, int rank) {
  tl::detail::check(!argv.empty(), "tl.distribute: launch needs a program to run");
  // Everything exec needs is prepared before fork: the child of a threaded process may only make
  // async-signal-safe calls.
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    const std::string entry = *e;
    const auto name = entry.substr(0, entry.find('='));
    if (options.set.count(name) ||
        std::find(options.unset.begin(), options.unset.end(), name) != options.unset.end())
      continue;
    env.push_back(entry);
  }
  for (const auto& [name, value] : options.set) env.push_back(name + "=" + value);
  std::vector<char*> envp, args;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_copy = argv;
  for (auto& a : argv_copy) args.push_back(a.data());
  args.push_back(nullptr);
  const bool search = argv[0].find('/') == std::string::npos;
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error(std::string("tl.distribute: fork failed: ") + std::strerror(errno));
  if (pid == 0) {
    if (options.die_with_parent) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != parent) _exit(127);  // the parent died before prctl
    }
    auto redirect = [](const std::string& path, int fd) {
      if (path.empty()) return;
      const int out = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (out >= 0) dup2(out, fd);  // dup2 clears O_CLOEXEC on the new descriptor
    };
    if (options.default_signals) {
      signal(SIGINT, SIG_DFL);
      signal(SIGTERM, SIG_DFL);
    }
    redirect(options.stdout_path, STDOUT_FILENO);
    redirect(options.stderr_path, STDERR_FILENO);
    const int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, STDIN_FILENO);
    if (search) execvpe(args[0], args.data(), envp.data());
    else execve(args[0], args.data(), envp.data());
    const char* message = "tl.distribute: cannot execute the worker program\n";
    (void)!write(STDERR_FILENO, message, std::strlen(message));
    _exit(127);
  }
  return {static_cast<int>(pid), rank};
}

TL_INLINE std::vector<ChildExit> wait_children(std::vector<Child> children, double timeout_seconds,
                                               bool stop_on_failure, double grace_seconds) {
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - t0).count(); };
  std::vector<ChildExit> exits;
  double stop_at = -1;  // when SIGKILL follows the SIGTERM of a failure
  bool killed_all = false;
  std::vector<int> stopped;  // pids stopped by a signal (SIGSTOP): alive, silent
  while (!children.empty()) {
    bool reaped = false;
    for (auto it = children.begin(); it != children.end(); ++it) {
      int status = 0;
      // Only our children (never another's status); stops and continues too.
      const pid_t pid = waitpid(it->pid, &status, WNOHANG | WUNTRACED | WCONTINUED);
      if (pid == 0) continue;
      if (pid > 0 && (WIFSTOPPED(status) || WIFCONTINUED(status))) {
        stopped.erase(std::remove(stopped.begin(), stopped.end(), it->pid), stopped.end());
        if (WIFSTOPPED(status)) stopped.push_back(it->pid);
        continue;
      }
      ChildExit e{it->rank, pid < 0 ? 127 : WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), elapsed(),
                  stop_at >= 0 || killed_all};
      stopped.erase(std::remove(stopped.begin(), stopped.end(), it->pid), stopped.end());
      children.erase(it);
      exits.push_back(e);
      if (e.code != 0 && stop_on_failure && stop_at < 0) {
        for (const auto& c : children) kill(c.pid, SIGTERM);
        stop_at = elapsed() + grace_seconds;
      }
      reaped = true;
      break;
    }
    if (reaped) continue;
    const bool timed_out = timeout_seconds > 0 && elapsed() > timeout_seconds;
    // A stopped child that only stopped ones wait with would keep everyone waiting until the timeout: kill it.
    const bool only_stopped_left = !stopped.empty() && stopped.size() == children.size() && !exits.empty();
    if ((stop_at >= 0 && elapsed() > stop_at) || (timed_out && !killed_all) || only_stopped_left) {
      for (const auto& c : children) kill(c.pid, SIGKILL);
      for (const auto& c : children) kill(c.pid, SIGCONT);
      killed_all = true;
      stop_at = 1e300;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return exits;
}

TL_INLINE int free_port(const std::string& host) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("tl.distribute: cannot open a socket to find a free port");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = 0;
  inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host.c_str(), &addr.sin_addr);
  socklen_t len = sizeof addr;
  const bool ok = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
                  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  close(fd);
  if (!ok) throw std::runtime_error("tl.distribute: cannot find a free port on " + host);
  return ntohs(addr.sin_port);
}

}  // namespace detail

TL_INLINE bool is_worker_process() {
  auto set = [](const char* name) {
    const char* v = std::getenv(name);
    return v && *v;
  };
  return set("TF_CONFIG") || (set("RANK") && set("WORLD_SIZE"));
}

TL_INLINE int launch(const std::vector<std::string>& argv, const LaunchOptions& options) {
  tl::detail::check(options.nproc_per_node >= 1, "launch: nproc_per_node must be at least 1, got " +
                                                     std::to_string(options.nproc_per_node));
  const int port = options.master_port > 0 ? options.master_port : detail::free_port(options.master_addr);
  std::vector<detail::Child> children;
  for (int rank = 0; rank < options.nproc_per_node; ++rank) {
    detail::SpawnOptions spawn;
    spawn.set = {{"RANK", std::to_string(rank)},
                 {"LOCAL_RANK", std::to_string(rank)},
                 {"WORLD_SIZE", std::to_string(options.nproc_per_node)},
                 {"LOCAL_WORLD_SIZE", std::to_string(options.nproc_per_node)},
                 {"MASTER_ADDR", options.master_addr},
                 {"MASTER_PORT", std::to_string(port)}};
    spawn.unset = {"TF_CONFIG", "TORCHELASTIC_USE_AGENT_STORE"};
    if (options.quiet_workers && rank > 0) spawn.stdout_path = "/dev/null";
    spawn.default_signals = true;
    try {
      children.push_back(detail::spawn_child(argv, spawn, rank));
    } catch (...) {
      for (const auto& c : children) kill(c.pid, SIGKILL);
      detail::wait_children(children, 0, false, 0);
      throw;
    }
  }
  // Ctrl-C in a terminal reaches every worker (one process group): each stops after its current batch, as one
  // process would. The launcher outlives that (its workers die with it) and reports how they ended.
  struct sigaction ignore {}, previous {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  sigaction(SIGINT, &ignore, &previous);
  const auto exits = detail::wait_children(children, options.timeout_seconds, true, options.grace_seconds);
  sigaction(SIGINT, &previous, nullptr);
  int first = 0;
  for (const auto& e : exits) {
    if (e.code == 0) continue;
    std::cerr << "tl.distribute launch: worker " << e.rank << " of " << options.nproc_per_node
              << (e.killed_by_us ? " was stopped" : e.code > 128 ? " was killed by signal " + std::to_string(e.code - 128)
                                                                 : " exited with code " + std::to_string(e.code))
              << " after " << e.seconds << " s" << std::endl;
    if (first == 0 && !e.killed_by_us) first = e.code;
    if (first == 0 && e.killed_by_us && e.code != 0) first = e.code;
  }
  return first;
}

}  // namespace tl::distribute
