// image_dataset_from_directory against tf.keras 2.11's rules (tests/python/image_dataset_ref.py transcribes
// keras/utils/dataset_utils.py; pixels come from PIL + float64 torch.nn.functional.interpolate): file order,
// labels, printed lines, splits, pixels, per-epoch order, batches per label_mode, errors, the bad-file policy, fit.
#include <tl/utils/image_dataset.hpp>

#include "dataset_oracle.hpp"

#include <fstream>
#include <set>

namespace utils = tl::utils;
using tl::test::DatasetOracle;

namespace {

std::vector<int> ints(const std::vector<std::string>& values) {
  std::vector<int> v;
  for (const auto& s : values) v.push_back(std::stoi(s));
  return v;
}

/// The dataset, built silently (the printed lines are compared where a test wants them).
utils::ImageDataset quiet(const std::filesystem::path& dir, const utils::ImageDatasetOptions& o) {
  std::optional<utils::ImageDataset> ds;
  tl::test::capture_stdout([&] { ds.emplace(utils::image_dataset_from_directory(dir, o)); });
  return *ds;
}

/// A two-class folder of small PNGs: a/0.png .. a/(n-1).png, b/0.png .. ; pixel value i + 10 * class.
void make_two_classes(const std::filesystem::path& root, int per_class, int size = 6) {
  for (int c = 0; c < 2; ++c) {
    const auto dir = root / (c == 0 ? "a" : "b");
    std::filesystem::create_directories(dir);
    for (int i = 0; i < per_class; ++i)
      tl::save_img(dir / (std::to_string(i) + ".png"), torch::full({size, size, 3}, float(i + 10 * c)), "", false);
  }
}

}  // namespace

TEST_CASE("image_dataset_from_directory lists files, labels, subsets and prints as tf.keras does", "[utils][image_dataset]") {
  struct Case { std::string labels; bool shuffle; uint32_t seed; double split; std::string subset; bool follow; std::string classes; };
  const std::vector<Case> cases{{"inferred", true, 42, 0, "none", false, "-"},
                                {"inferred", false, 1, 0, "none", false, "-"},
                                {"inferred", true, 7, 0.3, "training", false, "-"},
                                {"inferred", true, 7, 0.3, "validation", false, "-"},
                                {"inferred", true, 123, 0.25, "both", false, "-"},
                                {"none", true, 5, 0, "none", false, "-"},
                                {"none", false, 5, 0.2, "validation", true, "-"},
                                {"inferred", true, 9, 0, "none", true, "-"},
                                {"inferred", false, 3, 0, "none", false, "zebra,cats,empty_class,dogs"}};
  DatasetOracle oracle;
  const auto tree = oracle.tree();
  for (const auto& c : cases) {
    std::ostringstream r;
    r << "index " << tree.string() << " " << c.labels << " " << c.shuffle << " " << c.seed << " " << c.split << " "
      << c.subset << " " << c.follow << " " << c.classes;
    oracle.add(r.str());
  }
  const auto refs = oracle.run();
  for (size_t k = 0; k < cases.size(); ++k) {
    const auto& c = cases[k];
    const auto& ref = refs[k];
    INFO("case " << k << ": labels=" << c.labels << " shuffle=" << c.shuffle << " seed=" << c.seed << " split=" << c.split
                 << " subset=" << c.subset << " follow_links=" << c.follow);
    utils::ImageDatasetOptions o{.label_mode = c.labels == "none" ? "" : "int", .batch_size = 4, .image_size = {8, 8},
                                 .shuffle = c.shuffle, .seed = c.seed, .validation_split = c.split,
                                 .subset = c.subset == "none" ? "" : c.subset, .follow_links = c.follow,
                                 .loader = {.workers = 0}};
    if (c.classes != "-") {
      std::stringstream names(c.classes);
      for (std::string n; std::getline(names, n, ',');) o.class_names.push_back(n);
    }
    std::optional<utils::ImageDataset> ds;
    const auto printed = tl::test::capture_stdout([&] { ds.emplace(utils::image_dataset_from_directory(tree, o)); });
    std::string expected;
    for (const auto& line : DatasetOracle::all_of(ref, "printed")) expected += line.at(0) + "\n";
    REQUIRE(printed == expected);
    if (c.labels != "none") REQUIRE(ds->class_names == DatasetOracle::first_of(ref, "class_names"));
    const auto paths = DatasetOracle::all_of(ref, "file_paths");
    const auto labels = DatasetOracle::all_of(ref, "labels");
    std::vector<utils::ImageDataset> parts;
    if (c.subset == "both") {
      auto [train, val] = *ds;
      parts = {train, val};
    } else {
      parts = {*ds};
    }
    REQUIRE(parts.size() == paths.size());
    for (size_t p = 0; p < parts.size(); ++p) {
      CHECK(parts[p].file_paths == paths[p]);
      CHECK(parts[p].labels == ints(labels[p]));
      CHECK(parts[p].size() == (static_cast<int64_t>(paths[p].size()) + 3) / 4);
      CHECK(parts[p].class_names == ds->class_names);
    }
  }
}

