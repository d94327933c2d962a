#pragma once
// One worker's connections to the others (rendezvous, Gloo, NCCL) and the helpers tl::distribute's
// implementation shares. Included by replica-inl.hpp and strategy-inl.hpp only.
#include <tl/distribute/strategy.hpp>

#include <tl/core/errors.hpp>
#include <tl/core/json.hpp>
#include <tl/distribute/impl/c10d_compat-inl.hpp>
#include <tl/utils/sequence.hpp>

#include <torch/utils.h>

#include <cxxabi.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <sstream>
#include <streambuf>
#include <thread>

namespace tl::distribute::detail {

/// The seconds every wait is bounded by: the option, else TL_DISTRIBUTE_TIMEOUT, else 300.
TL_INLINE double resolve_timeout(const CommunicationOptions& o) {
  if (o.timeout_seconds != 0) {
    std::ostringstream got;
    got << o.timeout_seconds;
    tl::detail::check(o.timeout_seconds > 0, "tl.distribute: timeout_seconds must be > 0 (0: TL_DISTRIBUTE_TIMEOUT, "
                                             "else 300 s), got " + got.str());
    return o.timeout_seconds;
  }
  if (const char* env = std::getenv("TL_DISTRIBUTE_TIMEOUT"); env && *env) {
    char* end = nullptr;
    const double v = std::strtod(env, &end);
    tl::detail::check(end && *end == '\0' && v > 0, std::string("tl.distribute: TL_DISTRIBUTE_TIMEOUT=") + env +
                                                        " must be a number of seconds > 0");
    return v;
  }
  return 300;
}

/// The implementation asked for, lower-case: "auto" (or TL_DISTRIBUTE_BACKEND's), "ring", "gloo" or "nccl".
TL_INLINE std::string requested_implementation(const CommunicationOptions& o) {
  std::string want = o.implementation;
  if (want == "auto")
    if (const char* env = std::getenv("TL_DISTRIBUTE_BACKEND"); env && *env) want = env;
  for (auto& c : want) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  tl::detail::check(want == "auto" || want == "ring" || want == "gloo" || want == "nccl",
                    "tl.distribute: unknown communication implementation \"" + want +
                        "\"; expected \"auto\", \"ring\" (or \"gloo\") or \"nccl\"");
  return want;
}

/// "gloo" or "nccl" for the gradients of a replica on `device`.
TL_INLINE std::string resolve_implementation(const CommunicationOptions& o, const torch::Device& device) {
  const auto want = requested_implementation(o);
  if (want == "nccl") {
    tl::detail::check(TL_HAVE_NCCL, "tl.distribute: the 'nccl' implementation needs a CUDA LibTorch built with NCCL "
                                    "(USE_C10D_NCCL); this one has only 'gloo'");
    tl::detail::check(device.is_cuda(), "tl.distribute: the 'nccl' implementation needs a GPU for every worker; this "
                                        "worker has none");
    return "nccl";
  }
  if (want == "auto" && TL_HAVE_NCCL && device.is_cuda()) return "nccl";
  return "gloo";
}

TL_INLINE std::string first_line(const std::string& s) {
  auto line = s.substr(0, s.find('\n'));
  return line.size() > 500 ? line.substr(0, 500) + "..." : line;
}

/// The type of the exception being handled, demangled ("gloo::IoException").
TL_INLINE std::string current_exception_type() {
  const auto* type = abi::__cxa_current_exception_type();
  if (!type) return "exception";
  int status = 0;
  char* name = abi::__cxa_demangle(type->name(), nullptr, nullptr, &status);
  std::string out = status == 0 && name ? name : type->name();
  std::free(name);
  return out;
}

TL_INLINE std::string seconds_text(std::chrono::milliseconds t) {
  std::ostringstream s;
  s << t.count() / 1000.0 << " s";
  return s.str();
}

/// 64 bits that change when any byte of the tensors (or their shapes) does: tells whether the workers already
/// hold the same weights, so that the start of fit broadcasts them only when they differ.
TL_INLINE uint64_t fingerprint(const std::vector<torch::Tensor>& tensors) {
  uint64_t h = 0x9e3779b97f4a7c15ULL;
  auto mix = [&](uint64_t v) {
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
  };
  for (const auto& t : tensors) {
    mix(static_cast<uint64_t>(t.dim()));
    for (auto d : t.sizes()) mix(static_cast<uint64_t>(d));
    mix(static_cast<uint64_t>(t.scalar_type()));
    const auto c = t.detach().to(torch::kCPU).contiguous();
    const auto* bytes = static_cast<const unsigned char*>(c.data_ptr());
    const size_t n = c.nbytes();
    size_t i = 0;
    uint64_t acc = 0x2545f4914f6cdd1dULL;
    for (; i + 8 <= n; i += 8) {
      uint64_t w;
      std::memcpy(&w, bytes + i, 8);
      acc = (acc ^ w) * 0x100000001b3ULL;
      acc ^= acc >> 29;
    }
    for (; i < n; ++i) acc = (acc ^ bytes[i]) * 0x100000001b3ULL;
    mix(acc);
  }
  return h;
}

/// What identifies a Sequence's order: its length and the ids of its first batch (when it knows them).
TL_INLINE std::string data_fingerprint(const utils::Sequence* data) {
  if (!data) return "";
  std::vector<torch::Tensor> parts{torch::tensor({data->size()}, torch::kLong)};
  if (data->size() > 0) {
    const auto ids = data->batch_ids(0);
    if (!ids.empty()) parts.push_back(torch::tensor(ids, torch::kLong));
  }
  return std::to_string(fingerprint(parts));
}

/// std::cout on workers other than 0: everything written is dropped.
class QuietStdout {
 public:
  QuietStdout() : previous_(std::cout.rdbuf(&null_)) {}
  ~QuietStdout() { std::cout.rdbuf(previous_); }
  QuietStdout(const QuietStdout&) = delete;
  QuietStdout& operator=(const QuietStdout&) = delete;

