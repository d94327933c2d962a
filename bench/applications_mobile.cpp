// tl's side of bench/applications_mobile.sh: the forward pass of a frozen MobileNetV2 or EfficientNetB0 base
// (include_top=false, pooling="avg", random weights), batch 16 at 224, printing
// `RESULT,<benchmark>,<implementation>,<value>,<unit>,<note>` lines as bench/tl_bench.cpp does.
//   tl_bench_mobile mobilenet_v2|efficientnet_b0 ITERS
#include <tl/tl.hpp>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <iostream>
#include <string>
#include <vector>

namespace {

constexpr int64_t batch_size = 16;
constexpr int64_t image_size = 224;

void result(const std::string& bench, const std::string& impl, double value, const std::string& unit,
            const std::string& note = "") {
  std::cout << "RESULT," << bench << "," << impl << "," << value << "," << unit << "," << note << std::endl;
}

/// Multiply-accumulates of one image through the Conv2D, DepthwiseConv2D and Dense layers, from their shapes
/// (a kernel's numel per output pixel).
double macs_per_image(const tl::Model& model) {
  double macs = 0;
  for (const auto& layer : model.layers()) {
    const auto weights = layer->weights();
    if (weights.empty() || layer->node_count() == 0) continue;
    const auto out = layer->call_output_shapes()[0];
    const auto name = layer->class_name();
    if (name == "Conv2D") macs += double(out[1] * out[2]) * double(weights[0].value.numel());
    else if (name == "DepthwiseConv2D") macs += double(out[1] * out[2]) * double(weights[0].value.numel());
    else if (name == "Dense") macs += double(weights[0].value.numel());
  }
  return macs;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: tl_bench_mobile mobilenet_v2|efficientnet_b0 ITERS" << std::endl;
    return 2;
  }
  const std::string which = argv[1];
  const int iters = std::stoi(argv[2]);
  at::globalContext().setFlushDenormal(true);  // random weights: keep denormals from skewing either side
  namespace apps = tl::applications;
  const tl::Shape shape = {image_size, image_size, 3};
  auto base = which == "mobilenet_v2"
                  ? apps::MobileNetV2({.include_top = false, .weights = "none", .input_shape = shape, .pooling = "avg"})
                  : apps::EfficientNetB0({.include_top = false, .weights = "none", .input_shape = shape, .pooling = "avg"});
  base.trainable(false);
  result(which + "_macs", "tl", macs_per_image(base), "MAC/img", "Conv2D+DepthwiseConv2D+Dense from the shapes");
  const auto x = torch::rand({batch_size, image_size, image_size, 3}) * 255;  // NHWC, as Keras users feed it
  for (int i = 0; i < 3; ++i) base.predict_on_batch(x);
  std::vector<double> wall, cpu;
  for (int i = 0; i < iters; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const auto cpu_start = std::clock();
    base.predict_on_batch(x);
    cpu.push_back(double(std::clock() - cpu_start) / CLOCKS_PER_SEC);
    wall.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(wall.begin(), wall.end());
  std::sort(cpu.begin(), cpu.end());
  const double median_wall = wall[wall.size() / 2], median_cpu = cpu[cpu.size() / 2];
  result(which, "tl", double(batch_size) / median_wall, "img/s",
         "predict_on_batch; cpu " + std::to_string(int(1000 * median_cpu / double(batch_size))) + " ms/img");
  return 0;
}