TEST_CASE("image_dataset_from_directory pixels equal tf.image.resize's (float64 torch interpolate oracle)", "[utils][image_dataset]") {
  struct Case { std::string file; int h, w; std::string method; bool crop; std::string color; };
  const std::vector<Case> cases{
      {"cats/c01.png", 24, 20, "bilinear", false, "rgb"},     {"cats/c01.png", 20, 20, "bilinear", true, "rgb"},
      {"cats/c01.png", 9, 31, "bilinear", true, "rgb"},       {"zebra/z3.png", 13, 17, "bilinear", false, "rgb"},
      {"cats/c10.png", 20, 24, "bilinear", false, "rgba"},    {"cats/sub/c04.png", 9, 7, "bilinear", false, "grayscale"},
      {"cats/a08.png", 24, 32, "area", false, "rgb"},          {"dogs/d6.png", 32, 32, "area", false, "rgb"},
      {"dogs/d1.png", 16, 24, "nearest", false, "rgb"},        {"dogs/d3.png", 30, 10, "nearest", false, "rgb"},
      {"zebra/z1.png", 16, 16, "bilinear", false, "rgb"},      {"cats/g09.gif", 11, 15, "bilinear", false, "rgb"},
      {"dogs/d5.png", 7, 5, "bilinear", false, "rgb"}};
  DatasetOracle oracle;
  const auto tree = oracle.tree();
  for (const auto& c : cases)
    oracle.add("pixels " + (tree / c.file).string() + " " + std::to_string(c.h) + " " + std::to_string(c.w) + " " +
               c.method + " " + (c.crop ? "1" : "0") + " " + c.color);
  const auto refs = oracle.run();
  for (size_t k = 0; k < cases.size(); ++k) {
    const auto& c = cases[k];
    INFO(c.file << " -> (" << c.h << ", " << c.w << ") " << c.method << (c.crop ? " crop_to_aspect_ratio " : " ") << c.color);
    const int channels = c.color == "rgb" ? 3 : c.color == "rgba" ? 4 : 1;
    const auto x = utils::detail::load_image((tree / c.file).string(), {c.h, c.w}, channels, c.method, c.crop);
    std::vector<double> expected;
    for (const auto& v : DatasetOracle::first_of(refs[k], "values")) expected.push_back(std::stod(v));
    REQUIRE(x.sizes().vec() == std::vector<int64_t>{c.h, c.w, channels});
    REQUIRE(x.scalar_type() == torch::kFloat32);
    const auto ref = torch::tensor(expected, torch::kDouble).view({c.h, c.w, channels});
    CHECK((x.to(torch::kDouble) - ref).abs().max().item<double>() <= 1e-4);
  }
  // The dataset's batches are these images, in the dataset's order.
  const auto ds = quiet(tree, {.batch_size = 5, .image_size = {12, 10}, .shuffle = false, .loader = {.workers = 2}});
  auto batch = const_cast<utils::ImageDataset&>(ds)[1];
  for (int64_t i = 0; i < batch.x.size(0); ++i)
    CHECK(batch.x[i].equal(utils::detail::load_image(ds.file_paths[5 + i], {12, 10}, 3, "bilinear", false)));
}

