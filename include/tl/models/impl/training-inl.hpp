#pragma once
#include <tl/callbacks/history.hpp>
#include <tl/callbacks/progbar_logger.hpp>
#include <tl/core/backend.hpp>
#include <tl/core/errors.hpp>
#include <tl/losses/losses.hpp>
#include <tl/metrics/metrics.hpp>
#include <tl/mixed_precision/detail/autocast.hpp>
#include <tl/mixed_precision/loss_scale_optimizer.hpp>
#include <tl/models/detail/feature_cache.hpp>
#include <tl/models/detail/interrupt.hpp>
#include <tl/models/detail/tensor_sequence.hpp>
#include <tl/models/detail/training_state.hpp>
#include <tl/models/training.hpp>
#include <tl/optimizers/optimizers.hpp>

#include <torch/utils.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace tl::models {

namespace detail {

/// Every unique trainable tensor of the model, in weights() order.
TL_INLINE std::vector<torch::Tensor> trainable_tensors(const ModelImpl& model) {
  std::vector<torch::Tensor> out;
  for (const auto& w : model.weights())
    if (w.trainable && std::none_of(out.begin(), out.end(), [&](auto& t) { return t.is_same(w.value); }))
      out.push_back(w.value);
  return out;
}

/// Per-sample weights from Keras's `class_weight`: one-hot or sparse labels pick their class's weight.
TL_INLINE torch::Tensor class_weights_for(const torch::Tensor& y, const std::map<int64_t, double>& class_weight) {
  if (class_weight.empty() || !y.defined()) return {};
  const auto classes = (y.dim() >= 2 && y.size(-1) > 1 ? y.argmax(-1) : y.reshape({y.size(0)})).to(torch::kLong);
  auto w = torch::ones({y.size(0)});
  auto acc = classes.cpu();
  for (int64_t i = 0; i < w.size(0); ++i) {
    auto it = class_weight.find(acc[i].item<int64_t>());
    if (it != class_weight.end()) w[i] = it->second;
  }
  return w.to(y.device());
}

/// The batch's sample weights: explicit ones times class weights; undefined when neither is set.
TL_INLINE torch::Tensor sample_weights_for(const utils::Batch& b, const std::map<int64_t, double>& class_weight) {
  auto cw = class_weights_for(b.y, class_weight);
  if (!b.sample_weight.defined()) return cw;
  return cw.defined() ? b.sample_weight.to(cw.device()) * cw : b.sample_weight;
}

TL_INLINE void require_data(int64_t steps, const std::string& what) {
  tl::detail::check(steps > 0, what + ": the data has no batches (0 samples). Check the directory or arrays given "
                                      "(flow_from_directory prints how many images it found).");
}

/// Callbacks of one fit/evaluate/predict call: Keras puts the progress bar first and History last.
TL_INLINE callbacks::CallbackList with_defaults(const callbacks::CallbackList& user, int verbose,
                                             std::shared_ptr<callbacks::History> history = nullptr) {
  callbacks::CallbackList list;
  if (verbose) list.add(std::make_shared<callbacks::ProgbarLogger>());
  for (const auto& c : user.items()) list.add(c);
  if (history) list.add(history);
  return list;
}

/// with_defaults for this process of a fit or evaluate: in a distributed one, workers other than 0 print nothing and
/// keep only the callbacks that write no files (DataParallel::worker_callbacks).
TL_INLINE callbacks::CallbackList process_callbacks(const DataParallel* dp, const callbacks::CallbackList& user,
                                                    int verbose, std::shared_ptr<callbacks::History> history = nullptr) {
  if (!dp) return with_defaults(user, verbose, std::move(history));
  return with_defaults(dp->worker_callbacks(user), dp->is_chief() ? verbose : 0, std::move(history));
}

}  // namespace detail

