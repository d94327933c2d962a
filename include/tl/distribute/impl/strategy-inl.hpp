#pragma once
#include <tl/distribute/strategy.hpp>

#include <tl/core/errors.hpp>
#include <tl/distribute/impl/communicator-inl.hpp>
#include <tl/distribute/impl/replica-inl.hpp>
#include <tl/distribute/launch.hpp>

#include <torch/cuda.h>

#include <signal.h>

#include <fstream>
#include <iostream>

namespace tl::distribute {

namespace detail {

/// A torch device from Keras's or torch's name: "/gpu:1", "GPU:1", "/device:GPU:1", "cuda:1", "cpu", "/cpu:0".
TL_INLINE torch::Device parse_device(const std::string& name) {
  std::string s;
  for (char c : name) s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const std::string prefix : {"/job:localhost/replica:0/task:0", "/device:", "/"})
    if (s.rfind(prefix, 0) == 0) s = s.substr(prefix.size());
  if (s.rfind("device:", 0) == 0) s = s.substr(7);
  const auto colon = s.find(':');
  const std::string kind = s.substr(0, colon);
  int index = 0;
  if (colon != std::string::npos) {
    try {
      index = std::stoi(s.substr(colon + 1));
    } catch (const std::exception&) {
      index = -1;
    }
  }
  tl::detail::check((kind == "cpu" || kind == "gpu" || kind == "cuda") && index >= 0,
                    "MirroredStrategy: unknown device \"" + name + "\"; expected \"/gpu:0\", \"cuda:0\" or \"cpu\"");
  if (kind == "cpu") return torch::kCPU;
  return {torch::kCUDA, static_cast<c10::DeviceIndex>(index)};
}

/// This program's arguments, to start it again (from /proc/self/cmdline).
TL_INLINE std::vector<std::string> own_arguments() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::vector<std::string> args;
  for (std::string arg; std::getline(in, arg, '\0');) args.push_back(arg);
  tl::detail::check(!args.empty(), "MirroredStrategy: cannot read this program's arguments from /proc/self/cmdline");
  args[0] = "/proc/self/exe";
  return args;
}

/// MirroredStrategy's other processes, waited for (bounded) when the strategy goes.
struct MirroredChildren {
  std::vector<Child> children;
  double timeout_seconds = 300;
  ~MirroredChildren() {
    const auto exits = wait_children(children, timeout_seconds, false, 0);
    for (const auto& e : exits)
      if (e.code != 0)
        std::cerr << "tl.distribute: MirroredStrategy's replica " << e.rank
                  << (e.code > 128 ? " was killed by signal " + std::to_string(e.code - 128)
                                   : " exited with code " + std::to_string(e.code))
                  << std::endl;
  }
};

}  // namespace detail

TL_INLINE Strategy::~Strategy() = default;

TL_INLINE int Strategy::num_replicas_in_sync() const { return std::max(1, resolver_.world_size); }

TL_INLINE std::string Strategy::implementation() const {
#if TL_HAVE_C10D
  if (comm_) return comm_->implementation();
#endif
  return "auto";
}

TL_INLINE double Strategy::timeout_seconds() const {
#if TL_HAVE_C10D
  if (comm_) return comm_->timeout().count() / 1000.0;
#endif
  return detail::resolve_timeout({});
}

TL_INLINE CommunicationStats Strategy::stats() const {
#if TL_HAVE_C10D
  if (comm_) return comm_->stats();
#endif
  return {};
}

TL_INLINE Strategy::Scope::Scope(const models::detail::ReplicaFactory* factory)
    : previous_(models::detail::set_replica_factory(factory)) {}

TL_INLINE Strategy::Scope::~Scope() { models::detail::set_replica_factory(previous_); }

TL_INLINE Strategy::Scope Strategy::scope() const {
  const auto* current = models::detail::current_replica_factory();
  const auto* mine = factory_ ? &factory_ : nullptr;
  tl::detail::check(current == nullptr || current == mine,
                    "Mixing different tf.distribute.Strategy objects: a strategy's scope() was entered inside the "
                    "scope of another strategy");
  return Scope(mine);
}