TEST_CASE("the loader's resize (vector loops, per-thread taps) equals tf.image.resize on tensors", "[utils][image_dataset]") {
  namespace img = tl::preprocessing::image;
  // Widths whose rows are no multiple of the 16- and 8-byte loops (their scalar tails), every channel count, a crop
  // window, and sizes and methods in turn: the per-thread taps must follow each change.
  torch::manual_seed(7);
  for (const int channels : {3, 1, 4}) {
    img::Image image{301, 37, channels, {}};
    const auto pixels = torch::randint(0, 256, {37, 301, channels}, torch::kUInt8);
    image.pixels.assign(pixels.data_ptr<uint8_t>(), pixels.data_ptr<uint8_t>() + pixels.numel());
    const auto as_float = pixels.to(torch::kFloat32);
    for (const std::string method : {"bilinear", "nearest", "bicubic", "area", "lanczos3", "bilinear"})
      for (const auto& size : {std::pair{19, 150}, std::pair{37, 301}, std::pair{60, 405}, std::pair{19, 150}}) {
        INFO(channels << " channels, " << method << " to " << size.first << "x" << size.second);
        const auto method_id = img::detail::resize_method(method);
        const auto x = img::detail::resize_image(image, {0, 0, 37, 301}, size, method_id);
        CHECK((x - img::resize_images(as_float, size, method)).abs().max().item<float>() < 2e-4f);
        const auto crop = img::detail::resize_image(image, {3, 11, 30, 250}, size, method_id);
        const auto window = as_float.slice(0, 3, 33).slice(1, 11, 261);
        CHECK((crop - img::resize_images(window, size, method)).abs().max().item<float>() < 2e-4f);
      }
  }
}

TEST_CASE("tf.image.resize's other methods: constant images stay constant, same size is the identity", "[utils][image_dataset]") {
  namespace img = tl::preprocessing::image;
  const auto constant = torch::full({2, 9, 13, 3}, 77.0f);
  const auto random = torch::randint(0, 256, {1, 10, 12, 2}).to(torch::kFloat32);
  for (const std::string method : {"bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5", "gaussian", "mitchellcubic"}) {
    INFO(method);
    for (const auto& size : {std::pair{5, 7}, std::pair{20, 31}, std::pair{9, 13}})
      CHECK((img::resize_images(constant, size, method) - 77.0f).abs().max().item<float>() < 1e-3f);
    if (method == "gaussian" || method == "mitchellcubic") continue;  // not interpolating: they blur at any size
    const auto same = img::resize_images(random, {10, 12}, method);
    CHECK((same - random).abs().max().item<float>() < (method.rfind("lanczos", 0) == 0 ? 1e-3f : 1e-5f));
  }
  // Upper-case names as Keras's get_interpolation lower-cases them; an unknown one names the supported ones.
  CHECK(img::resize_images(random, {5, 6}, "BILINEAR").equal(img::resize_images(random, {5, 6}, "bilinear")));
  CHECK_THROWS_WITH(img::resize_images(random, {5, 6}, "cubic"),
                    Catch::Contains("Value not recognized for `interpolation`: cubic") && Catch::Contains("mitchellcubic"));
  // The tensor path (resize_images, RandomCrop) and the loader's agree.
  const auto tree = DatasetOracle::made_tree();
  const auto loaded = utils::detail::load_image((tree / "cats/c01.png").string(), {23, 37}, 3, "bilinear", false);  // no resize
  for (const std::string method : {"bilinear", "bicubic", "area", "lanczos3", "nearest"}) {
    INFO(method);
    CHECK((img::resize_images(loaded, {17, 29}, method) -
           utils::detail::load_image((tree / "cats/c01.png").string(), {17, 29}, 3, method, false)).abs().max().item<float>() < 2e-4f);
  }
  CHECK((img::smart_resize(loaded.unsqueeze(0), {11, 11})[0] -
         utils::detail::load_image((tree / "cats/c01.png").string(), {11, 11}, 3, "bilinear", true)).abs().max().item<float>() < 2e-4f);
}

