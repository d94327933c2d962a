#pragma once
/// tl: Keras's transfer-learning API in C++ on LibTorch. One include gives everything:
///   #include <tl/tl.hpp>
#include <tl/core/backend.hpp>
#include <tl/core/errors.hpp>
#include <tl/core/keras_tensor.hpp>
#include <tl/core/logs.hpp>
#include <tl/core/shape.hpp>
#include <tl/core/spec.hpp>
#include <tl/callbacks/callback.hpp>
#include <tl/callbacks/history.hpp>
#include <tl/callbacks/progbar_logger.hpp>
#include <tl/layers/layers.hpp>
#include <tl/losses/losses.hpp>
#include <tl/metrics/metrics.hpp>
#include <tl/mixed_precision/mixed_precision.hpp>
#include <tl/models/models.hpp>
#include <tl/optimizers/optimizers.hpp>
#include <tl/io/keras_weights.hpp>
#include <tl/utils/get_file.hpp>
#include <tl/utils/image_dataset.hpp>
#include <tl/utils/progbar.hpp>
#include <tl/utils/sequence.hpp>
#include <tl/preprocessing/image.hpp>
#include <tl/applications/applications.hpp>
#include <tl/callbacks/callbacks.hpp>
#include <tl/core/device.hpp>
#include <tl/models/load_model.hpp>
