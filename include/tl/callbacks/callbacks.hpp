#pragma once
// keras.callbacks: everything `fit(..., callbacks=[...])` accepts.
#include <tl/callbacks/backup_and_restore.hpp>
#include <tl/callbacks/callback.hpp>
#include <tl/callbacks/csv_logger.hpp>
#include <tl/callbacks/early_stopping.hpp>
#include <tl/callbacks/history.hpp>
#include <tl/callbacks/lambda_callback.hpp>
#include <tl/callbacks/model_checkpoint.hpp>
#include <tl/callbacks/progbar_logger.hpp>
#include <tl/callbacks/reduce_lr_on_plateau.hpp>