TL_INLINE void Strategy::connect(ClusterResolver resolver, const CommunicationOptions& options, torch::Device device) {
  resolver_ = std::move(resolver);
  detail::resolve_timeout(options);  // a bad timeout or implementation fails here, in every process
  detail::requested_implementation(options);
  if (resolver_.world_size <= 1) return;
#if TL_HAVE_C10D
  auto comm = std::make_shared<detail::Communicator>(resolver_, options, device);
  comm_ = comm;
  factory_ = [comm] { return std::make_shared<detail::Replica>(comm); };
  if (resolver_.rank != 0) quiet_stdout_ = std::make_shared<detail::QuietStdout>();
#else
  (void)device;
  throw DistributedError("tl.distribute: this tl was built without c10d's Gloo backend (it needs USE_C10D_GLOO, "
                         "which find_package(Torch) sets, and gloo's headers: Debian's libgloo-dev, or "
                         "TL_GLOO_INCLUDE_DIR), so it cannot join a cluster of " +
                         std::to_string(resolver_.world_size) + " workers");
#endif
}

TL_INLINE MultiWorkerMirroredStrategy::MultiWorkerMirroredStrategy(const MultiWorkerMirroredStrategyOptions& options) {
  auto resolver = options.cluster_resolver ? *options.cluster_resolver : ClusterResolver::from_environment();
  const bool gpu = torch::cuda::is_available() && static_cast<int>(torch::cuda::device_count()) > resolver.local_rank;
  const auto device = gpu ? torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(resolver.local_rank))
                          : torch::Device(torch::kCPU);
  connect(std::move(resolver), options.communication_options, device);
}

TL_INLINE MirroredStrategy::MirroredStrategy(const MirroredStrategyOptions& options) {
  std::vector<torch::Device> devices;
  for (const auto& d : options.devices) devices.push_back(detail::parse_device(d));
  if (options.devices.empty())
    for (int i = 0; i < static_cast<int>(torch::cuda::device_count()); ++i)
      devices.emplace_back(torch::kCUDA, static_cast<c10::DeviceIndex>(i));
  if (devices.empty()) devices.emplace_back(torch::kCPU);
  for (const auto& d : devices)
    tl::detail::check(!d.is_cuda() || d.index() < static_cast<int>(torch::cuda::device_count()),
                      "MirroredStrategy: " + d.str() + " is not available (" +
                          std::to_string(torch::cuda::device_count()) + " GPU(s) visible)");
  const int n = static_cast<int>(devices.size());
  if (const char* child = std::getenv("TL_MIRRORED_REPLICA"); child && *child) {  // started by replica 0
    auto resolver = ClusterResolver::from_environment();
    tl::detail::check(resolver.world_size == n && resolver.local_rank < n,
                      "MirroredStrategy: this replica was started for " + std::to_string(resolver.world_size) +
                          " devices but the program asks for " + std::to_string(n));
    device_ = devices[static_cast<size_t>(resolver.local_rank)];
    connect(std::move(resolver), options.communication_options, device_);
    return;
  }
  device_ = devices[0];
  ClusterResolver resolver;
  resolver.environment = "MirroredStrategy";
  if (n == 1) {
    connect(resolver, options.communication_options, device_);
    return;
  }
  resolver.world_size = n;
  resolver.master_addr = resolver.own_host = "127.0.0.1";
  resolver.master_port = detail::free_port();
  auto children = std::make_shared<detail::MirroredChildren>();
  children->timeout_seconds = detail::resolve_timeout(options.communication_options);
  const auto argv = detail::own_arguments();
  for (int r = 1; r < n; ++r) {
    detail::SpawnOptions spawn;
    spawn.set = {{"RANK", std::to_string(r)},       {"LOCAL_RANK", std::to_string(r)},
                 {"WORLD_SIZE", std::to_string(n)}, {"LOCAL_WORLD_SIZE", std::to_string(n)},
                 {"MASTER_ADDR", "127.0.0.1"},      {"MASTER_PORT", std::to_string(resolver.master_port)},
                 {"TL_MIRRORED_REPLICA", "1"}};
    spawn.unset = {"TF_CONFIG", "TORCHELASTIC_USE_AGENT_STORE"};
    spawn.stdout_path = "/dev/null";
    children->children.push_back(detail::spawn_child(argv, spawn, r));
  }
  try {
    connect(resolver, options.communication_options, device_);
  } catch (...) {
    for (const auto& c : children->children) kill(c.pid, SIGKILL);
    throw;  // children's destructor reaps them
  }
  children_ = children;
}

TL_INLINE MirroredStrategy::~MirroredStrategy() = default;

}  // namespace tl::distribute