 private:
  struct Null : std::streambuf {
    int overflow(int c) override { return traits_type::not_eof(c); }
    std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
  };
  Null null_;
  std::streambuf* previous_;
};

#if TL_HAVE_C10D

using c10d_compat::WorkPtr;

/// One worker's connections to the others: the rendezvous store, a Gloo group for everything on the CPU, and the
/// gradients' group (the same Gloo group, or NCCL for CUDA replicas). Every wait is bounded; the first failure
/// leaves it broken, and every later call fails at once with the first message (the workers are out of step).
class Communicator {
 public:
  Communicator(const ClusterResolver& r, const CommunicationOptions& o, torch::Device device)
      : rank_(r.rank),
        world_(r.world_size),
        timeout_(std::chrono::milliseconds(static_cast<int64_t>(resolve_timeout(o) * 1000))),
        implementation_(resolve_implementation(o, device)),
        device_(device),
        bytes_per_pack_(o.bytes_per_pack) {
    static int generation = 0;  // strategies made in the same order everywhere get the same keys
    const std::string prefix = "tl/" + std::to_string(r.restart_count) + "/" + std::to_string(generation++) + "/";
    const std::string where = r.master();
    const auto t0 = std::chrono::steady_clock::now();
    try {
      store_ = c10d_compat::make_store(r.master_addr, r.master_port, r.rank == 0 && !r.agent_store, world_, timeout_);
    } catch (const std::exception& e) {
      const bool serving = r.rank == 0 && !r.agent_store;
      throw DistributedError(
          "tl.distribute: worker " + std::to_string(rank_) + " of " + std::to_string(world_) +
          (serving ? " cannot serve the rendezvous on " + where + " (is another job using this port?)"
                   : " could not reach the rendezvous at " + where + " (worker 0) within " + seconds_text(timeout_) +
                         " (is worker 0 running? check the address and the firewall)") +
          ": " + current_exception_type() + ": " + first_line(e.what()));
    }
    auto store = c10d_compat::prefixed(prefix, store_);
    join(*store, where, t0);
    try {
      gloo_ = c10d_compat::make_gloo(c10d_compat::prefixed("gloo", store), rank_, world_, timeout_, r.own_host);
#if TL_HAVE_NCCL
      if (implementation_ == "nccl") nccl_ = c10d_compat::make_nccl(c10d_compat::prefixed("nccl", store), rank_, world_, timeout_);
#endif
    } catch (const std::exception& e) {
      throw DistributedError("tl.distribute: worker " + std::to_string(rank_) + " of " + std::to_string(world_) +
                             " could not connect to the other workers (" + implementation_ + ") within " +
                             seconds_text(timeout_) + ": " + current_exception_type() + ": " + first_line(e.what()));
    }
  }
  Communicator(const Communicator&) = delete;
  Communicator& operator=(const Communicator&) = delete;

  int rank() const { return rank_; }
  int world() const { return world_; }
  const std::string& implementation() const { return implementation_; }
  std::chrono::milliseconds timeout() const { return timeout_; }
  const torch::Device& device() const { return device_; }
  int64_t bytes_per_pack() const { return bytes_per_pack_; }
  /// Where gradient buckets live: the GPU for NCCL, the CPU for Gloo.
  torch::Device bucket_device() const { return implementation_ == "nccl" ? device_ : torch::Device(torch::kCPU); }
  CommunicationStats& stats() { return stats_; }

