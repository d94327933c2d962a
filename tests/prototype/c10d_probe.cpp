// c10d_probe: a standalone prototype for tl::distribute (data-parallel fit on PyTorch's c10d runtime).
// It is not part of tl's build or test suite; docs/dev/distributed_research.md records what it measured.
//
// What it shows, with N worker processes on 127.0.0.1 (Gloo backend, CPU):
//   comm     TCPStore rendezvous (rank 0 serves), ProcessGroupGloo with a timeout, broadcast of a parameter
//            list, and all-reduce of a small model's / a ResNet50 head's / a whole ResNet50's gradients three
//            ways: one call per tensor, one call on a flat buffer, one allreduce_coalesced call.
//   train    N steps of SGD(momentum) and Adam on a small MLP, gradients synchronised by "flat" (after
//            backward), "coalesced", "hooks" (per-bucket all-reduce launched from Tensor::register_hook,
//            overlapping backward) or "reducer" (c10d::Reducer, the engine of Python's DDP; -DPROBE_REDUCER):
//            weights equal across workers and equal to one process on the same global batches.
//   die      rank 1 SIGKILLs itself mid-run: what the survivor sees and after how long.
//   hang     rank 1 SIGSTOPs itself (alive, sockets open, silent): the collective timeout path.
//   store    rank 0 (the TCPStore server) dies after rendezvous: store calls and collectives on rank 1.
//   early    rank PROBE_VICTIM (default 0, the store server) joins the store, then dies before the process group.
//   bench    steps/s of a small CNN: "launch 2 bench" (2 workers x 1 thread) vs "single_bench" (1 process x
//            PROBE_THREADS threads) on the same global batches.
// Launch: `c10d_probe launch NPROC MODE [ARGS...]` forks NPROC workers with torchrun's variables (RANK,
// WORLD_SIZE, LOCAL_RANK, MASTER_ADDR=127.0.0.1, MASTER_PORT) and waits for them with a deadline (PROBE_DEADLINE_S,
// default 120 s) after which it SIGKILLs what is left; a rank left alone in SIGSTOP is killed at once.
// Knobs (environment): PROBE_TIMEOUT_MS (5000) store + process-group timeout; PROBE_WAIT_MS Work::wait bound in
// the failure modes; PROBE_ONLY_RANK=r starts rank r alone; PROBE_WAIT_WORKERS=1 uses TCPStore's own waitWorkers
// instead of the explicit join check; PROBE_HIDDEN (64) MLP width; PROBE_DOUBLE=1 float64; PROBE_KILL_AT=k rank 1
// SIGKILLs itself before train step k; PROBE_THREADS (1) intra-op threads; PROBE_REPS (10) comm repetitions.
//   c10d_probe launch 2 comm | launch 2 train adam hooks 20 33 | launch 2 die | launch 2 hang
//
// Build (Debian's LibTorch 1.13.1 + libgloo-dev; run from the repository root; ~30 s):
//   nice g++ -std=c++20 -O2 -DUSE_C10D_GLOO -D_GLIBCXX_USE_CXX11_ABI=1 -I/usr/include/torch/csrc/api/include
//     [-DPROBE_REDUCER -Itests/prototype/stub] tests/prototype/c10d_probe.cpp -o /tmp/c10d_probe
//     -ltorch -ltorch_cpu -lc10 -lpthread            (one command line)
// or with CMake: find_package(Torch) + target_link_libraries(probe PRIVATE ${TORCH_LIBRARIES}) (checked: no flag
// to add by hand). USE_C10D_GLOO must be defined, else ProcessGroupGloo.hpp declares nothing: Debian's
// Caffe2Targets.cmake puts USE_DISTRIBUTED;USE_C10D_GLOO;USE_RPC;USE_TENSORPIPE on torch_cpu's
// INTERFACE_COMPILE_DEFINITIONS. ProcessGroupGloo.hpp includes <gloo/...>: libgloo-dev's headers are required;
// -lgloo is not (libtorch_cpu.so itself links libgloo.so.0). -DPROBE_REDUCER needs tests/prototype/stub: Debian
// leaves out torch/csrc/distributed/autograd/, which c10d/reducer.hpp includes.
// Against a pip wheel's LibTorch 2.x: -I$TORCH/include -I$TORCH/include/torch/csrc/api/include -L$TORCH/lib
// -Wl,-rpath,$TORCH/lib -D_GLIBCXX_USE_CXX11_ABI=<torch.compiled_with_cxx11_abi()>, USE_C10D_GLOO likewise. Gloo is
// linked statically into the wheel's libtorch_cpu.so; its headers are in the wheel's include/ only for wheels
// built since setup.py packages include/**/*.h (2025); for older wheels use the gloo checkout of that release
// (third_party/gloo at the release tag) as the include path. Not built against 2.x here (no wheel on this machine).
#include <torch/torch.h>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#ifdef PROBE_REDUCER
#include <torch/csrc/distributed/c10d/reducer.hpp>
#endif

#include <cxxabi.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <memory>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#if !defined(USE_C10D_GLOO)
#error "define USE_C10D_GLOO (ProcessGroupGloo.hpp declares nothing without it)"
#endif

// ---- The 1.13 / 2.x shim (see docs/dev/distributed_research.md, "Compatibility shim") -----------------------
namespace shim {
#if TORCH_VERSION_MAJOR >= 2
using Backend = c10d::Backend;  // 2.x: ProcessGroupGloo derives from Backend; ProcessGroup is a dispatcher
#else
using Backend = c10d::ProcessGroup;  // 1.13: ProcessGroupGloo derives from ProcessGroup
#endif

/// A Gloo process group on `store` bound to `host`'s interface, with one timeout for every collective.
inline c10::intrusive_ptr<c10d::ProcessGroupGloo> make_gloo(const c10::intrusive_ptr<c10d::Store>& store, int rank,
                                                           int world, std::chrono::milliseconds timeout,
                                                           const std::string& host, int threads = 2) {
  auto options = c10d::ProcessGroupGloo::Options::create(timeout);
  options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname(host));
  options->threads = threads;
  return c10::make_intrusive<c10d::ProcessGroupGloo>(store, rank, world, options);
}

