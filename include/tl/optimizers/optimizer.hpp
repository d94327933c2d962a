#pragma once
// Keras's OptimizerV2: iterations, a learning rate and per-parameter slots, updating torch tensors in place.
#include <tl/core/config.hpp>

#include <torch/types.h>

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
  TL_INLINE virtual ~Optimizer();

  /// Keras's class name: "Adam", "SGD", "RMSprop".
  virtual std::string name() const = 0;
  TL_INLINE virtual double learning_rate() const;
  TL_INLINE virtual void set_learning_rate(double learning_rate);
  /// Number of `apply_gradients` calls so far (Keras's `optimizer.iterations`).
  TL_INLINE virtual int64_t iterations() const;

  /// One update of every tensor in `params` that has a gradient (the others are skipped, as Keras skips
  /// variables whose gradient is None). Pass the same list in the same order each time; slots are reset
  /// when its size changes.
  TL_INLINE virtual void apply_gradients(const std::vector<torch::Tensor>& params);

  /// Iterations and slots, copied: "iter", then "<slot>/<position>" slot by slot (Keras's weight order).
  /// The tensors of Keras's `optimizer.get_weights()`, named; BackupAndRestore saves them.
  TL_INLINE virtual State get_state() const;

  /// Restores what `get_state` returned; the next `apply_gradients` continues exactly from there.
  TL_INLINE virtual void set_state(const State& state);

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
  void ensure_slots(const std::vector<torch::Tensor>& params);

  double learning_rate_;
  int64_t iterations_ = 0;
  std::map<std::string, std::vector<torch::Tensor>> slots_;  // slot name -> one tensor per parameter position
};

}  // namespace tl::optimizers

#ifdef TL_HEADER_ONLY
#include <tl/optimizers/impl/optimizer-inl.hpp>
#endif
