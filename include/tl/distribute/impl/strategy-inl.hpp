#pragma once
#include <tl/distribute/strategy.hpp>

#include <tl/callbacks/backup_and_restore.hpp>
#include <tl/callbacks/csv_logger.hpp>
#include <tl/callbacks/model_checkpoint.hpp>
#include <tl/callbacks/progbar_logger.hpp>
#include <tl/core/errors.hpp>
#include <tl/core/json.hpp>
#include <tl/distribute/impl/c10d_compat-inl.hpp>
#include <tl/distribute/launch.hpp>
#include <tl/models/detail/feature_cache.hpp>
#include <tl/models/detail/training_state.hpp>
#include <tl/models/functional.hpp>
#include <tl/optimizers/optimizer.hpp>

#include <torch/cuda.h>
#include <torch/utils.h>

#include <cxxabi.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <functional>
#include <numeric>
#include <iostream>
#include <random>
#include <sstream>
#include <streambuf>
#include <thread>

namespace tl::distribute {

namespace detail {

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

/// The gradients of one model's trainable tensors, in buckets all-reduced while backward runs (PyTorch DDP's
/// design, on tensor hooks): buckets hold the tensors in reverse order, as backward produces the last layers'
/// gradients first; each tensor's hook copies its gradient (times this worker's row count) into its bucket, and a
/// bucket is launched once it is complete and every bucket before it is launched, so that all workers launch the
/// same buckets in the same order. The last bucket also carries the row count and, per tensor, whether it had a
/// gradient. After backward, what is left is launched (with zeros for tensors without a gradient here), waited for,
/// and .grad becomes sum / total rows: one process's gradient of the mean loss over the global batch.
class GradientBuckets {
 public:
  GradientBuckets(const std::vector<torch::Tensor>& params, Communicator& comm) : params_(params), comm_(comm) {
    const int64_t cap = comm.bytes_per_pack() > 0 ? comm.bytes_per_pack() : int64_t(25) << 20;
    const int64_t first_cap = comm.bytes_per_pack() > 0 ? cap : int64_t(1) << 20;
    std::vector<std::vector<size_t>> members;
    int64_t bytes = 0;
    torch::ScalarType dtype = torch::kFloat;
    for (size_t k = params_.size(); k-- > 0;) {
      const auto& p = params_[k];
      const int64_t limit = members.size() <= 1 ? first_cap : cap;
      if (members.empty() || bytes >= limit || p.scalar_type() != dtype) {
        members.emplace_back();
        bytes = 0;
        dtype = p.scalar_type();
      }
      members.back().push_back(k);
      bytes += p.numel() * static_cast<int64_t>(p.element_size());
    }
    where_.resize(params_.size());
    for (size_t b = 0; b < members.size(); ++b) {
      Bucket bucket;
      bucket.members = members[b];
      int64_t n = 0;
      for (size_t k : bucket.members) where_[k] = {b, n}, n += params_[k].numel();
      if (b + 1 == members.size()) {
        meta_offset_ = n;
        n += 1 + static_cast<int64_t>(params_.size());  // rows, then one has-gradient count per tensor
      }
      const auto dt = params_[bucket.members.front()].scalar_type();
      bucket.flat = torch::zeros({n}, torch::TensorOptions(dt).device(comm.bucket_device()));
      buckets_.push_back(std::move(bucket));
    }
    if (buckets_.empty()) {  // nothing trainable: the rows still travel, in a bucket of their own
      meta_offset_ = 0;
      Bucket bucket;
      bucket.flat = torch::zeros({1}, torch::TensorOptions(torch::kFloat).device(comm.bucket_device()));
      buckets_.push_back(std::move(bucket));
    }
    arrived_.assign(params_.size(), 0);
    meta_.assign(1 + params_.size(), 0.0f);
    for (size_t k = 0; k < params_.size(); ++k)
      hooks_.push_back(params_[k].register_hook([this, k](const torch::Tensor& grad) { on_grad(k, grad); }));
  }
  ~GradientBuckets() {
    for (size_t k = 0; k < params_.size(); ++k) params_[k].remove_hook(hooks_[k]);
  }
  GradientBuckets(const GradientBuckets&) = delete;
  GradientBuckets& operator=(const GradientBuckets&) = delete;

