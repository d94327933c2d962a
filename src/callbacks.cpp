// tl::tl_compiled: the definitions of tl/callbacks, compiled once (see include/tl/core/config.hpp).
#include <tl/callbacks/detail/impl/format_filepath-inl.hpp>
#include <tl/callbacks/detail/impl/monitor-inl.hpp>
#include <tl/callbacks/detail/impl/training_backup-inl.hpp>
#include <tl/callbacks/impl/backup_and_restore-inl.hpp>
#include <tl/callbacks/impl/callback-inl.hpp>
#include <tl/callbacks/impl/csv_logger-inl.hpp>
#include <tl/callbacks/impl/early_stopping-inl.hpp>
#include <tl/callbacks/impl/history-inl.hpp>
#include <tl/callbacks/impl/lambda_callback-inl.hpp>
#include <tl/callbacks/impl/model_checkpoint-inl.hpp>
#include <tl/callbacks/impl/progbar_logger-inl.hpp>
#include <tl/callbacks/impl/reduce_lr_on_plateau-inl.hpp>
#include <tl/callbacks/impl/save_freq-inl.hpp>
