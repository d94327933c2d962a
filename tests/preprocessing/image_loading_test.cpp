// load_img, resizing and conversions against keras_preprocessing/PIL; the numpy RNG and affine transforms
// against numpy/scipy. (REQUIRE, not CHECK: glog, under torch, redefines CHECK.)
#include <tl/preprocessing/image.hpp>

#include "image_oracle.hpp"

namespace img = tl::preprocessing::image;
using tl::test::KerasImage;
using tl::test::numbers;
using tl::test::values_of;

namespace {
std::vector<double> tl_pixels(const std::string& file, int h, int w, const std::string& interp, const std::string& color) {
  img::LoadImgOptions o{color, {h, w}, interp, false};
  const auto x = tl::img_to_array(tl::load_img(file, o)).to(torch::kFloat64).flatten().contiguous();
  return {x.data_ptr<double>(), x.data_ptr<double>() + x.numel()};
}
}  // namespace

TEST_CASE("load_img matches Keras/PIL pixel for pixel for every interpolation and color mode", "[preprocessing][image]") {
  const std::vector<std::string> files{"cats/c01.png", "cats/c10.png", "cats/sub/c04.png", "cats/sub/deeper/c05.bmp",
                                       "cats/Z07.ppm", "cats/a08.png", "dogs/d3.png", "cats/c02.JPG"};
  struct Case { std::string file, interp, color; int h, w; };
  std::vector<Case> cases;
  KerasImage oracle;
  const auto& tree = oracle.need(tl::test::keras_image_tree());
  for (const std::string interp : {"nearest", "bilinear", "bicubic", "lanczos", "box", "hamming"})
    for (const std::string color : {"rgb", "grayscale", "rgba"})
      for (const auto& f : files)
        for (auto [h, w] : {std::pair{24, 20}, std::pair{50, 70}}) {
          cases.push_back({f, interp, color, h, w});
          oracle.add("load " + (tree / f).string() + " " + std::to_string(h) + " " + std::to_string(w) + " " + interp + " " + color);
        }
  const auto refs = oracle.run();
  for (size_t k = 0; k < cases.size(); ++k) {
    const auto& [f, interp, color, h, w] = cases[k];
    INFO(f << " " << interp << " " << color << " " << h << "x" << w);
    REQUIRE(tl_pixels((tree / f).string(), h, w, interp, color) == numbers(values_of(refs[k], "pixels")));
  }
}

TEST_CASE("JPEGs decode to PIL's pixels exactly (libjpeg-turbo with PIL's settings)", "[preprocessing][image]") {
  const std::vector<std::string> files{"cats/c02.JPG", "cats/c03.jpeg", "dogs/d2.jpg"};
  const std::vector<std::string> modes{"rgb", "grayscale", "rgba"};
  KerasImage oracle;
  const auto& tree = oracle.need(tl::test::keras_image_tree());
  for (const auto& f : files)
    for (const auto& m : modes) oracle.add("load " + (tree / f).string() + " 0 0 nearest " + m);
  const auto refs = oracle.run();
  for (size_t k = 0; k < files.size(); ++k)
    for (size_t m = 0; m < modes.size(); ++m) {
      INFO(files[k] << " " << modes[m]);
      REQUIRE(tl_pixels((tree / files[k]).string(), 0, 0, "nearest", modes[m]) == numbers(values_of(refs[k * modes.size() + m], "pixels")));
    }
}

