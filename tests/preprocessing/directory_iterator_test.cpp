// flow_from_directory against keras_preprocessing: listing, subsets, batches per class_mode and seed, across
// epochs; determinism across thread counts; bad inputs; flow() on arrays.
#include <tl/preprocessing/image.hpp>

#include "image_oracle.hpp"

#include <fstream>

namespace img = tl::preprocessing::image;
using tl::test::KerasImage;
using tl::test::numbers;
using tl::test::values_of;

namespace {
/// The oracle's image tree, filled by this test case's oracle process or an earlier one.
const tl::test::OracleDir& dataset() { return tl::test::made(tl::test::keras_image_tree()); }

img::DirectoryIterator flow(const std::string& subset, double split, img::DirectoryIteratorOptions o = {}) {
  o.target_size = {24, 20};
  o.subset = subset;
  return img::ImageDataGenerator({.validation_split = split}).flow_from_directory(dataset().path(), o);
}

void write_bytes(const std::filesystem::path& p, const std::string& bytes) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << bytes;
}
}  // namespace

TEST_CASE("flow_from_directory lists classes, files and subsets as Keras does", "[preprocessing][image]") {
  const std::vector<std::pair<std::string, double>> subsets{{"none", 0.0}, {"training", 0.3}, {"validation", 0.3}, {"validation", 0.5}};
  KerasImage oracle;
  const auto& tree = oracle.need(tl::test::keras_image_tree());
  for (const auto& [subset, split] : subsets)
    oracle.add("listing " + tree.path().string() + " " + std::to_string(split) + " " + subset);
  const auto refs = oracle.run();
  for (size_t k = 0; k < subsets.size(); ++k) {
    const auto& [subset, split] = subsets[k];
    const auto& ref = refs[k];
    std::optional<img::DirectoryIterator> it;
    const auto printed = tl::test::capture_stdout([&] { it.emplace(flow(subset == "none" ? "" : subset, split)); });
    INFO(subset << " " << split);
    REQUIRE(printed == ref[0][0] + "\n");  // "Found N images belonging to K classes."
    std::vector<std::string> indices;
    for (const auto& [name, i] : it->class_indices) indices.push_back(name + "=" + std::to_string(i));
    REQUIRE(indices == values_of(ref, "class_indices"));
    REQUIRE(it->filenames == values_of(ref, "filenames"));
    std::vector<double> classes(it->classes.begin(), it->classes.end());
    REQUIRE(classes == numbers(values_of(ref, "classes")));
    REQUIRE(it->filepaths.front() == (dataset().path() / it->filenames.front()).string());
  }
}

TEST_CASE("batches, labels and shuffling match Keras for each class_mode and seed over two epochs", "[preprocessing][image]") {
  struct Case { std::string mode; int64_t bs; bool shuffle; std::string seed, subset; double split; bool aug; };
  const std::vector<Case> cases{{"categorical", 5, true, "42", "none", 0, false}, {"binary", 4, true, "7", "training", 0.3, false},
                                {"sparse", 3, false, "none", "validation", 0.5, false}, {"input", 6, true, "1", "none", 0, false},
                                {"none", 32, true, "3", "none", 0, false}, {"categorical", 4, true, "5", "none", 0, true}};
  KerasImage oracle;
  const auto& tree = oracle.need(tl::test::keras_image_tree());
  std::vector<std::string> requests;
  for (const auto& c : cases) {
    std::ostringstream args;
    args << "batches " << tree.path().string() << " " << c.mode << " " << c.bs << " " << c.shuffle << " " << c.seed
         << " 2 " << c.subset << " " << c.split << " " << c.aug;
    requests.push_back(args.str());
    oracle.add(args.str());
  }
  const auto refs = oracle.run();
  for (size_t n = 0; n < cases.size(); ++n) {
    const auto& c = cases[n];
    const auto& ref = refs[n];
    const auto& args = requests[n];
    img::ImageDataGeneratorOptions g{.validation_split = c.split};
    if (c.aug) g.horizontal_flip = true, g.rotation_range = 20, g.width_shift_range = 0.1, g.fill_mode = "reflect";
    img::DirectoryIteratorOptions o{.target_size = {24, 20}, .class_mode = c.mode == "none" ? "" : c.mode, .batch_size = c.bs,
                                    .shuffle = c.shuffle, .subset = c.subset == "none" ? "" : c.subset};
    if (c.seed != "none") o.seed = static_cast<uint32_t>(std::stoul(c.seed));
    std::optional<img::DirectoryIterator> iter;
    tl::test::capture_stdout([&] { iter.emplace(img::ImageDataGenerator(g).flow_from_directory(dataset().path(), o)); });
    size_t line = 1;  // after "Found ..."
    for (int epoch = 0; epoch < 2; ++epoch) {
      for (int64_t i = 0; i < iter->size(); ++i) {
        INFO(args << " epoch " << epoch << " batch " << i);
        REQUIRE(ref[line][0] == "batch");
        const auto ids = numbers(tl::test::Line(ref[line + 1].begin() + 1, ref[line + 1].end()));
        const auto xsum = numbers(tl::test::Line(ref[line + 2].begin() + 1, ref[line + 2].end()));
        const bool seeded = c.seed != "none" || !c.shuffle;
        const auto batch_ids = iter->batch_ids(i);
        const auto b = iter->get_batch(i);
        if (seeded) REQUIRE(std::vector<double>(batch_ids.begin(), batch_ids.end()) == ids);
        const auto sums = b.x.to(torch::kFloat64).reshape({b.x.size(0), -1}).sum(1);
        for (size_t k = 0; k < ids.size() && seeded; ++k) {
          const auto& name = iter->filenames[static_cast<size_t>(ids[k])];
          INFO(name);  // JPEGs too: libjpeg-turbo with PIL's settings gives PIL's pixels
          REQUIRE(std::abs(sums[static_cast<int64_t>(k)].item<double>() - xsum[k]) <= 1e-5 * xsum[k] + 1e-2);
        }
        line += 3;
        if (c.mode != "none") {
          if (seeded) {
            const auto y = numbers(tl::test::Line(ref[line].begin() + 1, ref[line].end()));
            const auto labels = b.y.to(torch::kFloat64).flatten().contiguous();
            if (c.mode != "input") REQUIRE(std::vector<double>(labels.data_ptr<double>(), labels.data_ptr<double>() + labels.numel()) == y);
          }
          ++line;
        }
      }
      iter->on_epoch_end();
    }
  }
}

