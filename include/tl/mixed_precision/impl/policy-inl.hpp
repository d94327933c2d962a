#pragma once
#include <tl/core/errors.hpp>
#include <tl/mixed_precision/policy.hpp>

#include <mutex>
#include <utility>

namespace tl::mixed_precision {

TL_INLINE Policy::Policy(std::string name) : name_(std::move(name)) {
  tl::detail::check(name_ == "float32" || name_ == "mixed_float16" || name_ == "mixed_bfloat16",
                    "Cannot convert value '" + name_ + "' to a mixed precision Policy. Valid policies are "
                    "'mixed_float16', 'mixed_bfloat16' and 'float32' (tl keeps every weight in float32).");
}

TL_INLINE std::string Policy::compute_dtype() const { return mixed() ? name_.substr(6) : name_; }

TL_INLINE torch::ScalarType Policy::compute_scalar_type() const {
  if (name_ == "mixed_float16") return torch::kHalf;
  return name_ == "mixed_bfloat16" ? torch::kBFloat16 : torch::kFloat;
}

namespace detail {
struct GlobalPolicy {
  std::mutex mutex;
  Policy policy = "float32";
};
TL_INLINE GlobalPolicy& global() {
  static GlobalPolicy g;
  return g;
}
}  // namespace detail

TL_INLINE void set_global_policy(const Policy& policy) {
  std::lock_guard lock(detail::global().mutex);
  detail::global().policy = policy;
}

TL_INLINE Policy global_policy() {
  std::lock_guard lock(detail::global().mutex);
  return detail::global().policy;
}

}  // namespace tl::mixed_precision