TL_INLINE void ModelImpl::compile(const CompileOptions& options) {
  auto& t = detail::training_state(*this);
  t.optimizer = options.optimizer.resolve([](const std::string& n) { return optimizers::get(n); });
  using mixed_precision::LossScaleOptimizer;
  if (dtype_policy_.name() == "mixed_float16" && !std::dynamic_pointer_cast<LossScaleOptimizer>(t.optimizer))
    t.optimizer = std::make_shared<LossScaleOptimizer>(t.optimizer);  // as Keras's compile does
  tl::detail::check(!options.loss.empty(), "compile: a loss is required (e.g. .loss = \"binary_crossentropy\")");
  t.loss = options.loss.resolve([](const std::string& n) { return losses::get(n); });
  t.metric_specs = options.metrics;
  t.metrics.clear();
  t.loss_tracker = std::make_shared<metrics::Mean>("loss");
  t.trainable = detail::trainable_tensors(*this);
}

namespace detail {

/// Resolves the compiled metrics on the first batch, when y's shapes tell what "accuracy" means.
TL_INLINE void resolve_metrics(TrainingState& t, const torch::Tensor& y, const torch::Tensor& pred) {
  if (t.metrics.size() == t.metric_specs.size()) return;
  t.metrics.clear();
  for (const auto& spec : t.metric_specs)
    t.metrics.push_back(spec.resolve([&](const std::string& n) { return metrics::get(n, y, pred); }));
}

TL_INLINE void reset_metrics(TrainingState& t) {
  t.loss_tracker->reset_state();
  for (auto& m : t.metrics) m->reset_state();
}

/// The logs of a distributed fit: every metric's variables (Keras's `metric.variables`) summed over the workers
/// in one all-reduce, then each `result()` computed from the sums (Keras's ON_READ / SUM aggregation): the global
/// values, bitwise equal on every worker, while each worker keeps accumulating its own states. A metric without
/// variables() counts by its result weighted with this worker's sample count.
TL_INLINE Logs global_logs(const TrainingState& t) {
  std::vector<metrics::Metric*> all{t.loss_tracker.get()};
  for (const auto& m : t.metrics) all.push_back(m.get());
  std::vector<std::vector<torch::Tensor>> variables;
  std::vector<torch::Tensor> parts;
  const auto cpu64 = [](const torch::Tensor& v) { return v.detach().to(torch::kCPU, torch::kDouble).reshape({-1}); };
  for (auto* m : all) {
    variables.push_back(m->variables());
    if (!variables.back().empty()) {
      for (const auto& v : variables.back()) parts.push_back(cpu64(v));
      continue;
    }
    const double count = cpu64(variables.front().at(1)).item<double>();  // the loss tracker's: samples seen here
    parts.push_back(torch::tensor({count > 0 ? m->result() * count : 0.0, count}, torch::kDouble));
  }
  auto sums = torch::cat(parts);
  t.data_parallel->sum(sums, "the metrics' all-reduce");
  Logs logs;
  int64_t offset = 0;
  for (size_t i = 0; i < all.size(); ++i) {
    if (variables[i].empty()) {
      const double total = sums[offset].item<double>(), count = sums[offset + 1].item<double>();
      logs.set(all[i]->name(), count > 0 ? total / count : 0.0);
      offset += 2;
      continue;
    }
    std::vector<torch::Tensor> mine;
    for (auto& v : variables[i]) {  // the global sums in place, result(), then this worker's own states back
      mine.push_back(v.detach().clone());
      v.detach().copy_(sums.narrow(0, offset, v.numel()).view(v.sizes()));
      offset += v.numel();
    }
    logs.set(all[i]->name(), all[i]->result());
    for (size_t k = 0; k < mine.size(); ++k) variables[i][k].detach().copy_(mine[k]);
  }
  return logs;
}

TL_INLINE Logs current_logs(const TrainingState& t) {
  if (t.data_parallel) return global_logs(t);
  Logs logs;
  logs.set("loss", t.loss_tracker->result());
  for (const auto& m : t.metrics) logs.set(m->name(), m->result());
  return logs;
}

/// Updates loss and metrics with one batch's results (Keras weighs the loss mean by batch size).
TL_INLINE void update_metrics(TrainingState& t, const torch::Tensor& loss, const torch::Tensor& y,
                           const torch::Tensor& pred, const torch::Tensor& w) {
  t.loss_tracker->update(loss.item<double>(), double(pred.size(0)));
  resolve_metrics(t, y, pred);
  for (auto& m : t.metrics) m->update_state(y, pred, w);
}

}  // namespace detail