TEST_CASE("the per-epoch order is tl's documented shuffle-buffer rule; validation of subset=both is not reshuffled", "[utils][image_dataset]") {
  DatasetOracle oracle;
  const auto tree = oracle.tree();
  for (int epoch = 0; epoch < 3; ++epoch) oracle.add("buffer 20 16 42 " + std::to_string(epoch));
  oracle.add("buffer 7 1024 3 0");
  const auto refs = oracle.run();
  for (int epoch = 0; epoch < 3; ++epoch) {
    std::vector<int64_t> expected;
    for (const auto& v : DatasetOracle::first_of(refs[epoch], "order")) expected.push_back(std::stoll(v));
    CHECK(utils::detail::shuffle_buffer_order(20, 16, 42, epoch) == expected);
  }
  std::vector<int64_t> small;
  for (const auto& v : DatasetOracle::first_of(refs[3], "order")) small.push_back(std::stoll(v));
  CHECK(utils::detail::shuffle_buffer_order(7, 1024, 3, 0) == small);
  // A buffer of B moves an element at most B - 1 places forward.
  const auto order = utils::detail::shuffle_buffer_order(500, 16, 9, 0);
  for (size_t pos = 0; pos < order.size(); ++pos) CHECK(order[pos] <= static_cast<int64_t>(pos) + 15);

  // The dataset follows it: batch_size 2 -> buffer 16; epoch e after e on_epoch_end calls.
  auto [train, val] = quiet(tree, {.batch_size = 2, .image_size = {4, 4}, .seed = 42, .validation_split = 0.25,
                                   .subset = "both", .loader = {.workers = 0}});
  const auto ids_of = [](utils::ImageDataset& ds) {
    std::vector<int64_t> ids;
    for (int64_t b = 0; b < ds.size(); ++b)
      for (auto id : ds.batch_ids(b)) ids.push_back(id);
    return ids;
  };
  const auto n = static_cast<int64_t>(train.file_paths.size());
  std::vector<int64_t> first_val = ids_of(val);
  for (int epoch = 0; epoch < 3; ++epoch) {
    CHECK(ids_of(train) == utils::detail::shuffle_buffer_order(n, 16, 42, epoch));
    CHECK(ids_of(val) == first_val);  // Keras batches the validation half without .shuffle()
    train.on_epoch_end();
    val.on_epoch_end();
  }
  std::vector<int64_t> in_order(first_val.size());
  std::iota(in_order.begin(), in_order.end(), 0);
  CHECK(first_val == in_order);
  // shuffle=false: sorted order, every epoch; unbatched: a buffer of 1024.
  auto sorted = quiet(tree, {.batch_size = 3, .image_size = {4, 4}, .shuffle = false, .loader = {.workers = 0}});
  sorted.on_epoch_end();
  std::vector<int64_t> all(sorted.file_paths.size());
  std::iota(all.begin(), all.end(), 0);
  CHECK(ids_of(sorted) == all);
  auto single = quiet(tree, {.batch_size = std::nullopt, .image_size = {4, 4}, .seed = 3, .loader = {.workers = 0}});
  CHECK(ids_of(single) == utils::detail::shuffle_buffer_order(static_cast<int64_t>(single.file_paths.size()), 1024, 3, 0));
}

TEST_CASE("image_dataset_from_directory batches: shapes, label modes, unbatched, index and range-for", "[utils][image_dataset]") {
  tl::test::TempDir dir;
  make_two_classes(dir.path(), 5);
  const utils::ImageDatasetOptions base{.batch_size = 4, .image_size = {6, 6}, .shuffle = false, .loader = {.workers = 2}};

  auto ds = quiet(dir.path(), base);
  REQUIRE(ds.size() == 3);
  REQUIRE(ds.class_names == std::vector<std::string>{"a", "b"});
  auto b0 = ds[0];
  CHECK(b0.x.sizes().vec() == std::vector<int64_t>{4, 6, 6, 3});
  CHECK(b0.x.scalar_type() == torch::kFloat32);
  CHECK(b0.y.scalar_type() == torch::kInt32);
  CHECK(b0.y.sizes().vec() == std::vector<int64_t>{4});
  CHECK(ds[2].x.size(0) == 2);
  CHECK(ds[2].y.equal(torch::tensor({1, 1}, torch::kInt32)));
  CHECK(b0.x[1][0][0][0].item<float>() == 1.0f);  // a/1.png, 0..255 values as loaded
  CHECK(ds[1].x[1][0][0][0].item<float>() == 10.0f);  // b/0.png
  int64_t visited = 0, images = 0;
  for (const auto& batch : ds) {
    CHECK(batch.x.equal(ds[visited].x));
    ++visited;
    images += batch.x.size(0);
  }
  CHECK(visited == ds.size());
  CHECK(images == 10);

  auto o = base;
  o.label_mode = "binary";
  auto binary = quiet(dir.path(), o)[2].y;
  CHECK(binary.scalar_type() == torch::kFloat32);
  CHECK(binary.equal(torch::tensor({{1.0f}, {1.0f}})));
  o.label_mode = "categorical";
  CHECK(quiet(dir.path(), o)[1].y.equal(torch::tensor({{1.0f, 0.0f}, {0.0f, 1.0f}, {0.0f, 1.0f}, {0.0f, 1.0f}})));
  o.label_mode = "";
  auto unlabelled = quiet(dir.path(), o);
  CHECK_FALSE(unlabelled[0].y.defined());
  CHECK(unlabelled.labels.empty());
  o.label_mode = "int";
  o.labels = std::vector<int>{9, 8, 7, 6, 5, 4, 3, 2, 1, 0};
  CHECK(quiet(dir.path(), o)[0].y.equal(torch::tensor({9, 8, 7, 6}, torch::kInt32)));

  o = base;
  o.batch_size = std::nullopt;
  auto single = quiet(dir.path(), o);
  CHECK(single.size() == 10);
  const auto s = single[3];
  CHECK(s.x.sizes().vec() == std::vector<int64_t>{6, 6, 3});
  CHECK(s.y.dim() == 0);
  CHECK(s.y.item<int>() == 0);

  // Batches do not depend on the thread count.
  o = base;
  o.shuffle = true;
  o.seed = 5;
  o.loader.workers = 0;
  auto serial = quiet(dir.path(), o);
  o.loader.workers = 3;
  auto threaded = quiet(dir.path(), o);
  for (int epoch = 0; epoch < 2; ++epoch) {
    for (int64_t b = 0; b < serial.size(); ++b) {
      CHECK(serial[b].x.equal(threaded[b].x));
      CHECK(serial[b].y.equal(threaded[b].y));
    }
    serial.on_epoch_end();
    threaded.on_epoch_end();
  }
}