TEST_CASE("numpy's legacy RNG draws Keras's get_random_transform parameters exactly", "[preprocessing][image]") {
  const std::vector<img::ImageDataGeneratorOptions> configs{
      {.rotation_range = 30, .width_shift_range = 0.2, .height_shift_range = 5, .brightness_range = {0.5, 1.5},
       .shear_range = 10, .zoom_range = 0.3, .channel_shift_range = 20, .horizontal_flip = true, .vertical_flip = true},
      {.width_shift_range = {-3, 0, 0.5}, .height_shift_range = 2.0, .zoom_range = {0.8, 1.0}},
      img::ImageDataGeneratorOptions{}};
  const std::vector<uint32_t> seeds{0u, 3u, 12345u};
  KerasImage oracle;
  for (uint32_t seed : seeds) oracle.add("params " + std::to_string(seed) + " 24 20 3");
  const auto refs = oracle.run();
  for (size_t i = 0; i < seeds.size(); ++i) {
    const uint32_t seed = seeds[i];
    const auto& ref = refs[i];
    for (size_t k = 0; k < configs.size(); ++k) {
      img::ImageDataGenerator gen(configs[k]);
      const auto p = gen.get_random_transform({24, 20, 3}, seed);
      const auto r = numbers(tl::test::Line(ref[k].begin() + 2, ref[k].end()));
      INFO("config " << k << " seed " << seed);
      REQUIRE(p.theta == r[0]);
      REQUIRE(p.tx == r[1]);
      REQUIRE(p.ty == r[2]);
      REQUIRE(p.shear == r[3]);
      REQUIRE(p.zx == r[4]);
      REQUIRE(p.zy == r[5]);
      REQUIRE(double(p.flip_horizontal) == r[6]);
      REQUIRE(double(p.flip_vertical) == r[7]);
      if (p.channel_shift_intensity) REQUIRE(*p.channel_shift_intensity == r[8]);
      REQUIRE(p.channel_shift_intensity.has_value() == !std::isnan(r[8]));
      REQUIRE(p.brightness.has_value() == !std::isnan(r[9]));
      if (p.brightness) REQUIRE(*p.brightness == r[9]);
    }
  }
}

TEST_CASE("apply_affine_transform matches scipy.ndimage for every fill_mode and order", "[preprocessing][image]") {
  // The oracle's input: numpy.random.RandomState(0).random_sample((h, w, c)) * 255 as float32.
  const int64_t h = 13, w = 17, c = 3;
  img::detail::NumpyRandom rng(0);
  auto x = torch::empty({h, w, c}, torch::kFloat64);
  for (int64_t i = 0; i < x.numel(); ++i) x.view(-1)[i] = rng.random() * 255;
  x = x.to(torch::kFloat32);
  struct Case { double theta, tx, ty, shear, zx, zy; };
  const std::vector<Case> cases{{30, 0, 0, 0, 1, 1}, {0, 3.5, -6.25, 0, 1, 1}, {0, 0, 0, 20, 1, 1},
                                {0, 0, 0, 0, 0.7, 1.3}, {-75, 2, 9, 15, 1.4, 0.6}, {180, 0, 0, 0, 1, 1}};
  struct Run { std::string fill; int order; Case k; std::string args; };
  std::vector<Run> runs;
  KerasImage oracle;
  for (const std::string fill : {"constant", "nearest", "reflect", "wrap"})
    for (int order : {0, 1})
      for (const auto& k : cases) {
        std::ostringstream args;
        args << "affine " << h << " " << w << " " << c << " " << k.theta << " " << k.tx << " " << k.ty << " " << k.shear
             << " " << k.zx << " " << k.zy << " " << fill << " 7.5 " << order;
        runs.push_back({fill, order, k, args.str()});
        oracle.add(args.str());
      }
  const auto refs = oracle.run();
  for (size_t i = 0; i < runs.size(); ++i) {
    const auto& [fill, order, k, args] = runs[i];
    const auto ref = torch::tensor(numbers(values_of(refs[i], "pixels"))).reshape({h, w, c});
    const auto y = img::apply_affine_transform(x, {k.theta, k.tx, k.ty, k.shear, k.zx, k.zy, fill, 7.5, order});
    INFO(args);
    const auto diff = (y.to(torch::kFloat64) - ref).abs();
    // Order 0 may pick the other neighbour when a coordinate lands within rounding of .5: allow a few pixels.
    REQUIRE((diff > 1e-3).sum().item<int64_t>() <= (order == 0 ? 3 : 0));
  }
}
