#pragma once
#include <tl/callbacks/save_freq.hpp>
#include <tl/core/errors.hpp>

namespace tl::callbacks {

TL_INLINE SaveFreq::SaveFreq(const std::string& freq) {
  tl::detail::check(freq == "epoch", "Unrecognized save_freq: " + freq + ". Expected save_freq are 'epoch' or integer");
}

TL_INLINE SaveFreq::SaveFreq(int64_t batches) : batches_(batches) {
  tl::detail::check(batches > 0, "save_freq must be 'epoch' or a positive number of batches, got " +
                                     std::to_string(batches));
}

}  // namespace tl::callbacks