  /// The same tensors in the same order (compile() captured them; a recompile may change them).
  bool serves(const std::vector<torch::Tensor>& params) const {
    if (params.size() != params_.size()) return false;
    for (size_t k = 0; k < params.size(); ++k)
      if (!params[k].is_same(params_[k])) return false;
    return true;
  }

  void arm(int64_t rows) {
    scale_ = static_cast<double>(rows);
    std::fill(arrived_.begin(), arrived_.end(), 0);
    std::fill(meta_.begin(), meta_.end(), 0.0f);
    meta_[0] = static_cast<float>(rows);
    for (auto& b : buckets_) b.arrived = 0, b.work.reset();
    next_ = 0;
    error_ = nullptr;
    armed_ = true;
  }

  void disarm() noexcept {
    armed_ = false;
    for (auto& b : buckets_) b.work.reset();
  }

  /// After backward (or instead of it, for an empty slice): launches the rest, waits, writes .grad.
  void finish(const std::string& what) {
    armed_ = false;
    if (error_) std::rethrow_exception(error_);
    for (size_t b = next_; b < buckets_.size(); ++b)
      for (size_t k : buckets_[b].members)
        if (!arrived_[k]) buckets_[b].flat.narrow(0, where_[k].second, params_[k].numel()).zero_();
    for (auto& b : buckets_) b.arrived = static_cast<int64_t>(b.members.size());
    launch_ready(false);
    const auto t0 = std::chrono::steady_clock::now();
    for (auto& b : buckets_) comm_.wait(b.work, what);
    auto& stats = comm_.stats();
    stats.gradient_wait_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    ++stats.gradient_syncs;
    torch::NoGradGuard no_grad;
    const auto meta = buckets_.back().flat.narrow(0, meta_offset_, 1 + int64_t(params_.size())).to(torch::kCPU,
                                                                                                  torch::kDouble);
    const auto* m = meta.data_ptr<double>();
    const double rows = m[0];
    for (size_t k = 0; k < params_.size(); ++k) {
      auto& p = params_[k];
      if (m[1 + k] == 0 || rows == 0) {  // no worker had a gradient for it: the optimizer skips it, as Keras
        p.mutable_grad().reset();
        continue;
      }
      const auto [b, offset] = where_[k];
      p.mutable_grad() = buckets_[b].flat.narrow(0, offset, p.numel()).view(p.sizes()).div(rows).to(p.device());
    }
  }

 private:
  struct Bucket {
    std::vector<size_t> members;
    torch::Tensor flat;
    int64_t arrived = 0;
    WorkPtr work;
  };

  void on_grad(size_t k, const torch::Tensor& grad) {
    if (!armed_ || error_) return;
    try {
      torch::NoGradGuard no_grad;
      const auto [b, offset] = where_[k];
      auto slot = buckets_[b].flat.narrow(0, offset, params_[k].numel());
      slot.copy_(grad.reshape({-1}));
      if (scale_ != 1) slot.mul_(scale_);
      if (!arrived_[k]) {
        arrived_[k] = 1;
        meta_[1 + k] = 1;
        ++buckets_[b].arrived;
      }
      launch_ready(true);
    } catch (...) {
      error_ = std::current_exception();
    }
  }

  void launch_ready(bool in_backward) {
    while (next_ < buckets_.size() && buckets_[next_].arrived == static_cast<int64_t>(buckets_[next_].members.size())) {
      auto& b = buckets_[next_];
      if (next_ + 1 == buckets_.size())  // the last: every tensor's flag is final now
        b.flat.narrow(0, meta_offset_, static_cast<int64_t>(meta_.size()))
            .copy_(torch::from_blob(meta_.data(), {static_cast<int64_t>(meta_.size())}, torch::kFloat));
      b.work = comm_.start_gradient_sum(b.flat);
      if (in_backward) ++comm_.stats().buckets_in_backward;
      ++next_;
    }
  }