namespace detail {

TL_INLINE void require_compiled(const ModelImpl& model) {
  tl::detail::check(model.compiled(), "You must compile your model before training/testing. Use `model.compile(...)`.");
}

/// `forward()` under the model's dtype policy (autocast on `device`, the model's); the prediction in Keras's layout,
/// float32 whatever the policy, so that losses and metrics are computed in float32.
template <class Forward>
TL_INLINE torch::Tensor policy_forward(const ModelImpl& model, torch::Device device, Forward&& forward) {
  const mixed_precision::detail::AutocastScope autocast(model.dtype_policy(), device);
  return layers::LayerImpl::to_keras_layout(forward()).to(torch::kFloat);
}

/// The loss backward starts from: scaled up under a LossScaleOptimizer, so that float16 gradients do not vanish.
TL_INLINE torch::Tensor loss_for_backward(const TrainingState& t, const torch::Tensor& loss) {
  const auto* scaler = dynamic_cast<const mixed_precision::LossScaleOptimizer*>(t.optimizer.get());
  return scaler ? scaler->get_scaled_loss(loss) : loss;
}

/// One optimizer step: `forward()` gives the torch-layout prediction; loss, gradients, update, metrics.
/// A worker whose slice of a (small) global batch is empty: resolves the metrics as the others do (from y's and
/// the output's shapes, so that every worker reduces the same metric states) and computes nothing.
TL_INLINE bool empty_slice(const ModelImpl& model, TrainingState& t, const torch::Tensor& y) {
  if (!t.data_parallel || !y.defined() || y.size(0) > 0) return false;
  auto shape = model.outputs().at(0).shape();
  for (auto& d : shape) d = d < 0 ? 1 : d;
  shape.at(0) = 0;
  resolve_metrics(t, y, torch::zeros(shape));
  return true;
}

/// Backward, with the gradients summed over the workers of a distributed fit (DataParallel::before_backward).
TL_INLINE void backward(TrainingState& t, const torch::Tensor& loss, int64_t rows) {
  auto* dp = t.data_parallel.get();
  if (!dp) return loss_for_backward(t, loss).backward();
  dp->before_backward(t.trainable, rows);
  try {
    if (loss.defined()) loss_for_backward(t, loss).backward();
    dp->after_backward(t.trainable);
  } catch (...) {
    dp->abandon_backward();
    throw;
  }
}

template <class Forward>
TL_INLINE Logs train_step(ModelImpl& model, Forward&& forward, const torch::Tensor& y, const torch::Tensor& w) {
  require_compiled(model);
  auto& t = training_state(model);
  if (empty_slice(model, t, y)) {  // the others still sum their gradients with this worker's (none)
    backward(t, {}, 0);
    t.optimizer->apply_gradients(t.trainable);
    for (auto& p : t.trainable) p.mutable_grad().reset();
    torch::NoGradGuard no_grad;
    return current_logs(t);
  }
  const auto dev = model.device();
  const auto yd = y.to(dev);
  const auto wd = w.defined() ? w.to(dev) : w;
  auto pred = policy_forward(model, dev, forward);
  auto loss = (*t.loss)(yd, pred, wd);
  backward(t, loss, y.size(0));
  t.optimizer->apply_gradients(t.trainable);
  for (auto& p : t.trainable) p.mutable_grad().reset();
  torch::NoGradGuard no_grad;
  update_metrics(t, loss.detach(), yd, pred.detach(), wd);
  return current_logs(t);
}

/// One evaluation step: the prediction updates loss and metrics, no gradients.
template <class Forward>
TL_INLINE Logs test_step(ModelImpl& model, Forward&& forward, const torch::Tensor& y, const torch::Tensor& w) {
  require_compiled(model);
  c10::InferenceMode guard;
  auto& t = training_state(model);
  if (empty_slice(model, t, y)) return current_logs(t);
  const auto dev = model.device();
  const auto yd = y.to(dev);
  const auto wd = w.defined() ? w.to(dev) : w;
  auto pred = policy_forward(model, dev, forward);
  update_metrics(t, (*t.loss)(yd, pred, wd), yd, pred, wd);
  return current_logs(t);
}

TL_INLINE torch::Tensor internal_input(const ModelImpl& model, const torch::Tensor& x) {
  return layers::LayerImpl::to_internal_layout(x.to(model.device(), torch::kFloat));
}

}  // namespace detail

