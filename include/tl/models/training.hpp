#pragma once
// Keras's Model training API: compile, fit, evaluate, predict and the *_on_batch calls, as ModelImpl's
// out-of-class definitions (declared in functional.hpp).
#include <tl/callbacks/progbar_logger.hpp>
#include <tl/models/detail/interrupt.hpp>
#include <tl/models/detail/tensor_sequence.hpp>
#include <tl/models/functional.hpp>

namespace tl::models {

namespace detail {

/// Every unique trainable tensor of the model, in weights() order.
inline std::vector<torch::Tensor> trainable_tensors(const ModelImpl& model) {
  std::vector<torch::Tensor> out;
  for (const auto& w : model.weights())
    if (w.trainable && std::none_of(out.begin(), out.end(), [&](auto& t) { return t.is_same(w.value); }))
      out.push_back(w.value);
  return out;
}

/// Per-sample weights from Keras's `class_weight`: one-hot or sparse labels pick their class's weight.
inline torch::Tensor class_weights_for(const torch::Tensor& y, const std::map<int64_t, double>& class_weight) {
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
inline torch::Tensor sample_weights_for(const utils::Batch& b, const std::map<int64_t, double>& class_weight) {
  auto cw = class_weights_for(b.y, class_weight);
  if (!b.sample_weight.defined()) return cw;
  return cw.defined() ? b.sample_weight.to(cw.device()) * cw : b.sample_weight;
}

inline void require_data(int64_t steps, const std::string& what) {
  tl::detail::check(steps > 0, what + ": the data has no batches (0 samples). Check the directory or arrays given "
                                      "(flow_from_directory prints how many images it found).");
}

/// Callbacks of one fit/evaluate/predict call: Keras puts the progress bar first and History last.
inline callbacks::CallbackList with_defaults(const callbacks::CallbackList& user, int verbose,
                                             std::shared_ptr<callbacks::History> history = nullptr) {
  callbacks::CallbackList list;
  if (verbose) list.add(std::make_shared<callbacks::ProgbarLogger>());
  for (const auto& c : user.items()) list.add(c);
  if (history) list.add(history);
  return list;
}

}  // namespace detail

inline void ModelImpl::compile(const CompileOptions& options) {
  auto& t = training_;
  t.optimizer = options.optimizer.resolve([](const std::string& n) { return optimizers::get(n); });
  tl::detail::check(!options.loss.empty(), "compile: a loss is required (e.g. .loss = \"binary_crossentropy\")");
  t.loss = options.loss.resolve([](const std::string& n) { return losses::get(n); });
  t.metric_specs = options.metrics;
  t.metrics.clear();
  t.loss_tracker = std::make_shared<metrics::Mean>("loss");
  t.trainable = detail::trainable_tensors(*this);
}

namespace detail {

/// Resolves the compiled metrics on the first batch, when y's shapes tell what "accuracy" means.
inline void resolve_metrics(TrainingState& t, const torch::Tensor& y, const torch::Tensor& pred) {
  if (t.metrics.size() == t.metric_specs.size()) return;
  t.metrics.clear();
  for (const auto& spec : t.metric_specs)
    t.metrics.push_back(spec.resolve([&](const std::string& n) { return metrics::get(n, y, pred); }));
}

inline void reset_metrics(TrainingState& t) {
  t.loss_tracker->reset_state();
  for (auto& m : t.metrics) m->reset_state();
}

inline Logs current_logs(const TrainingState& t) {
  Logs logs;
  logs.set("loss", t.loss_tracker->result());
  for (const auto& m : t.metrics) logs.set(m->name(), m->result());
  return logs;
}

/// Updates loss and metrics with one batch's results (Keras weighs the loss mean by batch size).
inline void update_metrics(TrainingState& t, const torch::Tensor& loss, const torch::Tensor& y,
                           const torch::Tensor& pred, const torch::Tensor& w) {
  t.loss_tracker->update(loss.item<double>(), double(pred.size(0)));
  resolve_metrics(t, y, pred);
  for (auto& m : t.metrics) m->update_state(y, pred, w);
}

}  // namespace detail

inline Logs ModelImpl::train_on_batch(const torch::Tensor& x, const torch::Tensor& y, const torch::Tensor& w) {
  tl::detail::check(compiled(), "You must compile your model before training/testing. Use `model.compile(...)`.");
  const auto dev = device();
  const auto yd = y.to(dev);
  const auto wd = w.defined() ? w.to(dev) : w;
  auto pred = to_keras_layout(forward_internal({to_internal_layout(x.to(dev, torch::kFloat))}, true));
  auto loss = (*training_.loss)(yd, pred, wd);
  loss.backward();
  training_.optimizer->apply_gradients(training_.trainable);
  for (auto& p : training_.trainable) p.mutable_grad().reset();
  torch::NoGradGuard no_grad;
  detail::update_metrics(training_, loss.detach(), yd, pred.detach(), wd);
  return detail::current_logs(training_);
}

inline Logs ModelImpl::test_on_batch(const torch::Tensor& x, const torch::Tensor& y, const torch::Tensor& w) {
  tl::detail::check(compiled(), "You must compile your model before training/testing. Use `model.compile(...)`.");
  c10::InferenceMode guard;
  const auto dev = device();
  const auto yd = y.to(dev);
  const auto wd = w.defined() ? w.to(dev) : w;
  auto pred = to_keras_layout(forward_internal({to_internal_layout(x.to(dev, torch::kFloat))}, false));
  detail::update_metrics(training_, (*training_.loss)(yd, pred, wd), yd, pred, wd);
  return detail::current_logs(training_);
}

inline torch::Tensor ModelImpl::predict_on_batch(const torch::Tensor& x) {
  c10::InferenceMode guard;
  return to_keras_layout(forward_internal({to_internal_layout(x.to(device(), torch::kFloat))}, false)).cpu();
}

namespace detail {

/// Runs `steps` test batches through the callbacks; the logs are the metrics over all of them.
inline Logs run_test(ModelImpl& model, utils::Sequence& data, int64_t steps, const callbacks::CallbackList& cbs,
                     const std::map<int64_t, double>& no_class_weight = {}) {
  reset_metrics(model.training_state());
  cbs.each([](auto& c) { c.on_test_begin({}); });
  Logs logs;
  for (int64_t step = 0; step < steps; ++step) {
    cbs.each([&](auto& c) { c.on_test_batch_begin(step, {}); });
    const auto b = data.get_batch(step % data.size());
    logs = model.test_on_batch(b.x, b.y, sample_weights_for(b, no_class_weight));
    cbs.each([&](auto& c) { c.on_test_batch_end(step, logs); });
  }
  cbs.each([&](auto& c) { c.on_test_end(logs); });
  return logs;
}

inline void prepare(const callbacks::CallbackList& cbs, ModelImpl& model, const callbacks::Params& params) {
  cbs.each([&](auto& c) {
    c.set_model(&model);
    c.set_params(params);
  });
}

/// Evaluates validation data and returns its logs renamed `val_loss`, `val_accuracy`, ...
inline Logs validate(ModelImpl& model, const ValidationData& v, const FitOptions& o, const callbacks::CallbackList& cbs) {
  std::unique_ptr<TensorSequence> arrays;
  utils::Sequence* data = v.sequence();
  if (!data) {
    arrays = std::make_unique<TensorSequence>(v.x(), v.y(), v.sample_weight(),
                                              o.validation_batch_size ? o.validation_batch_size : o.batch_size, false);
    data = arrays.get();
  }
  const int64_t steps = o.validation_steps > 0 ? o.validation_steps : data->size();
  require_data(steps, "fit: validation_data");
  Logs renamed;
  for (const auto& [k, value] : run_test(model, *data, steps, cbs)) renamed.set("val_" + k, value);
  return renamed;
}

}  // namespace detail

inline callbacks::History ModelImpl::fit(utils::Sequence& data, const FitOptions& o) {
  tl::detail::check(compiled(), "You must compile your model before training/testing. Use `model.compile(...)`.");
  tl::detail::check(o.epochs >= 0 && o.initial_epoch >= 0, "fit: epochs and initial_epoch must be >= 0");
  tl::detail::check(o.verbose >= 0 && o.verbose <= 2, "fit: verbose must be 0, 1 or 2");
  tl::detail::check(o.validation_freq > 0, "fit: validation_freq must be positive");
  backend::ensure_threads();
  const int64_t steps = o.steps_per_epoch > 0 ? o.steps_per_epoch : data.size();
  detail::require_data(steps, "fit");
  auto history = std::make_shared<callbacks::History>();
  const auto cbs = detail::with_defaults(o.callbacks, o.verbose, history);
  detail::prepare(cbs, *this, {o.epochs, steps, o.verbose});
  stop_training = false;
  resume_epoch = -1;
  const detail::InterruptGuard interrupt;  // Ctrl-C: stop after the current batch, still run on_train_end
  Logs logs;
  cbs.each([&](auto& c) { c.on_train_begin({}); });
  for (int epoch = resume_epoch >= 0 ? resume_epoch : o.initial_epoch; epoch < o.epochs && !stop_training; ++epoch) {
    detail::reset_metrics(training_);
    cbs.each([&](auto& c) { c.on_epoch_begin(epoch, {}); });
    for (int64_t step = 0; step < steps && !stop_training && !interrupt.requested(); ++step) {
      cbs.each([&](auto& c) { c.on_train_batch_begin(step, {}); });
      const auto b = data.get_batch(step % data.size());
      logs = train_on_batch(b.x, b.y, detail::sample_weights_for(b, o.class_weight));
      cbs.each([&](auto& c) { c.on_train_batch_end(step, logs); });
    }
    if (interrupt.requested()) break;  // an unfinished epoch is neither validated nor recorded
    if (!o.validation_data.empty() && (epoch + 1) % o.validation_freq == 0)
      for (const auto& [k, v] : detail::validate(*this, o.validation_data, o, cbs)) logs.set(k, v);
    cbs.each([&](auto& c) { c.on_epoch_end(epoch, logs); });
    data.on_epoch_end();
  }
  cbs.each([&](auto& c) { c.on_train_end(logs); });
  return *history;
}

inline callbacks::History ModelImpl::fit(const torch::Tensor& x, const torch::Tensor& y, FitOptions o) {
  tl::detail::check(y.defined(), "fit: y is required when x is a tensor");
  detail::TensorSequence data(x, y, o.sample_weight, o.batch_size, o.shuffle);
  return fit(data, o);
}

inline Logs ModelImpl::evaluate(utils::Sequence& data, const EvaluateOptions& o) {
  tl::detail::check(compiled(), "You must compile your model before training/testing. Use `model.compile(...)`.");
  backend::ensure_threads();
  const int64_t steps = o.steps > 0 ? o.steps : data.size();
  detail::require_data(steps, "evaluate");
  const auto cbs = detail::with_defaults(o.callbacks, o.verbose);
  detail::prepare(cbs, *this, {1, steps, o.verbose});
  return detail::run_test(*this, data, steps, cbs);
}

inline Logs ModelImpl::evaluate(const torch::Tensor& x, const torch::Tensor& y, const EvaluateOptions& o) {
  detail::TensorSequence data(x, y, o.sample_weight, o.batch_size, false);
  return evaluate(data, o);
}

inline torch::Tensor ModelImpl::predict(utils::Sequence& data, const PredictOptions& o) {
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

inline torch::Tensor ModelImpl::predict(const torch::Tensor& x, const PredictOptions& o) {
  detail::TensorSequence data(x, {}, {}, o.batch_size, false);
  return predict(data, o);
}

}  // namespace tl::models