TEST_CASE("batches are identical whatever the number of worker threads", "[preprocessing][image]") {
  const img::ImageDataGenerator gen({.rotation_range = 25, .width_shift_range = 0.2, .height_shift_range = 3,
                                     .brightness_range = {0.7, 1.3}, .zoom_range = 0.2, .channel_shift_range = 10,
                                     .horizontal_flip = true, .rescale = 1.0 / 255});
  std::vector<std::vector<torch::Tensor>> runs;
  for (int workers : {0, 1, 2, 3}) {
    std::optional<img::DirectoryIterator> it;
    tl::test::capture_stdout([&] {
      it.emplace(gen.flow_from_directory(dataset().path(), {.target_size = {16, 12}, .batch_size = 4, .seed = 9,
                                                            .loader = {.workers = workers, .max_queue_size = 3}}));
    });
    REQUIRE_FALSE(it->deterministic());
    std::vector<torch::Tensor> xs;
    for (int epoch = 0; epoch < 2; ++epoch, it->on_epoch_end())
      for (int64_t i = 0; i < it->size(); ++i) xs.push_back(it->get_batch(i).x);
    runs.push_back(xs);
  }
  for (size_t r = 1; r < runs.size(); ++r)
    for (size_t i = 0; i < runs[0].size(); ++i) REQUIRE(torch::equal(runs[0][i], runs[r][i]));
}