namespace detail {

/// This worker's rows of a batch given whole to every worker (train_on_batch, test_on_batch), as Keras splits such
/// a batch over the replicas; the batch itself in one process.
TL_INLINE utils::Batch worker_rows(ModelImpl& model, const utils::Batch& b, const char* phase) {
  auto* dp = training_state(model).data_parallel.get();
  if (!dp) return b;
  dp->ensure_synced(model);
  dp->position = {phase, -1, -1};
  const auto rows = utils::shard_rows(b.x.size(0), dp->rank(), dp->world());
  auto take = [&](const torch::Tensor& t) { return t.defined() ? t.narrow(0, rows.begin, rows.count) : t; };
  return {take(b.x), take(b.y), take(b.sample_weight)};
}

}  // namespace detail

TL_INLINE Logs ModelImpl::train_on_batch(const torch::Tensor& x, const torch::Tensor& y, const torch::Tensor& w) {
  backend::ensure_threads();  // LibTorch 1.13 otherwise runs a user's first call on one thread
  detail::require_compiled(*this);
  detail::reset_metrics(detail::training_state(*this));  // Keras's reset_metrics=True: the logs are this batch's alone
  const auto b = detail::worker_rows(*this, {x, y, w}, "train_on_batch");
  return detail::train_step(*this, [&] { return forward_internal({detail::internal_input(*this, b.x)}, true); }, b.y,
                            b.sample_weight);
}

TL_INLINE Logs ModelImpl::test_on_batch(const torch::Tensor& x, const torch::Tensor& y, const torch::Tensor& w) {
  backend::ensure_threads();  // LibTorch 1.13 otherwise runs a user's first call on one thread
  detail::require_compiled(*this);
  detail::reset_metrics(detail::training_state(*this));  // Keras's reset_metrics=True: the logs are this batch's alone
  const auto b = detail::worker_rows(*this, {x, y, w}, "test_on_batch");
  return detail::test_step(*this, [&] { return forward_internal({detail::internal_input(*this, b.x)}, false); }, b.y,
                           b.sample_weight);
}

TL_INLINE torch::Tensor ModelImpl::predict_on_batch(const torch::Tensor& x) {
  backend::ensure_threads();  // LibTorch 1.13 otherwise runs a user's first call on one thread
  c10::InferenceMode guard;
  const auto dev = device();
  const auto input = to_internal_layout(x.to(dev, torch::kFloat));
  return detail::policy_forward(*this, dev, [&] { return forward_internal({input}, false); }).cpu();
}