  /// Worker 0's `tensor` (CPU, contiguous) on every worker.
  void broadcast(torch::Tensor& tensor, const std::string& what) {
    check_usable(what);
    std::vector<torch::Tensor> one{tensor};
    run(what, [&] { return gloo_->broadcast(one, c10d_compat::broadcast_options(0, timeout_)); });
    stats_.other_bytes += static_cast<int64_t>(tensor.nbytes());
  }

  /// `tensor` (CPU, contiguous) summed over the workers, in place.
  void sum(torch::Tensor& tensor, const std::string& what) {
    check_usable(what);
    std::vector<torch::Tensor> one{tensor};
    run(what, [&] { return gloo_->allreduce(one, c10d_compat::sum_options(timeout_)); });
    stats_.other_bytes += static_cast<int64_t>(tensor.nbytes());
  }

  /// Starts summing a gradient bucket over the workers (in place); `wait` it.
  WorkPtr start_gradient_sum(torch::Tensor& bucket) {
    std::vector<torch::Tensor> one{bucket};
    ++stats_.collectives;
    stats_.gradient_bytes += static_cast<int64_t>(bucket.nbytes());
    ++stats_.buckets;
#if TL_HAVE_NCCL
    if (nccl_) return nccl_->allreduce(one, c10d_compat::sum_options(timeout_));
#endif
    return gloo_->allreduce(one, c10d_compat::sum_options(timeout_));
  }

  /// Waits for `work` (bounded), turning a failure into a DistributedError about `what`.
  void wait(const WorkPtr& work, const std::string& what) {
    check_usable(what);
    run(what, [&] { return work; }, false);
  }

  /// Any failure from now on is reported as the consequence of this one.
  void mark_broken(const std::string& why) {
    if (broken_.empty()) broken_ = why;
  }

 private:
  template <class Start>
  void run(const std::string& what, Start&& start, bool count = true) {
    try {
      const WorkPtr work = start();
      if (count) ++stats_.collectives;
      work->wait(timeout_);
    } catch (const std::exception& e) {
      const std::string message =
          "tl.distribute: worker " + std::to_string(rank_) + " of " + std::to_string(world_) +
          " lost contact with the other workers during " + what + " (" + implementation_ + ", timeout " +
          seconds_text(timeout_) + "): " + current_exception_type() + ": " + first_line(e.what()) +
          ". Another worker died, was stopped or did not answer within the timeout; rerun the whole job "
          "(BackupAndRestore resumes it from worker 0's last backup).";
      mark_broken(message);
      throw DistributedError(message);
    }
  }

  void check_usable(const std::string& what) const {
    if (!broken_.empty())
      throw DistributedError("tl.distribute: cannot run " + what + ": an earlier collective failed, so the workers "
                             "are out of step. The first failure: " + broken_);
  }

  /// Every worker announces itself, then waits (bounded) for all the others: the error names those missing.
  void join(c10d::Store& store, const std::string& where, std::chrono::steady_clock::time_point t0) {
    auto key = [](int r) { return "joined/" + std::to_string(r); };
    try {
      store.set(key(rank_), std::vector<uint8_t>{1});
      std::vector<std::string> all;
      for (int r = 0; r < world_; ++r) all.push_back(key(r));
      while (!store.check(all)) {
        if (std::chrono::steady_clock::now() - t0 > timeout_) {
          std::string missing;
          int count = 0;
          for (int r = 0; r < world_; ++r)
            if (!store.check({key(r)})) missing += (count++ ? ", " : "") + std::to_string(r);
          throw DistributedError("tl.distribute: worker" + std::string(count > 1 ? "s " : " ") + missing + " of " +
                                 std::to_string(world_) + " did not join the rendezvous at " + where + " within " +
                                 seconds_text(timeout_) + " (the timeout; this is worker " + std::to_string(rank_) +
                                 "). Check that every worker was started, with the same cluster.");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    } catch (const DistributedError&) {
      throw;
    } catch (const std::exception& e) {
      throw DistributedError("tl.distribute: worker " + std::to_string(rank_) + " of " + std::to_string(world_) +
                             " lost the rendezvous at " + where + " (did worker 0 stop?): " + current_exception_type() +
                             ": " + first_line(e.what()));
    }
  }

  int rank_, world_;
  std::chrono::milliseconds timeout_;
  std::string implementation_;
  torch::Device device_;
  int64_t bytes_per_pack_;
  c10::intrusive_ptr<c10d::Store> store_;
  c10::intrusive_ptr<c10d_compat::Collectives> gloo_;
#if TL_HAVE_NCCL
  c10::intrusive_ptr<c10d_compat::Collectives> nccl_;
#endif
  CommunicationStats stats_;
  std::string broken_;
};

#endif  // TL_HAVE_C10D

}  // namespace tl::distribute::detail
