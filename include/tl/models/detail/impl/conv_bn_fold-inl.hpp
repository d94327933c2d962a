#pragma once
#include <tl/layers/batch_normalization.hpp>
#include <tl/layers/conv2d.hpp>
#include <tl/layers/conv_utils.hpp>
#include <tl/layers/depthwise_conv2d.hpp>
#include <tl/models/detail/conv_bn_fold.hpp>

#include <torch/utils.h>

#include <algorithm>

namespace tl::models::detail {

TL_INLINE torch::Tensor conv2d_with(const layers::Conv2DImpl& conv, const torch::Tensor& x,
                                    const torch::Tensor& kernel, const torch::Tensor& bias) {
  const auto& o = conv.options();
  const auto k = conv.kernel_size();
  tl::detail::AxisPadding ph, pw;
  if (o.padding == "same") {
    ph = tl::detail::same_padding(x.size(2), k.h, o.strides.h, o.dilation_rate.h);
    pw = tl::detail::same_padding(x.size(3), k.w, o.strides.w, o.dilation_rate.w);
  }
  return torch::conv2d(tl::detail::pad_odd_pixel(x, ph, pw), kernel, bias, {o.strides.h, o.strides.w},
                       {ph.before, pw.before}, {o.dilation_rate.h, o.dilation_rate.w});
}

TL_INLINE std::optional<ConvBnFold> ConvBnFold::make(const std::shared_ptr<layers::LayerImpl>& conv_layer,
                                                     const std::shared_ptr<layers::LayerImpl>& bn_layer, int bn_slot) {
  auto conv = std::dynamic_pointer_cast<layers::Conv2DImpl>(conv_layer);
  auto depthwise = std::dynamic_pointer_cast<layers::DepthwiseConv2DImpl>(conv_layer);
  auto bn = std::dynamic_pointer_cast<layers::BatchNormalizationImpl>(bn_layer);
  if (!(conv || depthwise) || !bn) return std::nullopt;
  const auto& activation = conv ? conv->options().activation : depthwise->options().activation;
  const auto axis = bn->options().axis;
  if (!(activation.empty() || activation == "linear") || !(axis == -1 || axis == 3)) return std::nullopt;
  return ConvBnFold(std::move(conv), std::move(depthwise), std::move(bn), bn_slot);
}

TL_INLINE ConvBnFold::ConvBnFold(std::shared_ptr<layers::Conv2DImpl> conv,
                                 std::shared_ptr<layers::DepthwiseConv2DImpl> depthwise,
                                 std::shared_ptr<layers::BatchNormalizationImpl> bn, int bn_slot)
    : conv_(std::move(conv)), depthwise_(std::move(depthwise)), bn_(std::move(bn)), bn_slot_(bn_slot) {}

TL_INLINE bool ConvBnFold::applies(bool training) const {
  if (training && !bn_->frozen_in_training()) return false;
  if (!torch::GradMode::is_enabled()) return true;
  const auto sources = weights();
  return std::none_of(sources.begin(), sources.end(), [](const auto& t) { return t.defined() && t.requires_grad(); });
}

TL_INLINE torch::Tensor ConvBnFold::forward(const torch::Tensor& x) {
  // The kernel kept in the input's memory format: the convolution would copy it to that format every call.
  const auto format = x.suggest_memory_format();
  if (stale() || !kernel_.is_contiguous(format)) refold(format);
  return conv_ ? conv2d_with(*conv_, x, kernel_, bias_) : depthwise_->convolve(x, kernel_, bias_);
}

TL_INLINE std::vector<torch::Tensor> ConvBnFold::weights() const {
  const auto c = conv_ ? conv_->weights() : depthwise_->weights();
  const auto b = bn_->weights();
  const auto& o = bn_->options();
  const size_t stats = size_t(o.scale) + size_t(o.center);
  return {c[0].value, c.size() > 1 ? c[1].value : torch::Tensor(), o.scale ? b[0].value : torch::Tensor(),
          o.center ? b[size_t(o.scale)].value : torch::Tensor(), b[stats].value, b[stats + 1].value};
}

TL_INLINE std::vector<std::pair<const void*, int64_t>> ConvBnFold::stamps() const {
  std::vector<std::pair<const void*, int64_t>> out;
  for (const auto& t : weights())
    out.emplace_back(t.defined() ? t.unsafeGetTensorImpl() : nullptr, t.defined() ? int64_t(t._version()) : 0);
  return out;
}

TL_INLINE bool ConvBnFold::stale() const { return !kernel_.defined() || stamps() != stamps_; }

TL_INLINE void ConvBnFold::refold(torch::MemoryFormat format) {
  c10::InferenceMode normal_tensors(false);  // plain constants, usable whatever mode the next call runs in
  torch::NoGradGuard no_grad;
  const auto w = weights();
  const auto d = [](const torch::Tensor& t) { return t.detach().to(torch::kDouble); };
  const auto mean = d(w[4]);
  auto scale = (d(w[5]) + bn_->options().epsilon).rsqrt();
  if (w[2].defined()) scale = scale * d(w[2]);
  auto bias = w[1].defined() ? (d(w[1]) - mean) * scale : -mean * scale;
  if (w[3].defined()) bias = bias + d(w[3]);
  // A depthwise kernel (C, M, kh, kw) as its grouped convolution takes it: (C·M, 1, kh, kw).
  const auto kernel = conv_ ? d(w[0]) : d(w[0]).reshape({-1, 1, w[0].size(2), w[0].size(3)});
  kernel_ = (kernel * scale.view({-1, 1, 1, 1})).to(w[0].scalar_type()).contiguous(format);
  bias_ = bias.to(w[0].scalar_type());
  stamps_ = stamps();
}

TL_INLINE ConvBnFolds::ConvBnFolds(const std::vector<std::shared_ptr<Node>>& plan,
                                   const std::vector<std::vector<int>>& arg_slots, int output_slot)
    : by_conv_slot_(plan.size()) {
  std::vector<std::vector<int>> consumers(plan.size());
  for (size_t s = 0; s < plan.size(); ++s)
    for (int a : arg_slots[s]) consumers[size_t(a)].push_back(int(s));
  for (size_t s = 0; s < plan.size(); ++s)
    if (int(s) != output_slot && consumers[s].size() == 1 && arg_slots[size_t(consumers[s][0])].size() == 1)
      by_conv_slot_[s] = ConvBnFold::make(plan[s]->layer, plan[size_t(consumers[s][0])]->layer, consumers[s][0]);
}

TL_INLINE bool ConvBnFolds::try_run(size_t s, size_t end, bool training, const std::vector<torch::Tensor>& args,
                                    std::vector<torch::Tensor>& slots) {
  if (s >= by_conv_slot_.size() || !by_conv_slot_[s]) return false;
  auto& fold = *by_conv_slot_[s];
  if (size_t(fold.bn_slot()) >= end || !fold.applies(training)) return false;
  slots[size_t(fold.bn_slot())] = fold.forward(args.at(0));
  return true;
}

}  // namespace tl::models::detail
