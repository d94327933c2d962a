// bench/compile_time.sh: the yardstick, a LibTorch-only translation unit of the same size as a user's program.
#include <torch/torch.h>

#include <iostream>

int main() {
  torch::nn::Linear linear(4, 2);
  auto y = linear(torch::randn({3, 4}));
  std::cout << y << "\n";
  return 0;
}
