#pragma once
#include <tl/callbacks/lambda_callback.hpp>

namespace tl::callbacks {

TL_INLINE void LambdaCallback::on_epoch_begin(int epoch, const Logs& logs) { call(hooks_.on_epoch_begin, epoch, logs); }
TL_INLINE void LambdaCallback::on_epoch_end(int epoch, const Logs& logs) { call(hooks_.on_epoch_end, epoch, logs); }
TL_INLINE void LambdaCallback::on_train_batch_begin(int64_t batch, const Logs& logs) {
  call(hooks_.on_batch_begin, batch, logs);
}
TL_INLINE void LambdaCallback::on_train_batch_end(int64_t batch, const Logs& logs) {
  call(hooks_.on_batch_end, batch, logs);
}
TL_INLINE void LambdaCallback::on_train_begin(const Logs& logs) { call(hooks_.on_train_begin, logs); }
TL_INLINE void LambdaCallback::on_train_end(const Logs& logs) { call(hooks_.on_train_end, logs); }

}  // namespace tl::callbacks
