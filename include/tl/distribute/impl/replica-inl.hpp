#pragma once
// One model's replica on a worker: models::detail::DataParallel on a Communicator (the training loop's hooks), with
// the gradients in buckets all-reduced during backward. Included by strategy-inl.hpp only.
#include <tl/distribute/impl/communicator-inl.hpp>

#include <tl/callbacks/backup_and_restore.hpp>
#include <tl/callbacks/csv_logger.hpp>
#include <tl/callbacks/model_checkpoint.hpp>
#include <tl/callbacks/progbar_logger.hpp>
#include <tl/models/detail/feature_cache.hpp>
#include <tl/models/functional.hpp>
#include <tl/optimizers/optimizer.hpp>

#include <functional>
#include <numeric>
#include <random>

#if TL_HAVE_C10D
namespace tl::distribute::detail {

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

}  // namespace tl::distribute::detail
#endif  // TL_HAVE_C10D
