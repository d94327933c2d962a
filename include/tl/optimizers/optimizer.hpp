#pragma once
// Keras's OptimizerV2: iterations, a learning rate and per-parameter slots, updating torch tensors in place.
#include <tl/core/errors.hpp>
#include <tl/core/shape.hpp>

#include <torch/torch.h>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace tl::optimizers {

/// Base of every optimizer: `apply_gradients(params)` updates each tensor from its `.grad()` as Keras's
/// `optimizer.apply_gradients(zip(grads, vars))` does, keeping slots (Adam's m and v, ...) per position.
///   auto opt = tl::optimizers::get("adam");
///   loss.backward();
///   opt->apply_gradients(params);
class Optimizer {
 public:
  /// Named tensors, e.g. {"iter", ...}, {"m/0", ...}: the optimizer's weights in Keras's order.
  using State = std::vector<std::pair<std::string, torch::Tensor>>;

  explicit Optimizer(double learning_rate) : learning_rate_(learning_rate) {}
  virtual ~Optimizer() = default;

  /// Keras's class name: "Adam", "SGD", "RMSprop".
  virtual std::string name() const = 0;
  virtual double learning_rate() const { return learning_rate_; }
  virtual void set_learning_rate(double learning_rate) { learning_rate_ = learning_rate; }
  /// Number of `apply_gradients` calls so far (Keras's `optimizer.iterations`).
  virtual int64_t iterations() const { return iterations_; }

  /// One update of every tensor in `params` that has a gradient (the others are skipped, as Keras skips
  /// variables whose gradient is None). Pass the same list in the same order each time; slots are reset
  /// when its size changes.
  virtual void apply_gradients(const std::vector<torch::Tensor>& params) {
    torch::NoGradGuard no_grad;
    ensure_slots(params);
    Group group;
    group.step = iterations_ + 1;
    for (size_t i = 0; i < params.size(); ++i) {
      if (!params[i].grad().defined()) continue;
      group.params.push_back(params[i]);
      group.grads.push_back(params[i].grad());
      for (auto& [slot, tensors] : slots_) group.slots[slot].push_back(tensors[i]);
    }
    if (!group.params.empty()) update(group);
    ++iterations_;
  }

  /// Iterations and slots, copied: "iter", then "<slot>/<position>" slot by slot (Keras's weight order).
  virtual State get_state() const {
    State state{{"iter", torch::tensor(iterations_, torch::kInt64)}};
    for (const auto& slot : slot_names()) {
      const auto found = slots_.find(slot);
      if (found == slots_.end()) continue;  // no update yet
      for (size_t i = 0; i < found->second.size(); ++i)
        state.emplace_back(slot + "/" + std::to_string(i), found->second[i].detach().clone());
    }
    return state;
  }

  /// Restores what `get_state` returned; the next `apply_gradients` continues exactly from there.
  virtual void set_state(const State& state) {
    std::map<std::string, std::vector<torch::Tensor>> slots;
    for (const auto& slot : slot_names()) slots[slot];
    int64_t iterations = 0;
    for (const auto& [key, value] : state) {
      if (key == "iter") {
        iterations = value.item<int64_t>();
        continue;
      }
      const auto slash = key.rfind('/');
      const auto slot = key.substr(0, slash);
      detail::check(slash != std::string::npos && slots.count(slot),
                    name() + ".set_state: unknown state entry '" + key + "'");
      auto& tensors = slots[slot];
      detail::check(key.substr(slash + 1) == std::to_string(tensors.size()),
                    name() + ".set_state: entry '" + key + "' is out of order");
      tensors.push_back(value.detach().clone());
    }
    for (const auto& [slot, tensors] : slots)
      detail::check(tensors.size() == slots.begin()->second.size(),
                    name() + ".set_state: slot '" + slot + "' has a different number of tensors than the others");
    iterations_ = iterations;
    slots_ = std::move(slots);
  }

 protected:
  /// The tensors one update works on, aligned: parameters that have a gradient, their gradients, their slots.
  struct Group {
    std::vector<torch::Tensor> params, grads;
    std::map<std::string, std::vector<torch::Tensor>> slots;
    int64_t step = 1;  // Keras's local_step = iterations + 1
  };
  /// Names of the slots this optimizer keeps per parameter, in Keras's creation order.
  virtual std::vector<std::string> slot_names() const = 0;
  /// Updates `group.params` (and slots) in place.
  virtual void update(Group& group) = 0;

 private:
  /// Zero slots for a new parameter list; restored slots are checked and moved to the parameter's device.
  void ensure_slots(const std::vector<torch::Tensor>& params) {
    const auto names = slot_names();
    const bool fresh = slots_.size() != names.size() ||
                       (!names.empty() && slots_.begin()->second.size() != params.size());
    if (fresh) {
      slots_.clear();
      for (const auto& slot : names)
        for (const auto& p : params) slots_[slot].push_back(torch::zeros_like(p, torch::MemoryFormat::Preserve));
      return;
    }
    for (auto& [slot, tensors] : slots_)
      for (size_t i = 0; i < params.size(); ++i) {
        detail::check(tensors[i].sizes() == params[i].sizes(),
                      name() + ": slot '" + slot + "' of parameter " + std::to_string(i) + " has shape " +
                          to_string(tensors[i].sizes().vec()) + " but the parameter has shape " +
                          to_string(params[i].sizes().vec()));
        if (tensors[i].device() != params[i].device() || tensors[i].dtype() != params[i].dtype())
          tensors[i] = tensors[i].to(params[i].options());
      }
  }

  double learning_rate_;
  int64_t iterations_ = 0;
  std::map<std::string, std::vector<torch::Tensor>> slots_;  // slot name -> one tensor per parameter position
};

}  // namespace tl::optimizers
