#pragma once
// BatchNormalization folded into the Conv2D or DepthwiseConv2D before it, as torch.jit.freeze does: when the
// normalization uses its moving statistics (inference, or a frozen layer in training) the pair is one
// convolution whose kernel and bias absorb the scale and shift. One pass over the feature map instead of two.
#include <tl/core/config.hpp>
#include <tl/core/keras_tensor.hpp>

#include <torch/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace tl::layers {
class LayerImpl;
class Conv2DImpl;
class DepthwiseConv2DImpl;
class BatchNormalizationImpl;
}  // namespace tl::layers

namespace tl::models::detail {

/// Conv2D's computation (TensorFlow padding included) with another kernel and bias.
torch::Tensor conv2d_with(const layers::Conv2DImpl& conv, const torch::Tensor& x, const torch::Tensor& kernel,
                          const torch::Tensor& bias);

/// One Conv2D (or DepthwiseConv2D) -> BatchNormalization pair and its folded kernel and bias, recomputed when a
/// weight changes. A depthwise kernel `(C, M, kh, kw)` folds per output channel `c·M + m`, as its grouped
/// convolution's `(C·M, 1, kh, kw)` view numbers them.
class ConvBnFold {
 public:
  /// The pair as a fold, or nothing when it cannot be folded (an activation on the conv, BN on another axis).
  static std::optional<ConvBnFold> make(const std::shared_ptr<layers::LayerImpl>& conv_layer,
                                        const std::shared_ptr<layers::LayerImpl>& bn_layer, int bn_slot);

  int bn_slot() const { return bn_slot_; }

  /// True when the folded convolution computes what the pair computes: BN on its moving statistics, and no
  /// gradient wanted for a weight (the folded weights are constants).
  bool applies(bool training) const;

  /// The BatchNormalization's output for the Conv2D's input `x`.
  torch::Tensor forward(const torch::Tensor& x);

 private:
  ConvBnFold(std::shared_ptr<layers::Conv2DImpl> conv, std::shared_ptr<layers::DepthwiseConv2DImpl> depthwise,
             std::shared_ptr<layers::BatchNormalizationImpl> bn, int bn_slot);

  /// kernel (the weight itself: depthwise `(C, M, kh, kw)`), bias, gamma, beta, moving_mean, moving_variance
  /// (undefined where the layer has none).
  std::vector<torch::Tensor> weights() const;
  /// Identity and version of each weight: an optimizer step, set_weights or load_weights changes one of them.
  std::vector<std::pair<const void*, int64_t>> stamps() const;
  bool stale() const;
  // W' = W * gamma / sqrt(var + eps) per output channel; b' = (b - mean) * gamma / sqrt(var + eps) + beta.
  void refold(torch::MemoryFormat format);

  std::shared_ptr<layers::Conv2DImpl> conv_;            // one of conv_ and depthwise_
  std::shared_ptr<layers::DepthwiseConv2DImpl> depthwise_;
  std::shared_ptr<layers::BatchNormalizationImpl> bn_;
  int bn_slot_;
  torch::Tensor kernel_, bias_;
  std::vector<std::pair<const void*, int64_t>> stamps_;
};

/// The foldable pairs of an execution plan, by the slot of their convolution: a Conv2D or DepthwiseConv2D whose
/// only consumer is a BatchNormalization.
class ConvBnFolds {
 public:
  ConvBnFolds() = default;
  ConvBnFolds(const std::vector<std::shared_ptr<Node>>& plan, const std::vector<std::vector<int>>& arg_slots,
              int output_slot);

  /// Runs slot `s` fused with its BatchNormalization when the pair folds now and the BN is before `end`:
  /// the BN's slot gets the value, `s` stays empty. False when the plan must run slot `s` itself.
  bool try_run(size_t s, size_t end, bool training, const std::vector<torch::Tensor>& args,
               std::vector<torch::Tensor>& slots);

 private:
  std::vector<std::optional<ConvBnFold>> by_conv_slot_;
};

}  // namespace tl::models::detail

#ifdef TL_HEADER_ONLY
#include <tl/models/detail/impl/conv_bn_fold-inl.hpp>
#endif