TEST_CASE("image_dataset_from_directory reports bad arguments with Keras's messages", "[utils][image_dataset]") {
  tl::test::TempDir dir;
  make_two_classes(dir.path(), 3);
  std::filesystem::create_directories(dir / "c");
  const auto fails = [&](utils::ImageDatasetOptions o) {
    return tl::test::message_of([&] { quiet(dir.path(), o); });
  };
  using Catch::Contains;
  CHECK_THAT(fails({.validation_split = 0.2}), Contains("If `subset` is set, `validation_split` must be set, and inversely."));
  CHECK_THAT(fails({.subset = "training"}), Contains("If `subset` is set, `validation_split` must be set"));
  CHECK_THAT(fails({.validation_split = 0.2, .subset = "training"}),
             Contains("If using `validation_split` and shuffling the data, you must provide a `seed` argument"));
  CHECK_THAT(fails({.validation_split = 1.5, .subset = "training"}), Contains("`validation_split` must be between 0 and 1, received: 1.5"));
  CHECK_THAT(fails({.seed = 1, .validation_split = 0.2, .subset = "train"}),
             Contains("`subset` must be either \"training\", \"validation\" or \"both\", received: train"));
  CHECK_THAT(fails({.label_mode = "sparse"}), Contains("`label_mode` argument must be one of \"int\", \"categorical\", \"binary\", or None. Received: label_mode=sparse"));
  CHECK_THAT(fails({.color_mode = "bgr"}), Contains("`color_mode` must be one of {\"rgb\", \"rgba\", \"grayscale\"}. Received: color_mode=bgr"));
  CHECK_THAT(fails({.interpolation = "cubic"}), Contains("Value not recognized for `interpolation`: cubic"));
  CHECK_THAT(fails({.label_mode = "binary"}),
             Contains("When passing `label_mode=\"binary\"`, there must be exactly 2 class_names. Received: class_names=['a', 'b', 'c']"));
  CHECK_THAT(fails({.labels = std::vector<int>{1, 2}}), Contains("Expected the lengths of `labels` to match the number of files in the target directory. len(labels) is 2 while we found 6 files"));
  CHECK_THAT(fails({.labels = std::vector<int>{1, 2}, .class_names = {"a"}}), Contains("You can only pass `class_names` if `labels=\"inferred\"`"));
  CHECK_THAT(fails({.labels = "folders"}), Contains("`labels` argument should be a list/tuple of integer labels"));
  CHECK_THAT(fails({.class_names = {"a", "x"}}), Contains("The `class_names` passed did not match the names of the subdirectories of the target directory. Expected: ['a', 'b', 'c'], but received: ['a', 'x']"));
  CHECK_THAT(fails({.batch_size = 0}), Contains("batch_size must be positive"));
  CHECK_THAT(tl::test::message_of([&] { quiet(dir / "missing", {}); }), Contains("does not exist or is not a directory"));
  CHECK_THAT(tl::test::message_of([&] { quiet(dir / "c", {}); }), Contains("No images found in directory") && Contains("Allowed formats: ('.bmp', '.gif', '.jpeg', '.jpg', '.png')"));
  // int(0.1 * 6) = 0 validation files: Keras's samples[:-0] leaves no training files.
  CHECK_THAT(fails({.seed = 1, .validation_split = 0.1, .subset = "training"}), Contains("No images found in directory"));
  CHECK_THAT(fails({.seed = 1, .validation_split = 0.1, .subset = "both"}), Contains("No training images found in directory"));
  CHECK_THROWS_WITH(quiet(dir.path(), {}).get<0>(), Contains("only subset=\"both\" returns two"));
}