namespace detail {

/// A feature cache for this data, when the model has a frozen part and the data can be cached per sample.
TL_INLINE std::unique_ptr<FeatureCache> make_cache(ModelImpl& model, utils::Sequence& data, const FitOptions& o) {
  if (!o.cache_features || !data.deterministic() || data.size() == 0 || data.batch_ids(0).empty()) return nullptr;
  const int cut = model.frozen_prefix_end();
  if (cut < 0) return nullptr;
  return std::make_unique<FeatureCache>(cut, o.feature_cache_max_mb << 20);
}

/// One step of fit or evaluate on batch `index`: from cached features when the cache has them, else from
/// the batch's images (filling the cache on the way). A worker of a distributed fit works on its own rows of
/// the batch (Sequence::get_batch_shard), and its cache holds its own samples.
TL_INLINE Logs run_step(ModelImpl& model, utils::Sequence& data, int64_t index, int64_t steps, FeatureCache* cache,
                     const std::map<int64_t, double>& class_weight, bool training) {
  auto step = [&](auto&& forward, const utils::Batch& b) {
    const auto w = sample_weights_for(b, class_weight);
    return training ? train_step(model, forward, b.y, w) : test_step(model, forward, b.y, w);
  };
  const auto* dp = training_state(model).data_parallel.get();
  auto ids = [&] { return dp ? data.batch_ids_shard(index, dp->rank(), dp->world()) : data.batch_ids(index); };
  if (cache && cache->complete()) {
    torch::Tensor features;
    utils::Batch b;
    if (cache->gather(ids(), features, b))
      return step([&] { return model.forward_suffix(features, cache->cut(), training); }, b);
  }
  const auto b = dp ? data.get_batch_shard(index, dp->rank(), dp->world()) : data.get_batch(index);
  if (dp && b.x.size(0) == 0) return step([] { return torch::Tensor(); }, b);  // nothing to compute or cache here
  const auto x = internal_input(model, b.x);
  if (!cache || !cache->enabled() || cache->complete())
    return step([&] { return model.forward_internal({x}, training); }, b);
  torch::Tensor features;
  {
    torch::NoGradGuard no_grad;  // not InferenceMode: the features feed an autograd graph later
    const mixed_precision::detail::AutocastScope autocast(model.dtype_policy(), x.device());  // x is on the model's
    features = model.forward_prefix(x, cache->cut());
  }
  cache->store(ids(), features, b, steps);
  return step([&] { return model.forward_suffix(features, cache->cut(), training); }, b);
}

/// The end of a pass over the data for the feature cache (the workers of a distributed fit pool theirs first).
TL_INLINE void finish_cache_pass(ModelImpl& model, FeatureCache* cache) {
  if (!cache) return;
  if (auto* dp = training_state(model).data_parallel.get()) dp->share_feature_cache(*cache);
  cache->finish_pass();
}

/// Runs `steps` test batches through the callbacks; the logs are the metrics over all of them.
TL_INLINE Logs run_test(ModelImpl& model, utils::Sequence& data, int64_t steps, const callbacks::CallbackList& cbs,
                     FeatureCache* cache = nullptr) {
  reset_metrics(training_state(model));
  cbs.each([](auto& c) { c.on_test_begin({}); });
  Logs logs;
  auto* dp = training_state(model).data_parallel.get();
  for (int64_t step = 0; step < steps; ++step) {
    if (dp) dp->position.step = step;
    cbs.each([&](auto& c) { c.on_test_batch_begin(step, {}); });
    logs = run_step(model, data, step % data.size(), steps, cache, {}, false);
    cbs.each([&](auto& c) { c.on_test_batch_end(step, logs); });
  }
  finish_cache_pass(model, cache);
  cbs.each([&](auto& c) { c.on_test_end(logs); });
  return logs;
}

TL_INLINE void prepare(const callbacks::CallbackList& cbs, ModelImpl& model, const callbacks::Params& params) {
  cbs.each([&](auto& c) {
    c.set_model(&model);
    c.set_params(params);
  });
}

/// The validation data of one fit call, with its own feature cache across epochs.
class Validation {
 public:
  Validation(ModelImpl& model, const ValidationData& v, const FitOptions& o) : model_(model), options_(o) {
    data_ = v.sequence();
    if (!data_ && !v.empty()) {
      const int64_t batch = o.validation_batch_size ? o.validation_batch_size : o.batch_size;
      arrays_ = std::make_unique<TensorSequence>(v.x(), v.y(), v.sample_weight(), batch, false);
      data_ = arrays_.get();
    }
    if (!data_) return;
    steps_ = o.validation_steps > 0 ? o.validation_steps : data_->size();
    require_data(steps_, "fit: validation_data");
    cache_ = make_cache(model, *data_, o);
  }
  bool due(int epoch) const { return data_ && (epoch + 1) % options_.validation_freq == 0; }
  utils::Sequence* data() const { return data_; }
  /// Evaluates and returns the logs renamed `val_loss`, `val_accuracy`, ...
  Logs run(const callbacks::CallbackList& cbs) {
    Logs renamed;
    for (const auto& [k, value] : run_test(model_, *data_, steps_, cbs, cache_.get())) renamed.set("val_" + k, value);
    return renamed;
  }