/// What c10d::Reducer takes: in 1.13 the Gloo group itself; in 2.x a ProcessGroup with the Gloo backend set.
inline c10::intrusive_ptr<c10d::ProcessGroup> as_process_group(const c10::intrusive_ptr<c10d::ProcessGroupGloo>& gloo,
                                                               const c10::intrusive_ptr<c10d::Store>& store, int rank,
                                                               int world) {
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 6)
  // ProcessGroup::Options is gone (pytorch#132931, relanded as #135653 in Sept 2024): the default backend is set.
  auto pg = c10::make_intrusive<c10d::ProcessGroup>(store, rank, world);
  pg->setDefaultBackend(c10d::ProcessGroup::BackendType::GLOO);
#elif TORCH_VERSION_MAJOR == 2
  auto pg = c10::make_intrusive<c10d::ProcessGroup>(
      store, rank, world, c10::make_intrusive<c10d::ProcessGroup::Options>("gloo", gloo->getOptions()->timeout));
#endif
#if TORCH_VERSION_MAJOR >= 2
  const c10::intrusive_ptr<c10d::Backend> backend = gloo;  // setBackend takes an optional<intrusive_ptr<Backend>>
  pg->setBackend(c10::DeviceType::CPU, c10d::ProcessGroup::BackendType::GLOO, backend);
  return pg;
#else
  (void)store, (void)rank, (void)world;
  return gloo;
#endif
}
}  // namespace shim

// ---- small helpers --------------------------------------------------------------------------------------------
using Clock = std::chrono::steady_clock;
static double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}
static int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoi(v) : fallback;
}
static std::string env_str(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}
static std::string current_exception_type() {
  int status = 0;
  const auto* type = abi::__cxa_current_exception_type();
  if (!type) return "?";
  char* name = abi::__cxa_demangle(type->name(), nullptr, nullptr, &status);
  std::string out = status == 0 && name ? name : type->name();
  std::free(name);
  return out;
}
static std::string first_line(const std::string& s, size_t max = 400) {
  auto line = s.substr(0, s.find('\n'));
  return line.size() > max ? line.substr(0, max) + "..." : line;
}

struct Env {
  int rank = 0, world = 1, local_rank = 0;
  std::string host = "127.0.0.1";
  int port = 29500;
  std::chrono::milliseconds timeout{5000};
};
static Env read_env() {
  Env e;
  e.rank = env_int("RANK", 0);
  e.world = env_int("WORLD_SIZE", 1);
  e.local_rank = env_int("LOCAL_RANK", e.rank);
  e.host = env_str("MASTER_ADDR", "127.0.0.1");
  e.port = env_int("MASTER_PORT", 29500);
  e.timeout = std::chrono::milliseconds(env_int("PROBE_TIMEOUT_MS", 5000));
  return e;
}

#define SAY(e, ...)                                                              \
  do {                                                                           \
    std::ostringstream _s;                                                       \
    _s << "[rank " << (e).rank << "] " << __VA_ARGS__ << "\n";                   \
    std::cout << _s.str() << std::flush;                                         \
  } while (0)