  std::vector<torch::Tensor> params_;
  Communicator& comm_;
  std::vector<std::pair<size_t, int64_t>> where_;  // per tensor: bucket, offset
  std::vector<Bucket> buckets_;
  std::vector<unsigned> hooks_;
  std::vector<char> arrived_;
  std::vector<float> meta_;
  int64_t meta_offset_ = 0;
  size_t next_ = 0;
  double scale_ = 1;
  bool armed_ = false;
  std::exception_ptr error_;
};

/// Every layer that holds weights, nested models opened.
TL_INLINE void leaf_layers(const models::ModelImpl& model, std::vector<std::shared_ptr<layers::LayerImpl>>& out) {
  for (const auto& layer : model.layers()) {
    if (const auto* nested = dynamic_cast<const models::ModelImpl*>(layer.get())) leaf_layers(*nested, out);
    else out.push_back(layer);
  }
}

/// One model's replica on this worker (models::detail::DataParallel on a Communicator).
class Replica final : public models::detail::DataParallel {
 public:
  explicit Replica(std::shared_ptr<Communicator> comm) : comm_(std::move(comm)) {}

  int rank() const override { return comm_->rank(); }
  int world() const override { return comm_->world(); }

  callbacks::CallbackList worker_callbacks(const callbacks::CallbackList& list) const override {
    if (is_chief()) return list;
    callbacks::CallbackList out;
    for (const auto& c : list.items()) {
      const auto* p = c.get();
      if (dynamic_cast<const callbacks::ModelCheckpoint*>(p) || dynamic_cast<const callbacks::BackupAndRestore*>(p) ||
          dynamic_cast<const callbacks::CSVLogger*>(p) || dynamic_cast<const callbacks::ProgbarLogger*>(p))
        continue;  // only worker 0 writes files and prints
      out.add(c);
    }
    return out;
  }

  void begin_fit(models::ModelImpl& model, utils::Sequence& data, utils::Sequence* validation,
                 int& resume_epoch) override {
    position = {"the start of fit", -1, -1};
    sync_state(model, &data, validation, &resume_epoch);
    position = {"fit", -1, -1};
  }

  void ensure_synced(models::ModelImpl& model) override {
    if (!synced_) sync_state(model, nullptr, nullptr, nullptr);
  }

  void before_backward(const std::vector<torch::Tensor>& trainable, int64_t rows) override {
    if (!buckets_ || !buckets_->serves(trainable)) {
      buckets_.reset();  // its hooks go before new ones come
      buckets_ = std::make_unique<GradientBuckets>(trainable, *comm_);
    }
    buckets_->arm(rows);
  }

  void after_backward(const std::vector<torch::Tensor>&) override { buckets_->finish(at("the gradient all-reduce")); }

  void abandon_backward() noexcept override {
    if (buckets_) buckets_->disarm();
    comm_->mark_broken("an error in a training step (" + at("the gradient all-reduce") + ") left this worker out of "
                       "step with the others");
  }

  void sum(torch::Tensor& values, const char* what) override { comm_->sum(values, at(what)); }

  bool any(bool flag, const char* what) override {
    auto t = torch::tensor({flag ? 1.0 : 0.0}, torch::kDouble);
    comm_->sum(t, at(what));
    return t.item<double>() > 0;
  }