TEST_CASE("image_dataset_from_directory applies flow_from_directory's bad-file policy", "[utils][image_dataset]") {
  tl::test::TempDir dir;
  make_two_classes(dir.path(), 4);
  std::ofstream(dir / "a" / "2.png", std::ios::binary) << "not a png at all";  // a/2.png is now unreadable
  const utils::ImageDatasetOptions base{.batch_size = 8, .image_size = {6, 6}, .shuffle = false, .loader = {.workers = 2}};
  auto strict = quiet(dir.path(), base);
  CHECK(strict.file_paths.size() == 8);
  CHECK_THROWS_AS(strict[0], tl::IOError);
  CHECK_THAT(tl::test::message_of([&] { strict[0]; }), Catch::Contains("2.png"));

  auto o = base;
  o.on_bad_image = "skip";
  std::optional<utils::ImageDataset> lenient;
  std::string printed;
  const auto warned = tl::test::capture(std::cerr, [&] {
    printed = tl::test::capture_stdout([&] { lenient.emplace(utils::image_dataset_from_directory(dir.path(), o)); });
  });
  CHECK(printed == "Found 8 files belonging to 2 classes.\n");  // Keras's count: listing reads no file
  CHECK_THAT(warned, Catch::Contains("skipping unreadable image file") && Catch::Contains("2.png"));
  CHECK(lenient->skipped_images() == 1);
  CHECK(lenient->file_paths.size() == 7);
  CHECK(lenient->labels == std::vector<int>{0, 0, 0, 1, 1, 1, 1});
  CHECK((*lenient)[0].x.size(0) == 7);
}

TEST_CASE("fit, evaluate and predict take image_dataset_from_directory's datasets", "[utils][image_dataset]") {
  tl::test::TempDir dir;
  make_two_classes(dir.path(), 6, 8);
  std::optional<utils::ImageDataset> train_ds, val_ds;
  tl::test::capture_stdout([&] {
    auto [t, v] = utils::image_dataset_from_directory(dir.path(), {.batch_size = 4, .image_size = {8, 8}, .seed = 1337,
                                                                  .validation_split = 0.25, .subset = "both"});
    train_ds.emplace(t);
    val_ds.emplace(v);
  });
  CHECK(train_ds->file_paths.size() == 9);
  CHECK(val_ds->file_paths.size() == 3);
  auto inputs = tl::Input({8, 8, 3});
  auto x = tl::layers::Rescaling(1.0 / 255)(inputs);
  x = tl::layers::Flatten()(x);
  auto outputs = tl::layers::Dense(2, {.activation = "softmax"})(x);
  tl::Model model(inputs, outputs);
  model.compile({.optimizer = "adam", .loss = "sparse_categorical_crossentropy", .metrics = {"accuracy"}});
  tl::callbacks::History history;
  tl::test::capture_stdout([&] { history = model.fit(*train_ds, {.epochs = 2, .verbose = 0, .validation_data = *val_ds}); });
  CHECK(history.history.at("loss").size() == 2);
  CHECK(history.history.at("val_accuracy").size() == 2);
  const auto logs = model.evaluate(*val_ds, {.verbose = 0});
  CHECK(logs.contains("loss"));
  CHECK(model.predict(*val_ds, {.verbose = 0}).sizes().vec() == std::vector<int64_t>{3, 2});
}