/// Every worker announces itself under its own key, then waits (bounded) for all the others; the error names
/// the workers that never came, which neither TCPStore nor Gloo does.
static void join_or_throw(c10d::Store& store, const Env& e, Clock::time_point t0) {
  store.set("tl/joined/" + std::to_string(e.rank), std::vector<uint8_t>{1});
  while (true) {
    std::vector<int> missing;
    for (int r = 0; r < e.world; ++r)
      if (!store.check({"tl/joined/" + std::to_string(r)})) missing.push_back(r);
    if (missing.empty()) return;
    if (Clock::now() - t0 > e.timeout) {
      std::string list;
      for (int r : missing) list += (list.empty() ? "" : ", ") + std::to_string(r);
      throw std::runtime_error("tl.distribute: worker(s) " + list + " of " + std::to_string(e.world) +
                               " did not join the rendezvous at " + e.host + ":" + std::to_string(e.port) +
                               " within " + std::to_string(e.timeout.count() / 1000.0).substr(0, 4) +
                               " s (the timeout). Check that every worker was started with the same cluster.");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

struct Group {
  c10::intrusive_ptr<c10d::TCPStore> store;
  c10::intrusive_ptr<c10d::ProcessGroupGloo> pg;
  double store_s = 0, pg_s = 0;
};

/// torchrun's rendezvous: rank 0 serves a TCPStore on MASTER_ADDR:MASTER_PORT, everyone (rank 0 too) is a
/// client; the constructor returns once WORLD_SIZE clients have connected, or throws after `timeout`.
static Group rendezvous(const Env& e) {
  Group g;
  auto t0 = Clock::now();
  c10d::TCPStoreOptions so;
  so.port = static_cast<std::uint16_t>(e.port);
  so.isServer = e.rank == 0;
  so.numWorkers = static_cast<std::size_t>(e.world);
  // PROBE_WAIT_WORKERS=1 lets the server's constructor wait for the clients itself: in 1.13 it then returns
  // *silently* after timeout + 1 s when one is missing, and the failure only shows later as Gloo's "Socket
  // Timeout" (2 x timeout + 1 s in all). The default here is tl's design: no waitWorkers, then an explicit
  // join check on the store that names the missing workers and fires after one timeout.
  const bool c10d_waits = env_int("PROBE_WAIT_WORKERS", 0) != 0;
  so.waitWorkers = c10d_waits;
  so.timeout = e.timeout;
  try {
    g.store = c10::make_intrusive<c10d::TCPStore>(e.host, so);
  } catch (const std::exception& x) {
    SAY(e, "TCPStore(" << (so.isServer ? "server" : "client") << ") threw after " << seconds_since(t0) << " s");
    throw;
  }
  if (!c10d_waits) join_or_throw(*g.store, e, t0);
  g.store_s = seconds_since(t0);
  t0 = Clock::now();
  // A PrefixStore keeps this group's keys apart from other groups (and from a restarted attempt).
  auto prefixed = c10::make_intrusive<c10d::PrefixStore>("tl/0", g.store);
  try {
    g.pg = shim::make_gloo(prefixed, e.rank, e.world, e.timeout, e.host);
  } catch (const std::exception& x) {
    SAY(e, "ProcessGroupGloo() threw after " << seconds_since(t0) << " s (store took " << g.store_s << " s)");
    throw;
  }
  g.pg_s = seconds_since(t0);
  return g;
}

/// Waits for a collective, bounded: the Gloo timeout ends a collective whose peer is silent; wait(timeout)
/// bounds the caller too (1.13's Work::wait throws "Operation timed out!" past it).
static void wait_bounded(const c10::intrusive_ptr<c10d::Work>& w, std::chrono::milliseconds timeout) {
  w->wait(timeout);
}

// ---- parameter sets for the comm benchmark --------------------------------------------------------------------
static std::vector<torch::Tensor> make_tensors(const std::vector<std::vector<int64_t>>& shapes) {
  std::vector<torch::Tensor> out;
  for (const auto& s : shapes) out.push_back(torch::randn(s));
  return out;
}
static std::vector<std::vector<int64_t>> small_model_shapes() {  // the train mode's MLP: 20-64-64-5
  return {{64, 20}, {64}, {64, 64}, {64}, {5, 64}, {5}};
}
static std::vector<std::vector<int64_t>> resnet50_head_shapes() {  // Keras's include_top head: Dense(2048 -> 1000)
  return {{2048, 1000}, {1000}};
}
static std::vector<std::vector<int64_t>> resnet50_shapes() {  // torchvision resnet50's 161 parameters (25.56 M)
  std::vector<std::vector<int64_t>> s{{64, 3, 7, 7}, {64}, {64}};
  int64_t in = 64;
  const int blocks[] = {3, 4, 6, 3};
  for (int stage = 0; stage < 4; ++stage) {
    const int64_t w = 64LL << stage;
    for (int b = 0; b < blocks[stage]; ++b) {
      s.push_back({w, in, 1, 1}), s.push_back({w}), s.push_back({w});
      s.push_back({w, w, 3, 3}), s.push_back({w}), s.push_back({w});
      s.push_back({4 * w, w, 1, 1}), s.push_back({4 * w}), s.push_back({4 * w});
      if (b == 0) s.push_back({4 * w, in, 1, 1}), s.push_back({4 * w}), s.push_back({4 * w});
      in = 4 * w;
    }
  }
  s.push_back({1000, 2048}), s.push_back({1000});
  return s;
}
static int64_t numel_of(const std::vector<torch::Tensor>& ts) {
  int64_t n = 0;
  for (const auto& t : ts) n += t.numel();
  return n;
}

static double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// ---- mode: comm --------------------------------------------------------------------------------------------------
static int mode_comm(const Env& e) {
  auto t0 = Clock::now();
  auto g = rendezvous(e);
  SAY(e, "rendezvous: TCPStore " << g.store_s * 1e3 << " ms, ProcessGroupGloo " << g.pg_s * 1e3 << " ms, total "
                                 << seconds_since(t0) * 1e3 << " ms (timeout " << e.timeout.count() << " ms)");
  const auto T = e.timeout;

  // Broadcast of a parameter list. Gloo's broadcast takes one tensor per *device*, all of one size: a list of
  // differently-shaped parameters is rejected. Either one call per tensor, or one flat buffer.
  torch::manual_seed(100 + e.rank);  // different initial weights on every rank
  auto params = make_tensors(small_model_shapes());
  try {
    auto w = g.pg->broadcast(params, c10d::BroadcastOptions{0, 0, T});
    wait_bounded(w, T);
    SAY(e, "broadcast(list of 6 shapes): accepted");
  } catch (...) {
    std::string what;
    try { throw; } catch (const std::exception& x) { what = x.what(); }
    SAY(e, "broadcast(list of 6 shapes) rejected: " << current_exception_type() << ": " << first_line(what));
  }
  {
    auto flat = at::flatten_dense_tensors(params);
    std::vector<torch::Tensor> one{flat};
    auto b0 = Clock::now();
    wait_bounded(g.pg->broadcast(one, c10d::BroadcastOptions{0, 0, T}), T);
    const double ms = seconds_since(b0) * 1e3;
    auto views = at::unflatten_dense_tensors(flat, params);
    for (size_t i = 0; i < params.size(); ++i) params[i].copy_(views[i]);
    // Check: rank 0's weights everywhere (all-reduce MAX and MIN of the flat buffer must agree).
    auto mx = flat.clone(), mn = flat.clone();
    std::vector<torch::Tensor> vmx{mx}, vmn{mn};
    wait_bounded(g.pg->allreduce(vmx, c10d::AllreduceOptions{c10d::ReduceOp::MAX, T}), T);
    wait_bounded(g.pg->allreduce(vmn, c10d::AllreduceOptions{c10d::ReduceOp::MIN, T}), T);
    SAY(e, "broadcast(flat " << flat.numel() * 4 << " B) " << ms << " ms; equal on all ranks: "
                             << (mx.equal(mn) ? "yes" : "NO"));
  }
  {
    std::vector<torch::Tensor> per(params.begin(), params.end());
    auto b0 = Clock::now();
    std::vector<c10::intrusive_ptr<c10d::Work>> works;
    for (auto& p : per) {
      std::vector<torch::Tensor> one{p};
      works.push_back(g.pg->broadcast(one, c10d::BroadcastOptions{0, 0, T}));
    }
    for (auto& w : works) wait_bounded(w, T);
    SAY(e, "broadcast(6 calls, one per tensor) " << seconds_since(b0) * 1e3 << " ms");
  }

  // All-reduce of gradients three ways.
  const int reps = env_int("PROBE_REPS", 10);
  struct Set {
    const char* name;
    std::vector<std::vector<int64_t>> shapes;
  };
  for (const auto& set : {Set{"small MLP", small_model_shapes()}, Set{"ResNet50 head", resnet50_head_shapes()},
                          Set{"ResNet50 (all)", resnet50_shapes()}}) {
    torch::manual_seed(7 + e.rank);
    auto grads = make_tensors(set.shapes);
    const int64_t bytes = numel_of(grads) * 4;
    const int r = bytes > (50 << 20) ? std::max(3, reps / 3) : reps;
    std::vector<double> per_tensor, flat_ms, coalesced;
    // Reference: the exact sum, to check each variant.
    for (int i = 0; i < r + 1; ++i) {
      {
        auto copy = grads;
        for (auto& t : copy) t = t.clone();
        auto b0 = Clock::now();
        std::vector<c10::intrusive_ptr<c10d::Work>> works;
        for (auto& t : copy) {
          std::vector<torch::Tensor> one{t};
          works.push_back(g.pg->allreduce(one, c10d::AllreduceOptions{c10d::ReduceOp::SUM, T}));
        }
        for (auto& w : works) wait_bounded(w, T);
        if (i) per_tensor.push_back(seconds_since(b0) * 1e3);
      }
      {
        auto b0 = Clock::now();
        auto flat = at::flatten_dense_tensors(grads);  // one copy in
        std::vector<torch::Tensor> one{flat};
        wait_bounded(g.pg->allreduce(one, c10d::AllreduceOptions{c10d::ReduceOp::SUM, T}), T);
        auto out = at::unflatten_dense_tensors(flat, grads);  // views; one copy out when assigned
        if (i) flat_ms.push_back(seconds_since(b0) * 1e3);
      }
      {
        auto copy = grads;
        for (auto& t : copy) t = t.clone();
        auto b0 = Clock::now();
        c10d::AllreduceCoalescedOptions co;
        co.reduceOp = c10d::ReduceOp::SUM;
        co.timeout = T;
        wait_bounded(g.pg->allreduce_coalesced(copy, co), T);
        if (i) coalesced.push_back(seconds_since(b0) * 1e3);
      }
    }
    SAY(e, "allreduce " << set.name << ": " << grads.size() << " tensors, " << bytes << " B | per-tensor "
                        << median(per_tensor) << " ms | flat buffer " << median(flat_ms) << " ms | coalesced "
                        << median(coalesced) << " ms (median of " << r << ")");
  }
  // A barrier (a small all-reduce) before leaving, so nobody tears down while a peer is mid-collective.
  wait_bounded(g.pg->barrier(), T);
  return 0;
}

// ---- mode: train ---------------------------------------------------------------------------------------------
struct Mlp : torch::nn::Module {
  torch::nn::Linear l1{nullptr}, l2{nullptr}, l3{nullptr};
  explicit Mlp(int64_t in = 20, int64_t hidden = env_int("PROBE_HIDDEN", 64), int64_t out = 5) {
    l1 = register_module("l1", torch::nn::Linear(in, hidden));
    l2 = register_module("l2", torch::nn::Linear(hidden, hidden));
    l3 = register_module("l3", torch::nn::Linear(hidden, out));
  }
  torch::Tensor forward(torch::Tensor x) { return l3(torch::relu(l2(torch::relu(l1(x))))); }
};

static torch::Tensor flat_params(torch::nn::Module& m) {
  std::vector<torch::Tensor> ps;
  for (auto& p : m.parameters()) ps.push_back(p.detach());
  return at::flatten_dense_tensors(ps);
}

static std::unique_ptr<torch::optim::Optimizer> make_optimizer(const std::string& which, torch::nn::Module& m) {
  if (which == "adam") return std::make_unique<torch::optim::Adam>(m.parameters(), torch::optim::AdamOptions(1e-2));
  return std::make_unique<torch::optim::SGD>(m.parameters(), torch::optim::SGDOptions(0.1).momentum(0.9));
}

/// Rank r's contiguous slice of n samples: sizes differ by at most one (n = 33, 2 workers: 17 + 16).
static std::pair<int64_t, int64_t> slice_of(int64_t n, int rank, int world) {
  const int64_t base = n / world, extra = n % world;
  const int64_t begin = rank * base + std::min<int64_t>(rank, extra);
  return {begin, base + (rank < extra ? 1 : 0)};
}

/// Per-bucket all-reduce launched from parameter hooks while backward still runs: each parameter's hook copies
/// its (pre-scaled) gradient into its bucket's flat buffer; the last parameter of a bucket to arrive launches
/// that bucket's all-reduce. finish() waits (bounded) and writes the summed gradients into .grad.
class HookSync {
 public:
  HookSync(std::vector<torch::Tensor> params, c10::intrusive_ptr<c10d::ProcessGroupGloo> pg,
           std::chrono::milliseconds timeout, int64_t bucket_bytes)
      : params_(std::move(params)), pg_(std::move(pg)), timeout_(timeout) {
    // Buckets in reverse parameter order: backward produces the last layer's gradients first.
    int64_t bytes = bucket_bytes;
    for (int i = int(params_.size()) - 1; i >= 0; --i) {
      if (bytes >= bucket_bytes) buckets_.emplace_back(), bytes = 0;
      buckets_.back().members.push_back(i);
      bytes += params_[i].numel() * 4;
    }
    where_.resize(params_.size());
    for (size_t b = 0; b < buckets_.size(); ++b) {
      auto& bk = buckets_[b];
      int64_t n = 0;
      for (int i : bk.members) where_[i] = {int(b), n}, n += params_[i].numel();
      bk.flat = torch::zeros({n});
    }
    for (size_t i = 0; i < params_.size(); ++i)
      handles_.push_back(params_[i].register_hook([this, i](torch::Tensor grad) { on_grad(i, grad); }));
  }
  ~HookSync() {
    for (size_t i = 0; i < params_.size(); ++i) params_[i].remove_hook(handles_[i]);
  }
  void begin(double scale) {
    scale_ = scale;
    for (auto& b : buckets_) b.arrived = 0, b.work.reset();
  }
  void finish() {
    for (auto& b : buckets_) {
      TORCH_CHECK(b.work, "HookSync: a bucket never became ready (unused parameter?)");
      wait_bounded(b.work, timeout_);
    }
    for (size_t i = 0; i < params_.size(); ++i) {
      const auto [b, off] = where_[i];
      params_[i].mutable_grad() = buckets_[b].flat.narrow(0, off, params_[i].numel()).view_as(params_[i]).clone();
    }
  }
  int launched_in_backward = 0;

 private:
  void on_grad(size_t i, const torch::Tensor& grad) {
    const auto [b, off] = where_[i];
    auto& bk = buckets_[b];
    bk.flat.narrow(0, off, grad.numel()).copy_(grad.reshape(-1)).mul_(scale_);
    if (++bk.arrived == int(bk.members.size())) {
      std::vector<torch::Tensor> one{bk.flat};
      bk.work = pg_->allreduce(one, c10d::AllreduceOptions{c10d::ReduceOp::SUM, timeout_});
      ++launched_in_backward;
    }
  }
  struct Bucket {
    std::vector<int> members;
    torch::Tensor flat;
    int arrived = 0;
    c10::intrusive_ptr<c10d::Work> work;
  };
  std::vector<torch::Tensor> params_;
  c10::intrusive_ptr<c10d::ProcessGroupGloo> pg_;
  std::chrono::milliseconds timeout_;
  std::vector<Bucket> buckets_;
  std::vector<std::pair<int, int64_t>> where_;
  std::vector<unsigned> handles_;
  double scale_ = 1;
};

/// Runs `steps` steps of `opt_name` with gradient sync `sync` on global batches of `global_batch`; returns the
/// max |w - reference| where the reference is one process training on the whole global batches.
static int mode_train(const Env& e, const std::string& opt_name, const std::string& sync, int steps,
                      int64_t global_batch) {
  auto g = rendezvous(e);
  const auto T = e.timeout;
  // The data: identical on every worker (same seed), as flow_from_directory with one seed would be.
  torch::manual_seed(1234);
  const auto X = torch::randn({steps * global_batch, 20});
  const auto Y = torch::randint(0, 5, {steps * global_batch}, torch::kLong);

  // Reference: one process, rank 0's initial weights, the whole global batch per step.
  torch::manual_seed(100);
  auto ref = std::make_shared<Mlp>();
  auto ref_opt = make_optimizer(opt_name, *ref);
  for (int s = 0; s < steps; ++s) {
    auto x = X.narrow(0, s * global_batch, global_batch), y = Y.narrow(0, s * global_batch, global_batch);
    ref_opt->zero_grad();
    torch::nn::functional::cross_entropy(ref->forward(x), y).backward();
    ref_opt->step();
  }

  // The replica: different initial weights on purpose (seed 100 + rank), then rank 0's broadcast.
  torch::manual_seed(100 + e.rank);
  auto model = std::make_shared<Mlp>();
  std::vector<torch::Tensor> params;
  for (auto& p : model->parameters()) params.push_back(p);
  {
    torch::NoGradGuard ng;
    auto flat = flat_params(*model);
    std::vector<torch::Tensor> one{flat};
    wait_bounded(g.pg->broadcast(one, c10d::BroadcastOptions{0, 0, T}), T);
    auto views = at::unflatten_dense_tensors(flat, params);
    for (size_t i = 0; i < params.size(); ++i) params[i].copy_(views[i]);
  }
  auto opt = make_optimizer(opt_name, *model);
  std::unique_ptr<HookSync> hooks;
  if (sync == "hooks") hooks = std::make_unique<HookSync>(params, g.pg, T, /*bucket_bytes=*/4096);
#ifdef PROBE_REDUCER
  std::unique_ptr<c10d::Reducer> reducer;
  if (sync == "reducer") {
    std::vector<bool> sparse(params.size(), false);
    const int64_t cap = 4096;  // tiny buckets so that the MLP has several (DDP's default is 25 MiB)
    auto [buckets, limits] = c10d::compute_bucket_assignment_by_size(params, {size_t(1024), size_t(cap)}, sparse,
                                                                      {}, c10::nullopt);
    std::reverse(buckets.begin(), buckets.end());  // as DDP: the last layers' gradients are ready first
    std::reverse(limits.begin(), limits.end());
    std::unordered_map<size_t, std::string> names;
    reducer = std::make_unique<c10d::Reducer>(params, buckets, limits, shim::as_process_group(g.pg, g.store, e.rank,
                                                                                              e.world),
                                              sparse, cap, /*find_unused_parameters=*/false,
                                              /*gradient_as_bucket_view=*/false, names, /*first_bucket_bytes=*/1024);
    SAY(e, "reducer: " << buckets.size() << " buckets");
  }
#else
  TORCH_CHECK(sync != "reducer", "rebuild with -DPROBE_REDUCER -Itests/prototype/stub for the reducer mode");
#endif

  double sync_ms = 0, step_ms = 0;
  int64_t bytes_per_step = numel_of(params) * 4;
  const int kill_at = env_int("PROBE_KILL_AT", -1);  // rank 1 SIGKILLs itself before this step
  for (int s = 0; s < steps; ++s) {
    if (s == kill_at && e.rank == 1) raise(SIGKILL);
    const auto s0 = Clock::now();
    // Each worker takes its own slice of the global batch (sizes may differ by one).
    const auto [begin, n] = slice_of(global_batch, e.rank, e.world);
    auto x = X.narrow(0, s * global_batch + begin, n), y = Y.narrow(0, s * global_batch + begin, n);
    opt->zero_grad();
    // The global mean loss is sum over workers of (n_local / n_global) * local mean: scaling each worker's
    // gradient by n_local / n_global and summing gives exactly one process's gradient, for uneven slices too.
    const double weight = double(n) / double(global_batch);
#ifdef PROBE_REDUCER
    if (reducer) {
      reducer->rebuild_buckets();  // a collective after the first step, as DDP.forward calls it
      reducer->prepare_for_forward();
    }
#endif
    auto out = model->forward(x);
    auto loss = torch::nn::functional::cross_entropy(out, y);
    if (hooks) hooks->begin(weight);
#ifdef PROBE_REDUCER
    if (reducer) {
      reducer->prepare_for_backward({});  // find_unused_parameters=false
      loss = loss * (weight * e.world);   // the Reducer divides the sum by the world size
    }
#endif
    try {
      loss.backward();
    } catch (const std::exception& x) {  // the Reducer's collectives fail inside backward
      SAY(e, "step " << s << ": backward threw after " << seconds_since(s0) << " s: " << current_exception_type()
                     << ": " << first_line(x.what()));
      return 2;
    }
    auto b0 = Clock::now();
    try {
    if (sync == "flat") {
      std::vector<torch::Tensor> grads;
      for (auto& p : params) grads.push_back(p.grad() * weight);
      auto flat = at::flatten_dense_tensors(grads);
      std::vector<torch::Tensor> one{flat};
      wait_bounded(g.pg->allreduce(one, c10d::AllreduceOptions{c10d::ReduceOp::SUM, T}), T);
      auto views = at::unflatten_dense_tensors(flat, grads);
      for (size_t i = 0; i < params.size(); ++i) params[i].mutable_grad().copy_(views[i]);
    } else if (sync == "coalesced") {
      std::vector<torch::Tensor> grads;
      for (auto& p : params) grads.push_back(p.mutable_grad().mul_(weight));
      c10d::AllreduceCoalescedOptions co;
      co.reduceOp = c10d::ReduceOp::SUM;
      co.timeout = T;
      wait_bounded(g.pg->allreduce_coalesced(grads, co), T);  // in place on the .grad tensors
    } else if (hooks) {
      hooks->finish();
    }
    // reducer: finalize_backward already wrote the averaged gradients into .grad at the end of backward.
    } catch (const std::exception& x) {
      SAY(e, "step " << s << ": gradient sync threw after " << seconds_since(b0) << " s: " << current_exception_type()
                     << ": " << first_line(x.what()));
      return 2;
    }
    sync_ms += seconds_since(b0) * 1e3;
    opt->step();
    if (s >= 2) step_ms += seconds_since(s0) * 1e3;  // steps 0-1 warm up (and rebuild the Reducer's buckets)
  }

  torch::NoGradGuard ng;
  auto mine = flat_params(*model);
  auto r0 = mine.clone();
  std::vector<torch::Tensor> one{r0};
  wait_bounded(g.pg->broadcast(one, c10d::BroadcastOptions{0, 0, T}), T);
  const double vs_rank0 = (mine - r0).abs().max().item<double>();
  const double vs_ref = (mine - flat_params(*ref)).abs().max().item<double>();
  SAY(e, "train " << opt_name << "/" << sync << " steps=" << steps << " global_batch=" << global_batch
                  << " slice=" << slice_of(global_batch, e.rank, e.world).second << ": max|w - w_rank0| = "
                  << vs_rank0 << ", max|w - one process| = " << vs_ref << (vs_ref <= 1e-5 ? " (<= 1e-5 OK)" : " (FAIL)")
                  << ", wait after backward " << sync_ms / steps << " ms/step, whole step "
                  << (steps > 2 ? step_ms / (steps - 2) : 0.0) << " ms, " << bytes_per_step
                  << " B all-reduced/step" << (hooks ? ", buckets launched inside backward: " +
                                                           std::to_string(hooks->launched_in_backward) : ""));
  wait_bounded(g.pg->barrier(), T);
  return vs_ref <= 1e-5 && vs_rank0 == 0 ? 0 : 1;
}

// ---- failure modes ---------------------------------------------------------------------------------------------
/// Runs all-reduces of 1 MiB until one throws; rank `victim` does `act` before step `at`.
static int mode_fail(const Env& e, const std::string& what) {
  Group g;
  auto t0 = Clock::now();
  try {
    if (what == "early" && e.rank == env_int("PROBE_VICTIM", 0)) {
      // Store connected (rank 0: the server), then this process dies before the process group exists.
      c10d::TCPStoreOptions so;
      so.port = static_cast<std::uint16_t>(e.port);
      so.isServer = e.rank == 0;
      so.numWorkers = static_cast<std::size_t>(e.world);
      so.waitWorkers = false;
      so.timeout = e.timeout;
      auto store = c10::make_intrusive<c10d::TCPStore>(e.host, so);
      SAY(e, "store " << (e.rank == 0 ? "served" : "joined") << ", dying before the process group");
      std::_Exit(3);
    }
    g = rendezvous(e);
  } catch (const std::exception& x) {
    SAY(e, "rendezvous failed after " << seconds_since(t0) << " s: " << current_exception_type() << ": "
                                      << first_line(x.what()));
    return 2;
  }
  SAY(e, "rendezvous ok in " << seconds_since(t0) * 1e3 << " ms");
  auto buf = torch::ones({1 << 18});
  const int victim = what == "store" ? 0 : 1;
  for (int step = 0; step < 1000; ++step) {
    if (e.rank == victim && step == 5) {
      if (what == "die" || what == "store") {
        SAY(e, "SIGKILL myself at step " << step);
        raise(SIGKILL);
      }
      if (what == "hang") {
        SAY(e, "SIGSTOP myself at step " << step << " (alive, silent)");
        raise(SIGSTOP);
      }
    }
    if (what == "store" && e.rank != victim && step == 5) {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the server (rank 0) is dead by now
      // Rendezvous is over: does the store server's death matter to collectives? Check the store itself too.
      auto s0 = Clock::now();
      try {
        g.store->set("probe", std::vector<uint8_t>{1});
        auto v = g.store->get("probe");
        SAY(e, "store set/get after server death: ok (" << v.size() << " B)");
      } catch (const std::exception& x) {
        SAY(e, "store call after server death failed after " << seconds_since(s0) << " s: "
                                                              << current_exception_type() << ": "
                                                              << first_line(x.what()));
      }
    }
    auto s0 = Clock::now();
    try {
      std::vector<torch::Tensor> one{buf};
      // PROBE_WAIT_MS > PROBE_TIMEOUT_MS shows Gloo's own timeout; below it, Work::wait's.
      const std::chrono::milliseconds wait_ms(env_int("PROBE_WAIT_MS", int(e.timeout.count())));
      wait_bounded(g.pg->allreduce(one, c10d::AllreduceOptions{c10d::ReduceOp::SUM, e.timeout}), wait_ms);
      buf.fill_(1);
    } catch (const std::exception& x) {
      SAY(e, "step " << step << ": allreduce threw after " << seconds_since(s0) << " s (timeout "
                     << e.timeout.count() / 1000.0 << " s): " << current_exception_type() << ": "
                     << first_line(x.what()));
      return 2;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  SAY(e, "no failure seen");
  return 0;
}

// ---- benchmark: 2 workers x 1 thread vs 1 process x 2 threads ------------------------------------------------
struct BenchNet : torch::nn::Module {  // a small CNN head + dense, the shape of tl's fine-tuning models
  torch::nn::Conv2d c1{nullptr}, c2{nullptr};
  torch::nn::Linear fc{nullptr};
  BenchNet() {
    c1 = register_module("c1", torch::nn::Conv2d(torch::nn::Conv2dOptions(3, 32, 3).padding(1)));
    c2 = register_module("c2", torch::nn::Conv2d(torch::nn::Conv2dOptions(32, 64, 3).padding(1)));
    fc = register_module("fc", torch::nn::Linear(64 * 8 * 8, 10));
  }
  torch::Tensor forward(torch::Tensor x) {
    x = torch::max_pool2d(torch::relu(c1(x)), 2);
    x = torch::max_pool2d(torch::relu(c2(x)), 2);
    return fc(x.flatten(1));
  }
};

static double bench_loop(const Env& e, c10d::ProcessGroupGloo* pg, int steps, int64_t global_batch) {
  torch::manual_seed(1);
  auto net = std::make_shared<BenchNet>();
  torch::optim::SGD opt(net->parameters(), torch::optim::SGDOptions(0.01).momentum(0.9));
  std::vector<torch::Tensor> params;
  for (auto& p : net->parameters()) params.push_back(p);
  const auto [begin, n] = slice_of(global_batch, e.rank, e.world);
  auto x = torch::randn({n, 3, 32, 32});
  auto y = torch::randint(0, 10, {n}, torch::kLong);
  (void)begin;
  Clock::time_point t0;
  for (int s = -2; s < steps; ++s) {  // 2 warm-up steps
    if (s == 0) t0 = Clock::now();
    opt.zero_grad();
    torch::nn::functional::cross_entropy(net->forward(x), y).backward();
    if (pg) {
      std::vector<torch::Tensor> grads;
      for (auto& p : params) grads.push_back(p.mutable_grad().mul_(double(n) / global_batch));
      c10d::AllreduceCoalescedOptions co;
      co.timeout = e.timeout;
      wait_bounded(pg->allreduce_coalesced(grads, co), e.timeout);
    }
    opt.step();
  }
  const double s = seconds_since(t0);
  SAY(e, "bench: " << steps << " steps of global batch " << global_batch << " (" << n << " here), "
                   << at::get_num_threads() << " thread(s): " << s << " s, " << steps / s << " steps/s, "
                   << numel_of(params) * 4 << " B all-reduced/step");
  return s;
}

// ---- launcher ----------------------------------------------------------------------------------------------------
static int launch(int argc, char** argv) {
  const int nproc = std::atoi(argv[2]);
  const int only = env_int("PROBE_ONLY_RANK", -1);
  const int deadline_s = env_int("PROBE_DEADLINE_S", 120);
  const int port = env_int("PROBE_PORT", 29000 + int(getpid() % 2000));
  std::vector<pid_t> pids(nproc, -1);
  auto t0 = Clock::now();
  for (int r = 0; r < nproc; ++r) {
    if (only >= 0 && r != only) continue;
    pid_t pid = fork();
    if (pid == 0) {
      setenv("RANK", std::to_string(r).c_str(), 1);
      setenv("LOCAL_RANK", std::to_string(r).c_str(), 1);
      setenv("WORLD_SIZE", std::to_string(nproc).c_str(), 1);
      setenv("MASTER_ADDR", "127.0.0.1", 1);
      setenv("MASTER_PORT", std::to_string(port).c_str(), 1);
      std::vector<char*> args{argv[0], const_cast<char*>("worker")};
      for (int i = 3; i < argc; ++i) args.push_back(argv[i]);
      args.push_back(nullptr);
      execv("/proc/self/exe", args.data());
      std::perror("execv");
      std::_Exit(127);
    }
    pids[r] = pid;
  }
  int left = 0, worst = 0;
  for (auto p : pids) left += p > 0;
  while (left > 0) {
    int status = 0;
    pid_t pid = waitpid(-1, &status, WNOHANG | WUNTRACED);
    if (pid > 0) {
      const int r = int(std::find(pids.begin(), pids.end(), pid) - pids.begin());
      if (WIFSTOPPED(status)) {
        std::cout << "[launch] rank " << r << " stopped (SIGSTOP) at " << seconds_since(t0) << " s; left stopped\n";
        continue;
      }
      --left;
      pids[r] = -1;
      if (WIFEXITED(status)) {
        std::cout << "[launch] rank " << r << " exited " << WEXITSTATUS(status) << " at " << seconds_since(t0) << " s\n";
        worst = std::max(worst, WEXITSTATUS(status));
      } else {
        std::cout << "[launch] rank " << r << " killed by signal " << WTERMSIG(status) << " at " << seconds_since(t0)
                  << " s\n";
        worst = std::max(worst, 128 + WTERMSIG(status));
      }
      continue;
    }
    if (seconds_since(t0) > deadline_s) {
      for (int r = 0; r < nproc; ++r)
        if (pids[r] > 0) {
          std::cout << "[launch] deadline: SIGKILL rank " << r << "\n";
          kill(pids[r], SIGKILL);
        }
      while (waitpid(-1, nullptr, 0) > 0) {
      }
      return 124;
    }
    // A rank that is stopped while all the others are done would keep us waiting until the deadline: kill it.
    bool others_done = true;
    int stopped = -1;
    for (int r = 0; r < nproc; ++r) {
      if (pids[r] <= 0) continue;
      char path[64], state = 0;
      std::snprintf(path, sizeof path, "/proc/%d/stat", pids[r]);
      if (FILE* f = std::fopen(path, "r")) {
        int ignored;
        char comm[256];
        if (std::fscanf(f, "%d %255s %c", &ignored, comm, &state) != 3) state = 0;
        std::fclose(f);
      }
      if (state == 'T') stopped = r;
      else others_done = false;
    }
    if (others_done && stopped >= 0) {
      std::cout << "[launch] only a stopped rank is left: SIGKILL rank " << stopped << "\n";
      kill(pids[stopped], SIGKILL);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::cout << "[launch] all ranks done in " << seconds_since(t0) << " s\n";
  return worst;
}

int main(int argc, char** argv) {
  if (argc >= 3 && std::string(argv[1]) == "launch") return launch(argc, argv);
  at::set_num_threads(env_int("PROBE_THREADS", 1));
  // PROBE_DOUBLE=1: float64 everywhere, which separates the sync logic (exact up to ~1e-15) from float32's
  // summation-order noise (the slices' matmuls add up rows in a different order than the whole batch's).
  if (env_int("PROBE_DOUBLE", 0)) torch::set_default_dtype(caffe2::TypeMeta::Make<double>());
  if (argc >= 2 && std::string(argv[1]) == "single_bench") {
    Env e;
    e.world = 1;
    bench_loop(e, nullptr, argc > 2 ? std::atoi(argv[2]) : 30, argc > 3 ? std::atoll(argv[3]) : 64);
    return 0;
  }
  if (argc < 3 || std::string(argv[1]) != "worker") {
    std::cerr << "usage: c10d_probe launch NPROC MODE [ARGS] | single_bench [STEPS] [GLOBAL_BATCH]\n"
                 "  MODE: comm | train OPT SYNC STEPS GLOBAL_BATCH | die | hang | store | early | bench STEPS BATCH\n";
    return 64;
  }
  const Env e = read_env();
  const std::string mode = argv[2];
  try {
    if (mode == "comm") return mode_comm(e);
    if (mode == "train")
      return mode_train(e, argc > 3 ? argv[3] : "sgd", argc > 4 ? argv[4] : "flat", argc > 5 ? std::atoi(argv[5]) : 20,
                        argc > 6 ? std::atoll(argv[6]) : 32);
    if (mode == "die" || mode == "hang" || mode == "store" || mode == "early") return mode_fail(e, mode);
    if (mode == "bench") {
      auto g = rendezvous(e);
      bench_loop(e, g.pg.get(), argc > 3 ? std::atoi(argv[3]) : 30, argc > 4 ? std::atoll(argv[4]) : 64);
      wait_bounded(g.pg->barrier(), e.timeout);
      return 0;
    }
  } catch (const std::exception& x) {
    SAY(e, "uncaught " << current_exception_type() << ": " << first_line(x.what(), 1000));
    return 1;
  }
  std::cerr << "unknown mode " << mode << "\n";
  return 64;
}