TEST_CASE("bad inputs: each reason named, or skipped and counted", "[preprocessing][image]") {
  tl::test::TempDir dir;
  const auto good = (dataset().path() / "cats/c01.png").string();
  std::ifstream in(good, std::ios::binary);
  const std::string png((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  write_bytes(dir / "a/good.png", png);
  const std::vector<std::pair<std::string, std::string>> bad{{"a/empty.png", ""},
                                                             {"a/text.jpg", "hello, I am not an image"},
                                                             {"a/scan.tif", std::string("II*\0\x08\0\0\0", 8) + std::string(64, '\0')},
                                                             {"a/cut.png", png.substr(0, png.size() / 2)}};
  const std::vector<std::string> reasons{"empty", "not a decodable image", "TIFF", "truncated"};
  for (size_t k = 0; k < bad.size(); ++k) {
    write_bytes(dir / bad[k].first, bad[k].second);
    try {
      tl::load_img(dir / bad[k].first);
      FAIL("no error for " << bad[k].first);
    } catch (const tl::IOError& e) {
      const std::string what = e.what();
      INFO(what);
      REQUIRE(what.find(bad[k].first) != std::string::npos);
      REQUIRE(what.find(reasons[k]) != std::string::npos);
    }
  }
  std::optional<img::DirectoryIterator> it;
  tl::test::capture_stdout([&] { it.emplace(tl::ImageDataGenerator().flow_from_directory(dir.path(), {.batch_size = 8, .shuffle = false})); });
  REQUIRE(it->samples == 5);
  REQUIRE_THROWS_AS(it->get_batch(0), tl::IOError);
  const auto printed = tl::test::capture_stdout([&] {
    it.emplace(tl::ImageDataGenerator().flow_from_directory(dir.path(), {.batch_size = 8, .on_bad_image = "skip"}));
  });
  REQUIRE(printed == "Found 2 images belonging to 1 classes.\n");  // header check drops empty, text and TIFF
  const auto b = it->get_batch(0);                                  // the truncated PNG fails while decoding
  REQUIRE(b.x.size(0) == 1);
  REQUIRE(b.y.size(0) == 1);
  REQUIRE(it->skipped_images() == 4);
  img::set_max_image_pixels(100);
  REQUIRE_THROWS_WITH(tl::load_img(good), Catch::Contains("decompression bomb"));
  img::set_max_image_pixels(2 * int64_t{89478485});
}

TEST_CASE("follow_links lists linked folders once and does not go round a loop", "[preprocessing][image]") {
  tl::test::TempDir dir;
  std::filesystem::create_directories(dir / "cats");
  std::filesystem::create_directories(dir / "elsewhere");
  std::filesystem::copy_file(dataset().path() / "cats/c01.png", dir / "cats/a.png");
  std::filesystem::copy_file(dataset().path() / "cats/c01.png", dir / "elsewhere/b.png");
  std::filesystem::create_directory_symlink(dir / "elsewhere", dir / "cats/linked");
  std::filesystem::create_directory_symlink(dir / "cats", dir / "cats/loop");            // back to the class folder
  std::filesystem::create_directory_symlink(dir.path(), dir / "cats/linked_root");     // to the top, above it
  std::filesystem::create_symlink(dir / "nowhere.png", dir / "cats/dangling.png");
  std::optional<img::DirectoryIterator> it;
  tl::test::capture_stdout([&] {
    it.emplace(img::ImageDataGenerator().flow_from_directory(dir.path(), {.classes = {"cats"}, .follow_links = true}));
  });
  // os.walk would list a.png again under loop/, loop/loop/, ... until the path grows too long.
  REQUIRE(it->filenames == std::vector<std::string>{"cats/a.png", "cats/dangling.png", "cats/linked/b.png",
                                                    "cats/linked_root/elsewhere/b.png"});
  REQUIRE_THROWS_WITH(it->get_batch(0), Catch::Contains("cats/dangling.png"));
  tl::test::capture_stdout([&] { it.emplace(img::ImageDataGenerator().flow_from_directory(dir.path(), {.classes = {"cats"}})); });
  REQUIRE(it->filenames == std::vector<std::string>{"cats/a.png", "cats/dangling.png"});
}

TEST_CASE("missing and empty directories", "[preprocessing][image]") {
  tl::test::TempDir dir;
  REQUIRE_THROWS_WITH(tl::ImageDataGenerator().flow_from_directory(dir / "nope"), Catch::Contains("nope"));
  std::filesystem::create_directories(dir / "a");
  std::filesystem::create_directories(dir / "b");
  std::optional<img::DirectoryIterator> it;
  const auto printed = tl::test::capture_stdout([&] { it.emplace(tl::ImageDataGenerator().flow_from_directory(dir.path())); });
  REQUIRE(printed == "Found 0 images belonging to 2 classes.\n");
  REQUIRE(it->size() == 0);
  REQUIRE_THROWS_AS(it->get_batch(0), tl::ValueError);
}

TEST_CASE("flow() on arrays: subsets, labels, sample weights and Keras's shuffle order", "[preprocessing][image]") {
  const auto x = torch::arange(10 * 4 * 3 * 1, torch::kFloat32).reshape({10, 4, 3, 1});
  const auto y = torch::tensor({0, 1, 0, 1, 0, 1, 0, 1, 0, 1});
  tl::ImageDataGenerator gen({.rescale = 0.5, .validation_split = 0.2});
  auto train = gen.flow(x, y, {.batch_size = 3, .seed = 4, .subset = "training"});
  REQUIRE(train.n == 8);
  REQUIRE(train.size() == 3);
  REQUIRE(train.deterministic());
  img::detail::NumpyRandom rng(4);
  const auto order = rng.permutation(8);  // Keras: np.random.seed(seed + 0) then permutation
  const auto b = train.get_batch(0);
  for (int64_t k = 0; k < 3; ++k) {
    REQUIRE(torch::equal(b.x[k], x[2 + order[k]] * 0.5f));
    REQUIRE(b.y[k].item<int64_t>() == y[2 + order[k]].item<int64_t>());
  }
  REQUIRE(gen.flow(x, y, {.subset = "validation"}).n == 2);
  REQUIRE_THROWS_AS(gen.flow(x, torch::tensor({0, 0, 1, 1, 1, 1, 1, 1, 1, 1}), {.subset = "validation"}), tl::ValueError);
  REQUIRE_THROWS_AS(gen.flow(x, torch::tensor({1, 2})), tl::ValueError);
}
