// tl's side of bench/applications.sh: the forward pass of a keras.applications model without its top, random
// weights, frozen, `predict_on_batch` on NHWC images of the model's default size. Prints
// `RESULT,forward_<model>,tl,<img/s>,img/s,<note>` and `RESULT,<model>_macs,tl,<MAC/img>,MAC/img,...`.
//   applications_bench MODEL ITERS BATCH      e.g. applications_bench DenseNet121 5 8
#include "macs.hpp"

#include <tl/tl.hpp>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv) try {
  if (argc != 4) {
    std::cerr << "usage: applications_bench MODEL ITERS BATCH\n";
    return 2;
  }
  const std::string name = argv[1];
  const int iters = std::stoi(argv[2]);
  const int64_t batch = std::stoll(argv[3]);
  const int64_t size = name.rfind("Inception", 0) == 0 || name == "Xception" ? 299 : 224;
  auto model = tl::applications::by_name::get(name).make(
      {.include_top = false, .weights = "none", .input_shape = {size, size, 3}});
  model.trainable(false);
  const auto x = torch::rand({batch, size, size, 3}) * 2 - 1;
  std::cout << "RESULT," << name << "_macs,tl," << bench::macs_per_image(model) << ",MAC/img,from the layers' shapes at "
            << size << std::endl;
  for (int i = 0; i < 2; ++i) model.predict_on_batch(x);  // warm-up: plan, folded kernels
  std::vector<double> wall, cpu;
  for (int i = 0; i < iters; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const auto cpu_start = std::clock();
    model.predict_on_batch(x);
    cpu.push_back(double(std::clock() - cpu_start) / CLOCKS_PER_SEC);
    wall.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(wall.begin(), wall.end());
  std::sort(cpu.begin(), cpu.end());
  std::cout << "RESULT,forward_" << name << ",tl," << double(batch) / wall[wall.size() / 2]
            << ",img/s,predict_on_batch batch " << batch << " at " << size << "; cpu "
            << int(1000 * cpu[cpu.size() / 2] / double(batch)) << " ms/img" << std::endl;
  return 0;
} catch (const std::exception& e) {
  std::cerr << "applications_bench: " << e.what() << "\n";
  return 1;
}
