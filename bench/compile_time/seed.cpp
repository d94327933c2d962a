// bench/compile_time.sh: the seed model's translation unit, compiled header-only (tl::tl) and compiled
// (TL_COMPILED, declarations only). Never linked or run: what is measured is the compiler's CPU time.
#include <tl/tl.hpp>

int main() {
  using namespace tl;
  auto base = applications::ResNet50({.include_top = false, .weights = "none"});
  base.trainable(false);
  auto inputs = Input({224, 224, 3});
  auto x = base(inputs);
  x = layers::GlobalAveragePooling2D()(x);
  auto outputs = layers::Dense(2, {.activation = "softmax"})(x);
  Model model(inputs, outputs, "my_model");
  model.compile({.optimizer = "Adam", .loss = "binary_crossentropy", .metrics = {"accuracy"}});
  model.summary();
  return 0;
}