  void share_feature_cache(models::detail::FeatureCache& cache) override {
    if (cache.complete()) return;  // pooled already: complete on every worker at once
    const std::string what = at("the pooling of the feature cache");
    auto mine = cache.rows();
    const int64_t rows = mine.ids.defined() ? mine.ids.size(0) : 0;
    // 1. Counts, the rows' shapes and dtypes (equal on every worker that has rows: summed, then divided by the
    //    number of such workers), and whether a worker turned its cache off.
    constexpr int kDims = 6;
    const int w = world(), base = w;
    auto meta = torch::zeros({base + 4 + 2 * kDims}, torch::kDouble);
    auto* m = meta.data_ptr<double>();
    m[rank()] = static_cast<double>(rows);
    m[base] = cache.enabled() ? 0 : 1;
    if (rows > 0) {
      m[base + 1] = 1;
      m[base + 2] = static_cast<double>(mine.features.scalar_type());
      m[base + 3] = mine.y.defined() ? static_cast<double>(mine.y.scalar_type()) + 1 : 0;
      for (int d = 1; d < std::min<int>(kDims, mine.features.dim()); ++d) m[base + 4 + d] = mine.features.size(d);
      m[base + 4] = mine.features.dim();
      if (mine.y.defined()) {
        m[base + 4 + kDims] = mine.y.dim();
        for (int d = 1; d < std::min<int>(kDims, mine.y.dim()); ++d) m[base + 4 + kDims + d] = mine.y.size(d);
      }
      if (mine.w.defined()) m[base + 3] += 1000;  // sample weights present
    }
    comm_->sum(meta, what);
    const double holders = m[base + 1];
    int64_t total = 0, offset = 0;
    for (int r = 0; r < w; ++r) {
      if (r < rank()) offset += static_cast<int64_t>(m[r]);
      total += static_cast<int64_t>(m[r]);
    }
    if (holders == 0) return;  // nobody cached anything (the cache stays incomplete everywhere)
    auto average = [&](int i) { return static_cast<int64_t>(std::llround(m[i] / holders)); };
    std::vector<int64_t> feature_shape{total}, y_shape{total};
    for (int d = 1; d < average(base + 4); ++d) feature_shape.push_back(average(base + 4 + d));
    for (int d = 1; d < average(base + 4 + kDims); ++d) y_shape.push_back(average(base + 4 + kDims + d));
    int64_t row_bytes = 4;
    for (size_t d = 1; d < feature_shape.size(); ++d) row_bytes *= feature_shape[d];
    if (m[base] > 0 || total * row_bytes > cache.max_bytes()) {  // every worker decides the same
      if (is_chief() && m[base] == 0)
        std::cerr << "tl: feature cache off: the workers' caches together would need " << (total * row_bytes) / (1 << 20)
                  << " MiB, over the limit of " << cache.max_bytes() / (1 << 20)
                  << " MiB (FitOptions::feature_cache_max_mb)\n";
      cache.turn_off();
      return;
    }
    const auto code = average(base + 3);
    const bool has_y = code % 1000 > 0, has_w = code >= 1000;
    const auto feature_dtype = static_cast<torch::ScalarType>(average(base + 2));
    const auto y_dtype = has_y ? static_cast<torch::ScalarType>(code % 1000 - 1) : torch::kFloat;
    // 2. Every worker's rows at its place (rank order): one all-reduce of the features (float32), one of the ids,
    //    labels and weights (float64: exact for integer labels and ids below 2^53).
    torch::NoGradGuard no_grad;
    auto features = torch::zeros(feature_shape, torch::kFloat);
    const int64_t y_width = has_y ? std::accumulate(y_shape.begin() + 1, y_shape.end(), int64_t(1), std::multiplies<>())
                                  : 0;
    const int64_t width = 1 + y_width + (has_w ? 1 : 0);
    auto table = torch::zeros({total, width}, torch::kDouble);
    if (rows > 0) {
      features.narrow(0, offset, rows).copy_(mine.features.to(torch::kCPU, torch::kFloat));
      auto part = table.narrow(0, offset, rows);
      part.select(1, 0).copy_(mine.ids.to(torch::kDouble));
      if (has_y) part.narrow(1, 1, y_width).copy_(mine.y.to(torch::kCPU, torch::kDouble).reshape({rows, y_width}));
      if (has_w) part.select(1, width - 1).copy_(mine.w.to(torch::kCPU, torch::kDouble).reshape({rows}));
    }
    auto flat = features.view({-1});
    comm_->sum(flat, what);
    comm_->sum(table, what);
    const auto device = mine.features.defined() ? mine.features.device() : comm_->device();
    models::detail::FeatureCache::Rows all;
    all.ids = table.select(1, 0).to(torch::kLong);
    all.features = features.to(device, feature_dtype);
    if (has_y) all.y = table.narrow(1, 1, y_width).reshape(y_shape).to(device, y_dtype);
    if (has_w) all.w = table.select(1, width - 1).to(device, torch::kFloat);
    cache.adopt(all);
  }

  void average_moving_statistics(models::ModelImpl& model) override {
    std::vector<std::shared_ptr<layers::LayerImpl>> layers;
    leaf_layers(model, layers);
    std::vector<torch::Tensor> stats;
    for (const auto& layer : layers) {
      if (layer->frozen_in_training()) continue;
      for (const auto& w : layer->weights())
        if (!w.trainable_by_design && w.value.is_floating_point()) stats.push_back(w.value);
    }
    if (stats.empty()) return;
    torch::NoGradGuard no_grad;
    std::vector<torch::Tensor> parts;
    for (const auto& s : stats) parts.push_back(s.detach().to(torch::kCPU, torch::kDouble).reshape({-1}));
    auto flat = torch::cat(parts);
    comm_->sum(flat, at("the average of the moving statistics"));
    flat.div_(world());
    int64_t offset = 0;
    for (auto& s : stats) {
      s.detach().copy_(flat.narrow(0, offset, s.numel()).view(s.sizes()));
      offset += s.numel();
    }
  }

