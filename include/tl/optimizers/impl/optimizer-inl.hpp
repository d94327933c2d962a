#pragma once
#include <tl/core/errors.hpp>
#include <tl/core/shape.hpp>
#include <tl/optimizers/optimizer.hpp>

#include <torch/utils.h>

namespace tl::optimizers {

TL_INLINE Optimizer::~Optimizer() = default;

TL_INLINE double Optimizer::learning_rate() const { return learning_rate_; }

TL_INLINE void Optimizer::set_learning_rate(double learning_rate) { learning_rate_ = learning_rate; }

TL_INLINE int64_t Optimizer::iterations() const { return iterations_; }

TL_INLINE void Optimizer::apply_gradients(const std::vector<torch::Tensor>& params) {
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

TL_INLINE Optimizer::State Optimizer::get_state() const {
  State state{{"iter", torch::tensor(iterations_, torch::kInt64)}};
  for (const auto& slot : slot_names()) {
    const auto found = slots_.find(slot);
    if (found == slots_.end()) continue;  // no update yet
    for (size_t i = 0; i < found->second.size(); ++i)
      state.emplace_back(slot + "/" + std::to_string(i), found->second[i].detach().clone());
  }
  return state;
}

TL_INLINE void Optimizer::set_state(const State& state) {
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

TL_INLINE void Optimizer::ensure_slots(const std::vector<torch::Tensor>& params) {
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

}  // namespace tl::optimizers