 private:
  ModelImpl& model_;
  const FitOptions& options_;
  utils::Sequence* data_ = nullptr;
  std::unique_ptr<TensorSequence> arrays_;
  int64_t steps_ = 0;
  std::unique_ptr<FeatureCache> cache_;
};

}  // namespace detail

TL_INLINE callbacks::History ModelImpl::fit(utils::Sequence& data, const FitOptions& o) {
  detail::require_compiled(*this);
  tl::detail::check(o.epochs >= 0 && o.initial_epoch >= 0, "fit: epochs and initial_epoch must be >= 0");
  tl::detail::check(o.verbose >= 0 && o.verbose <= 2, "fit: verbose must be 0, 1 or 2");
  tl::detail::check(o.validation_freq > 0, "fit: validation_freq must be positive");
  tl::detail::check(o.steps_per_epoch >= 0 && o.validation_steps >= 0, "fit: steps_per_epoch and validation_steps must be >= 0");
  backend::ensure_threads();
  const int64_t steps = o.steps_per_epoch > 0 ? o.steps_per_epoch : data.size();
  detail::require_data(steps, "fit");
  detail::Validation validation(*this, o.validation_data, o);
  auto cache = detail::make_cache(*this, data, o);
  auto history = std::make_shared<callbacks::History>();
  auto& state = detail::training_state(*this);
  auto* dp = state.data_parallel.get();  // a distributed fit: only worker 0 prints and writes files
  const auto cbs = detail::process_callbacks(dp, o.callbacks, o.verbose, history);
  detail::prepare(cbs, *this, {o.epochs, steps, o.verbose});
  stop_training = false;
  state.resume_epoch = -1;  // a callback's resume_at_epoch() in on_train_begin sets it
  state.peer_interrupted = false;
  const detail::InterruptGuard interrupt;  // Ctrl-C: stop after the current batch, still run on_train_end
  // Whether to stop before the next batch. In a distributed fit every worker stops at the same batch, whichever
  // got Ctrl-C or set stop_training: one all-reduce of the two flags before each batch and after the last.
  auto halted = [&] {
    if (!dp) return stop_training || interrupt.requested();
    auto flags = torch::tensor({double(interrupt.requested()), double(stop_training)}, torch::kDouble);
    dp->sum(flags, "the stop agreement");
    state.peer_interrupted = flags[0].item<double>() > 0 && !interrupt.requested();
    stop_training = flags[1].item<double>() > 0;
    return stop_training || interrupted();
  };
  Logs logs;
  cbs.each([&](auto& c) { c.on_train_begin({}); });
  if (dp) dp->begin_fit(*this, data, validation.data(), state.resume_epoch);  // worker 0's weights, state, epoch
  const int first_epoch = state.resume_epoch >= 0 ? state.resume_epoch : o.initial_epoch;
  for (int epoch = first_epoch; epoch < o.epochs && !stop_training; ++epoch) {
    detail::reset_metrics(state);
    cbs.each([&](auto& c) { c.on_epoch_begin(epoch, {}); });
    for (int64_t step = 0; step < steps && !halted(); ++step) {
      if (dp) dp->position = {"fit", epoch, step};
      cbs.each([&](auto& c) { c.on_train_batch_begin(step, {}); });
      logs = detail::run_step(*this, data, step % data.size(), steps, cache.get(), o.class_weight, true);
      cbs.each([&](auto& c) { c.on_train_batch_end(step, logs); });
    }
    if (dp) halted();          // the workers agree on a Ctrl-C during the last batch too
    if (interrupted()) break;  // an unfinished epoch is neither validated nor recorded
    detail::finish_cache_pass(*this, cache.get());
    if (dp) dp->average_moving_statistics(*this);
    if (dp) dp->position = {"validation", epoch, -1};
    if (validation.due(epoch))
      for (const auto& [k, v] : validation.run(cbs)) logs.set(k, v);
    if (dp) dp->position = {"fit", epoch, -1};
    cbs.each([&](auto& c) { c.on_epoch_end(epoch, logs); });
    if (dp) stop_training = dp->any(stop_training, "stop_training agreement");
    data.on_epoch_end();
  }
  cbs.each([&](auto& c) { c.on_train_end(logs); });
  return *history;
}

