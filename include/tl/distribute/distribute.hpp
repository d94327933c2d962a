#pragma once
/// tl::distribute: Keras's tf.distribute strategies (MultiWorkerMirroredStrategy, MirroredStrategy) on PyTorch's
/// c10d runtime, the cluster from TF_CONFIG or torchrun's variables, and a small launcher. See docs/distributed.md.
#include <tl/distribute/cluster_resolver.hpp>
#include <tl/distribute/launch.hpp>
#include <tl/distribute/strategy.hpp>