 private:
  /// "the gradient all-reduce of epoch 2, batch 5" (1-based, as the progress bar counts).
  std::string at(const std::string& what) const {
    std::string s = what;
    if (position.epoch >= 0) s += std::string(" of epoch ") + std::to_string(position.epoch + 1);
    if (position.step >= 0) s += (position.epoch >= 0 ? ", batch " : " of batch ") + std::to_string(position.step + 1);
    const std::string phase = position.phase;
    if (phase != "fit") s += " (" + phase + ")";
    return s;
  }

  /// A CUDA replica trains on its own GPU (cuda:LOCAL_RANK, or its MirroredStrategy device).
  void place(models::ModelImpl& model) {
    const auto& device = comm_->device();
    if (device.is_cuda() && model.device() != device) model.to(device);
  }

  /// Worker 0's weights, optimizer state, resume epoch and a data seed to every worker; the data checked equal.
  /// Three collectives when the workers already agree (a header from worker 0, one all-reduce of the checks),
  /// plus one broadcast per dtype when some worker's weights or optimizer state differ from worker 0's.
  void sync_state(models::ModelImpl& model, utils::Sequence* data, utils::Sequence* validation, int* resume_epoch) {
    place(model);
    torch::NoGradGuard no_grad;
    std::vector<torch::Tensor> weights;
    std::string structure;  // the model's weights' dtypes and shapes
    for (const auto& w : model.weights()) {
      if (std::any_of(weights.begin(), weights.end(), [&](const torch::Tensor& t) { return t.is_same(w.value); }))
        continue;
      weights.push_back(w.value);
      structure += std::string(c10::toString(w.value.scalar_type())) + "(";
      for (auto d : w.value.sizes()) structure += std::to_string(d) + ",";
      structure += ")";
    }
    const auto state = model.compiled() ? model.optimizer()->get_state() : optimizers::Optimizer::State{};
    std::vector<torch::Tensor> payload = weights;
    for (const auto& [name, value] : state) payload.push_back(value);  // "iter" included
    const auto structure_id = std::to_string(std::hash<std::string>{}(structure));

    // 1. Worker 0's header: what the others compare with, and what they need before the payload.
    json header;
    if (is_chief()) {
      const uint32_t seed = std::random_device{}();
      if (data) data->set_shared_seed(seed);
      if (validation) validation->set_shared_seed(seed + 1);
      json slots = json::array();
      int64_t iterations = 0;
      for (const auto& [name, value] : state) {
        if (name == "iter") iterations = value.item<int64_t>();
        else slots.push_back({name, c10::toString(value.scalar_type()), value.sizes().vec()});
      }
      header = {{"structure", structure_id},
                {"payload", std::to_string(fingerprint(payload))},
                {"iterations", iterations},
                {"slots", slots},
                {"resume_epoch", resume_epoch ? *resume_epoch : -1},
                {"seed", seed},
                {"data", data_fingerprint(data)},
                {"validation", data_fingerprint(validation)}};
    }
    header = broadcast_json(header, at("the broadcast of worker 0's training state"));
    // 2. The others draw from worker 0's seed, then every worker checks its model, data and state.
    if (!is_chief()) {
      if (data) data->set_shared_seed(header["seed"].get<uint32_t>());
      if (validation) validation->set_shared_seed(header["seed"].get<uint32_t>() + 1);
    }
    auto mismatch = torch::tensor({double(header["structure"].get<std::string>() != structure_id),
                                   double(header["data"].get<std::string>() != data_fingerprint(data)),
                                   double(header["validation"].get<std::string>() != data_fingerprint(validation)),
                                   double(header["payload"].get<std::string>() != std::to_string(fingerprint(payload)))},
                                  torch::kDouble);
    comm_->sum(mismatch, at("the check that every worker has the same model and data"));
    const auto* m = mismatch.data_ptr<double>();
    tl::detail::check(m[0] == 0, "tl.distribute: the workers built different models (" + std::to_string(int(m[0])) +
                                     " of " + std::to_string(world()) + " differ from worker 0's weights' shapes): "
                                     "every worker must run the same program");
    tl::detail::check(m[1] == 0 && m[2] == 0,
                      std::string("tl.distribute: the workers do not see the same ") +
                          (m[1] ? "training" : "validation") + " data: its length or the order of its first batch "
                          "differs from worker 0's on " + std::to_string(int(m[1] ? m[1] : m[2])) + " worker(s). Give "
                          "every worker the same files and flow_from_directory the same `seed`.");
    // 3. The payload, only when some worker's differs: weights, then optimizer slots, one flat buffer per dtype.
    if (m[3] > 0) broadcast_payload(model, weights, header);
    if (resume_epoch) *resume_epoch = header["resume_epoch"].get<int>();
    synced_ = true;
  }