TL_INLINE callbacks::History ModelImpl::fit(const torch::Tensor& x, const torch::Tensor& y, FitOptions o) {
  tl::detail::check(y.defined(), "fit: y is required when x is a tensor");
  tl::detail::check(o.batch_size > 0, "fit: batch_size must be positive, got " + std::to_string(o.batch_size));
  detail::TensorSequence data(x, y, o.sample_weight, o.batch_size, o.shuffle);
  return fit(data, o);
}

TL_INLINE Logs ModelImpl::evaluate(utils::Sequence& data, const EvaluateOptions& o) {
  detail::require_compiled(*this);
  backend::ensure_threads();
  const int64_t steps = o.steps > 0 ? o.steps : data.size();
  detail::require_data(steps, "evaluate");
  auto* dp = detail::training_state(*this).data_parallel.get();
  if (dp) {
    dp->ensure_synced(*this);
    dp->position = {"evaluate", -1, -1};
  }
  const auto cbs = detail::process_callbacks(dp, o.callbacks, o.verbose);
  detail::prepare(cbs, *this, {1, steps, o.verbose});
  return detail::run_test(*this, data, steps, cbs);
}

TL_INLINE Logs ModelImpl::evaluate(const torch::Tensor& x, const torch::Tensor& y, const EvaluateOptions& o) {
  detail::TensorSequence data(x, y, o.sample_weight, o.batch_size, false);
  return evaluate(data, o);
}

TL_INLINE torch::Tensor ModelImpl::predict(utils::Sequence& data, const PredictOptions& o) {
  backend::ensure_threads();
  const int64_t steps = o.steps > 0 ? o.steps : data.size();
  detail::require_data(steps, "predict");
  const auto cbs = detail::with_defaults(o.callbacks, o.verbose);
  detail::prepare(cbs, *this, {1, steps, o.verbose});
  std::vector<torch::Tensor> outputs;
  cbs.each([](auto& c) { c.on_predict_begin({}); });
  for (int64_t step = 0; step < steps; ++step) {
    cbs.each([&](auto& c) { c.on_predict_batch_begin(step, {}); });
    outputs.push_back(predict_on_batch(data.get_batch(step % data.size()).x));
    cbs.each([&](auto& c) { c.on_predict_batch_end(step, {}); });
  }
  cbs.each([](auto& c) { c.on_predict_end({}); });
  return torch::cat(outputs);
}

TL_INLINE torch::Tensor ModelImpl::predict(const torch::Tensor& x, const PredictOptions& o) {
  detail::TensorSequence data(x, {}, {}, o.batch_size, false);
  return predict(data, o);
}

}  // namespace tl::models
