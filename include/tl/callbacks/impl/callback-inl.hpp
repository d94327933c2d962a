#pragma once
#include <tl/callbacks/callback.hpp>

namespace tl::callbacks {

TL_INLINE Callback::~Callback() = default;
TL_INLINE void Callback::on_train_begin(const Logs&) {}
TL_INLINE void Callback::on_train_end(const Logs&) {}
TL_INLINE void Callback::on_epoch_begin(int, const Logs&) {}
TL_INLINE void Callback::on_epoch_end(int, const Logs&) {}
TL_INLINE void Callback::on_train_batch_begin(int64_t, const Logs&) {}
TL_INLINE void Callback::on_train_batch_end(int64_t, const Logs&) {}
TL_INLINE void Callback::on_test_begin(const Logs&) {}
TL_INLINE void Callback::on_test_end(const Logs&) {}
TL_INLINE void Callback::on_test_batch_begin(int64_t, const Logs&) {}
TL_INLINE void Callback::on_test_batch_end(int64_t, const Logs&) {}
TL_INLINE void Callback::on_predict_begin(const Logs&) {}
TL_INLINE void Callback::on_predict_end(const Logs&) {}
TL_INLINE void Callback::on_predict_batch_begin(int64_t, const Logs&) {}
TL_INLINE void Callback::on_predict_batch_end(int64_t, const Logs&) {}

}  // namespace tl::callbacks