  json broadcast_json(const json& value, const std::string& what) {
    const std::string text = is_chief() ? value.dump() : std::string();
    auto length = torch::tensor({static_cast<int64_t>(text.size())}, torch::kLong);
    comm_->broadcast(length, what);
    auto bytes = torch::zeros({length.item<int64_t>()}, torch::kUInt8);
    if (is_chief()) std::memcpy(bytes.data_ptr(), text.data(), text.size());
    comm_->broadcast(bytes, what);
    return json::parse(std::string(static_cast<const char*>(bytes.data_ptr()), static_cast<size_t>(bytes.numel())));
  }

  void broadcast_payload(models::ModelImpl& model, const std::vector<torch::Tensor>& weights, const json& header) {
    // Worker 0's slot list decides the layout; the others make room for it.
    std::vector<std::pair<std::string, torch::Tensor>> slots;
    const auto state = model.compiled() ? model.optimizer()->get_state() : optimizers::Optimizer::State{};
    for (const auto& entry : header["slots"]) {
      const auto name = entry[0].get<std::string>();
      torch::Tensor value;
      if (is_chief()) {
        for (const auto& [n, v] : state)
          if (n == name) value = v;
      } else {
        const auto dtype_name = entry[1].get<std::string>();
        const auto sizes = entry[2].get<std::vector<int64_t>>();
        torch::ScalarType dtype = torch::kFloat;
        for (auto t : {torch::kFloat, torch::kDouble, torch::kHalf, torch::kBFloat16, torch::kLong})
          if (c10::toString(t) == dtype_name) dtype = t;
        value = torch::zeros(sizes, dtype);
      }
      slots.emplace_back(name, value);
    }
    std::vector<torch::Tensor> tensors = weights;
    for (auto& [name, value] : slots) tensors.push_back(value);
    std::vector<torch::ScalarType> dtypes;
    for (const auto& t : tensors)
      if (std::find(dtypes.begin(), dtypes.end(), t.scalar_type()) == dtypes.end()) dtypes.push_back(t.scalar_type());
    for (const auto dtype : dtypes) {
      std::vector<torch::Tensor> group;
      for (const auto& t : tensors)
        if (t.scalar_type() == dtype) group.push_back(t);
      std::vector<torch::Tensor> parts;
      for (const auto& t : group) parts.push_back(t.detach().to(torch::kCPU).reshape({-1}));
      auto flat = torch::cat(parts).contiguous();
      comm_->broadcast(flat, at("the broadcast of worker 0's weights"));
      if (is_chief()) continue;
      int64_t offset = 0;
      for (auto& t : group) {
        t.detach().copy_(flat.narrow(0, offset, t.numel()).view(t.sizes()));
        offset += t.numel();
      }
    }
    if (is_chief() || !model.compiled()) return;
    optimizers::Optimizer::State restored{{"iter", torch::tensor(header["iterations"].get<int64_t>(), torch::kInt64)}};
    for (auto& [name, value] : slots) restored.emplace_back(name, value);
    model.optimizer()->set_state(restored);
  }

  std::shared_ptr<Communicator> comm_;
  std::unique_ptr<GradientBuckets> buckets_;
  bool synced_ = false;
};

#endif  // TL_HAVE_C10D

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
