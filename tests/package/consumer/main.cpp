// Builds and runs a model through tl, whichever way tl was brought in and in whichever mode.
#include <tl/tl.hpp>

#include <iostream>

int main() {
  auto inputs = tl::Input({4});
  tl::Model model(inputs, tl::layers::Dense(2, {.activation = "softmax"})(inputs), "consumer");
  auto y = model.predict(torch::ones({3, 4}), {.verbose = 0});
#ifdef TL_COMPILED
  const char* mode = "compiled";
#else
  const char* mode = "header-only";
#endif
  std::cout << "consumer ok " << y.size(0) << "x" << y.size(1) << " " << mode << "\n";
  return y.sizes() == torch::IntArrayRef({3, 2}) ? 0 : 1;
}
