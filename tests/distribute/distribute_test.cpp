// tl::distribute: data-parallel fit over 2 worker processes on 127.0.0.1 (Gloo), compared with one process on the
// same global batches. The test program starts itself as the workers: the hidden test case "distribute worker" runs
// the worker side of a scenario named by TL_DIST_MODE and writes its results (weights, History, error) to
// TL_DIST_OUT. Every wait is bounded: the strategy's timeout (TL_DISTRIBUTE_TIMEOUT) and the harness's deadline.
#include "../support.hpp"

#include <tl/distribute/distribute.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using tl::distribute::ClusterResolver;

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}
int env_int(const char* name, int fallback) { return std::stoi(env_or(name, std::to_string(fallback))); }

// ---- The scenarios' models and data, shared by the workers and the one-process references -----------------------

/// The equality tests' model: an MLP 20-64-64-5 whose weights are drawn with `seed`.
tl::Model build_mlp(uint64_t seed) {
  torch::manual_seed(seed);
  auto inputs = tl::Input({20});
  auto x = tl::layers::Dense(64, {.activation = "relu"})(inputs);
  x = tl::layers::Dense(64, {.activation = "relu"})(x);
  return tl::Model(inputs, tl::layers::Dense(5, {.activation = "softmax"})(x), "mlp");
}

tl::models::CompileOptions mlp_compile(const std::string& optimizer) {
  if (optimizer == "adam")
    return {.optimizer = tl::optimizers::Adam({.learning_rate = 0.01}), .loss = "categorical_crossentropy",
            .metrics = {"accuracy"}};
  return {.optimizer = tl::optimizers::SGD({.learning_rate = 0.1, .momentum = 0.9}),
          .loss = "categorical_crossentropy", .metrics = {"accuracy"}};
}

/// 65 samples: with batch 16 the last global batch has one sample (worker 1's slice is empty); batch 13 splits 7 + 6.
std::pair<torch::Tensor, torch::Tensor> mlp_data() {
  torch::manual_seed(1234);
  const auto x = torch::randn({65, 20});
  const auto y = torch::one_hot(torch::randint(0, 5, {65}, torch::kLong), 5).to(torch::kFloat);
  return {x, y};
}

/// The seed job's model: a frozen ResNet50 (random weights, 32x32), global average pooling and a softmax Dense.
tl::Model build_seed_model() {
  torch::manual_seed(7);
  auto base = tl::applications::ResNet50({.include_top = false, .weights = "none", .input_shape = {32, 32, 3}});
  base.trainable(false);
  auto inputs = tl::Input({32, 32, 3});
  auto x = tl::layers::GlobalAveragePooling2D()(base(inputs));
  return tl::Model(inputs, tl::layers::Dense(2, {.activation = "softmax"})(x), "seed_model");
}

/// A generated image folder: train/ 2 classes x 9 PNGs (batches of 5: 5, 5, 5, 3), test/ 2 x 4.
const tl::test::TempDir& image_folder() {
  return tl::test::made_once([](const tl::test::TempDir& dir) {
    torch::manual_seed(99);
    for (const std::string split : {"train", "test"})
      for (const std::string cls : {"cat", "dog"}) {
        fs::create_directories(dir.path() / split / cls);
        for (int i = 0; i < (split == "train" ? 9 : 4); ++i) {
          auto img = torch::rand({40, 36, 3}) * (cls == "cat" ? 128 : 255);
          tl::save_img(dir.path() / split / cls / ("img" + std::to_string(i) + ".png"), img, "png", false);
        }
      }
  });
}

/// Pixels scaled to [0, 1] (Keras's rescale=1/255): the random base then gives unsaturated predictions, whose
/// float32 rounding stays small (at 0..255 the softmax saturates and 1e-8 in a prediction is 1e-3 in the loss).
tl::DirectoryIterator seed_flow(const fs::path& dir, bool shuffle) {
  tl::ImageDataGenerator datagen({.rescale = 1.0 / 255});
  return datagen.flow_from_directory(dir, {.target_size = {32, 32}, .batch_size = 5, .shuffle = shuffle, .seed = 1,
                                           .loader = {.workers = 1}});
}

// ---- Results a worker leaves for the test -------------------------------------------------------------------------

torch::Tensor flat_weights(const tl::Model& model) {
  std::vector<torch::Tensor> parts;
  for (const auto& w : model->weights()) parts.push_back(w.value.detach().reshape({-1}).cpu());
  return torch::cat(parts);
}

void save_result(const fs::path& out, int rank, const tl::Model& model, const tl::callbacks::History& history) {
  torch::save(flat_weights(model), (out / ("weights_" + std::to_string(rank) + ".pt")).string());
  std::ofstream h(out / ("history_" + std::to_string(rank) + ".txt"));
  for (int e : history.epoch) h << "epoch " << e << "\n";
  char buf[64];
  for (const auto& [name, values] : history.history)
    for (size_t i = 0; i < values.size(); ++i) {
      std::snprintf(buf, sizeof buf, "%.17g", values[i]);
      h << name << " " << i << " " << buf << "\n";
    }
}

struct History {
  std::vector<int> epochs;
  std::map<std::string, std::vector<double>> values;
};

History read_history(const fs::path& file) {
  History h;
  std::ifstream in(file);
  std::string key;
  while (in >> key) {
    if (key == "epoch") {
      int e;
      in >> e;
      h.epochs.push_back(e);
      continue;
    }
    size_t i;
    double v;
    in >> i >> v;
    h.values[key].push_back(v);
  }
  return h;
}

History to_history(const tl::callbacks::History& history) {
  History h;
  h.epochs = history.epoch;
  h.values = history.history;
  return h;
}

double max_difference(const History& a, const History& b) {
  REQUIRE(a.epochs == b.epochs);
  REQUIRE(a.values.size() == b.values.size());
  double worst = 0;
  for (const auto& [name, values] : a.values) {
    INFO(name);
    REQUIRE(b.values.count(name));
    REQUIRE(values.size() == b.values.at(name).size());
    for (size_t i = 0; i < values.size(); ++i) worst = std::max(worst, std::abs(values[i] - b.values.at(name)[i]));
  }
  return worst;
}

torch::Tensor load_weights(const fs::path& file) {
  torch::Tensor t;
  torch::load(t, file.string());
  return t;
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// ---- The worker side ------------------------------------------------------------------------------------------------

/// Kills or stops this worker at a global step (TL_DIST_VICTIM's rank, TL_DIST_AT steps in, TL_DIST_SIGNAL).
tl::callbacks::LambdaCallback saboteur(int rank) {
  const int victim = env_int("TL_DIST_VICTIM", -1), at = env_int("TL_DIST_AT", -1);
  const int signal = env_int("TL_DIST_SIGNAL", SIGKILL);
  auto steps = std::make_shared<int>(0);
  return tl::callbacks::LambdaCallback({.on_batch_begin = [=](int64_t, const tl::Logs&) {
    if (rank == victim && (*steps)++ == at) std::raise(signal);
  }});
}

/// One worker of the scenario TL_DIST_MODE; returns normally when its fit finished.
void run_worker(const fs::path& out) {
  at::set_num_threads(1);
  const std::string mode = env_or("TL_DIST_MODE", "train");
  std::unique_ptr<tl::distribute::Strategy> strategy;
  if (mode == "mirrored") strategy = std::make_unique<tl::distribute::MirroredStrategy>(
                              tl::distribute::MirroredStrategyOptions{.devices = {"cpu", "cpu"}});
  else strategy = std::make_unique<tl::distribute::MultiWorkerMirroredStrategy>();
  const int rank = strategy->cluster_resolver().rank;
  std::ofstream(out / ("started_" + std::to_string(rank) + ".txt")) << strategy->num_replicas_in_sync() << " "
                                                                     << strategy->cluster_resolver().task_type << " "
                                                                     << strategy->cluster_resolver().task_id << "\n";
  if (mode == "seed") {
    auto train = seed_flow(env_or("TL_DIST_DATA", "") + "/train", true);
    auto test = seed_flow(env_or("TL_DIST_DATA", "") + "/test", false);
    std::optional<tl::Model> model;
    {
      auto scope = strategy->scope();
      model = build_seed_model();
      model->compile({.optimizer = "Adam", .loss = "binary_crossentropy", .metrics = {"accuracy"}});
    }
    auto history = model->fit(train, {.epochs = 3, .verbose = 2, .validation_data = test});
    save_result(out, rank, *model, history);
  } else {
    const auto [x, y] = mlp_data();
    std::optional<tl::Model> model;
    {
      auto scope = strategy->scope();
      model = build_mlp(100 + rank);  // different weights on every worker: fit starts from worker 0's
      model->compile(mlp_compile(env_or("TL_DIST_OPTIMIZER", "sgd")));
    }
    tl::callbacks::CallbackList callbacks{saboteur(rank)};
    if (mode == "backup") {
      callbacks.add(tl::callbacks::BackupAndRestore(out / ("backup_" + std::to_string(rank))));
      callbacks.add(tl::callbacks::ModelCheckpoint((out / ("ckpt_" + std::to_string(rank)) / "w.h5").string(),
                                                   {.save_weights_only = true}));
    }
    auto history = model->fit(x, y, {.batch_size = env_int("TL_DIST_BATCH", 16), .epochs = env_int("TL_DIST_EPOCHS", 4),
                                     .verbose = 0, .callbacks = std::as_const(callbacks), .shuffle = false});
    save_result(out, rank, *model, history);
    std::ofstream(out / ("stats_" + std::to_string(rank) + ".txt"))
        << strategy->stats().gradient_syncs << " " << strategy->stats().buckets << " "
        << strategy->stats().gradient_bytes << " " << ((*model)->interrupted() ? "interrupted" : "finished") << "\n";
  }
}

// ---- The harness ----------------------------------------------------------------------------------------------------

struct Workers {
  tl::test::TempDir out;
  std::vector<tl::distribute::detail::ChildExit> exits;  // by rank
  double seconds = 0;

  const tl::distribute::detail::ChildExit& exit_of(int rank) const {
    for (const auto& e : exits)
      if (e.rank == rank) return e;
    FAIL("no exit recorded for worker " << rank);
    return exits.front();
  }
  std::string error(int rank) const { return read_text(out / ("error_" + std::to_string(rank) + ".txt")); }
  std::string log(int rank) const {
    return read_text(out / ("stdout_" + std::to_string(rank) + ".txt")) +
           read_text(out / ("stderr_" + std::to_string(rank) + ".txt"));
  }
  torch::Tensor weights(int rank) const { return load_weights(out / ("weights_" + std::to_string(rank) + ".pt")); }
  History history(int rank) const { return read_history(out / ("history_" + std::to_string(rank) + ".txt")); }
};

enum class Convention { torchrun, tf_config, tf_config_chief };

/// Starts `ranks` of a `world`-worker job of this test program, with `env` (plus the cluster's variables), waits
/// (`deadline` seconds at most; a worker left stopped is killed) and records how each ended. `between` runs while
/// they work (the one-process reference). With `stop_on_failure` the first failure stops the others, as the
/// launcher does; the scenarios that kill a worker let the survivor report on its own.
template <class Between>
void run_workers(Workers& w, int world, const std::vector<int>& ranks, const std::map<std::string, std::string>& env,
                 Convention convention, double deadline, Between&& between, bool stop_on_failure = true) {
  const int port = tl::distribute::detail::free_port(), other = tl::distribute::detail::free_port();
  std::vector<tl::distribute::detail::Child> children;
  const auto t0 = std::chrono::steady_clock::now();
  for (int rank : ranks) {
    tl::distribute::detail::SpawnOptions spawn;
    spawn.set = env;
    spawn.set["TL_DIST_OUT"] = w.out.path().string();
    spawn.set["TL_DIST_RANK"] = std::to_string(rank);
    spawn.set["OMP_NUM_THREADS"] = "1";
    spawn.unset = {"TF_CONFIG", "RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT", "LOCAL_RANK"};
    if (convention == Convention::torchrun && world > 0) {
      spawn.set["RANK"] = std::to_string(rank);
      spawn.set["LOCAL_RANK"] = std::to_string(rank);
      spawn.set["WORLD_SIZE"] = std::to_string(world);
      spawn.set["MASTER_ADDR"] = "127.0.0.1";
      spawn.set["MASTER_PORT"] = std::to_string(port);
    } else if (convention == Convention::tf_config) {
      spawn.set["TF_CONFIG"] = R"({"cluster": {"worker": ["127.0.0.1:)" + std::to_string(port) + R"(", "127.0.0.1:)" +
                               std::to_string(other) + R"("]}, "task": {"type": "worker", "index": )" +
                               std::to_string(rank) + "}}";
    } else if (convention == Convention::tf_config_chief) {
      spawn.set["TF_CONFIG"] = R"({"cluster": {"chief": ["127.0.0.1:)" + std::to_string(port) +
                               R"("], "worker": ["127.0.0.1:)" + std::to_string(other) + R"("]}, "task": {"type": ")" +
                               (rank == 0 ? "chief" : "worker") + R"(", "index": 0}})";
    }
    spawn.stdout_path = (w.out / ("stdout_" + std::to_string(rank) + ".txt")).string();
    spawn.stderr_path = (w.out / ("stderr_" + std::to_string(rank) + ".txt")).string();
    spawn.default_signals = true;  // Ctrl-C reaches the workers even when this test runs in the background
    children.push_back(tl::distribute::detail::spawn_child({"/proc/self/exe", "distribute worker"}, spawn, rank));
  }
  between();
  w.exits = tl::distribute::detail::wait_children(children, deadline, stop_on_failure, 1.0);
  w.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/// A job whose worker TL_DIST_VICTIM is killed or stopped: the survivors are left to notice it themselves.
void run_sabotaged(Workers& w, int world, const std::map<std::string, std::string>& env) {
  std::vector<int> ranks;
  for (int r = 0; r < world; ++r) ranks.push_back(r);
  run_workers(w, world, ranks, env, Convention::torchrun, 120, [] {}, false);
}

/// One process on the same global batches: the MLP with worker 0's initial weights.
std::pair<torch::Tensor, History> mlp_reference(const std::string& optimizer, int64_t batch, int epochs) {
  at::set_num_threads(1);
  const auto [x, y] = mlp_data();
  auto model = build_mlp(100);
  model.compile(mlp_compile(optimizer));
  auto history = model.fit(x, y, {.batch_size = batch, .epochs = epochs, .verbose = 0, .shuffle = false});
  return {flat_weights(model), to_history(history)};
}

void require_success(const Workers& w, int world) {
  REQUIRE(w.exits.size() == static_cast<size_t>(world));
  for (int r = 0; r < world; ++r) {
    INFO("worker " << r << ":\n" << w.error(r) << w.log(r));
    REQUIRE(w.exit_of(r).code == 0);
  }
}

/// Both workers ended with weights equal to each other (bitwise) and to one process (1e-5).
void require_equal_to_reference(const Workers& w, const torch::Tensor& reference) {
  const auto w0 = w.weights(0), w1 = w.weights(1);
  CHECK(torch::equal(w0, w1));
  const double diff = (w0 - reference).abs().max().item<double>();
  INFO("max |w - one process| = " << diff);
  CHECK(diff <= 1e-5);
}

}  // namespace

TEST_CASE("distribute worker", "[.]") {  // hidden: the workers of the scenarios below run it
  const fs::path out = env_or("TL_DIST_OUT", ".");
  try {
    run_worker(out);
  } catch (const std::exception& e) {
    // A MirroredStrategy's replica inherits the harness's TL_DIST_RANK; its own rank is in RANK.
    const auto rank = env_or(env_or("TL_MIRRORED_REPLICA", "").empty() ? "TL_DIST_RANK" : "RANK", "x");
    std::ofstream(out / ("error_" + rank + ".txt")) << e.what() << "\n";
    std::fflush(nullptr);
    std::_Exit(3);
  }
  std::fflush(nullptr);
  std::_Exit(0);  // no LeakSanitizer pass over c10d's threads at exit; the strategy was already torn down above
}

TEST_CASE("2 workers (torchrun's variables) train the MLP with SGD as one process does", "[distribute]") {
  Workers w;
  std::pair<torch::Tensor, History> reference;
  run_workers(w, 2, {0, 1}, {{"TL_DIST_OPTIMIZER", "sgd"}, {"TL_DIST_BATCH", "16"}, {"TL_DISTRIBUTE_TIMEOUT", "60"}},
              Convention::torchrun, 120, [&] { reference = mlp_reference("sgd", 16, 4); });
  require_success(w, 2);
  require_equal_to_reference(w, reference.first);
  // The History (loss and accuracy reduced over the workers) is one process's, on both workers.
  CHECK(max_difference(w.history(0), reference.second) <= 1e-5);
  CHECK(max_difference(w.history(1), w.history(0)) == 0);  // every worker logs the same reduced values
  // 5 global batches a epoch (16 x 4 + 1: worker 1's slice of the last is empty), one gradient sync each.
  CHECK(read_text(w.out / "stats_0.txt").rfind("20 ", 0) == 0);
  CHECK(read_text(w.out / "started_1.txt") == "2 worker 1\n");
}

TEST_CASE("2 workers (TF_CONFIG) train the MLP with Adam on uneven slices as one process does", "[distribute]") {
  Workers w;
  std::pair<torch::Tensor, History> reference;
  run_workers(w, 2, {0, 1}, {{"TL_DIST_OPTIMIZER", "adam"}, {"TL_DIST_BATCH", "13"}, {"TL_DISTRIBUTE_TIMEOUT", "60"}},
              Convention::tf_config, 120, [&] { reference = mlp_reference("adam", 13, 4); });
  require_success(w, 2);
  require_equal_to_reference(w, reference.first);
  CHECK(max_difference(w.history(0), reference.second) <= 1e-5);
  CHECK(read_text(w.out / "started_0.txt") == "2 worker 0\n");
  CHECK(read_text(w.out / "started_1.txt") == "2 worker 1\n");
}

TEST_CASE("TF_CONFIG with a chief: the chief is worker 0", "[distribute]") {
  Workers w;
  std::pair<torch::Tensor, History> reference;
  run_workers(w, 2, {0, 1}, {{"TL_DIST_OPTIMIZER", "sgd"}, {"TL_DIST_BATCH", "16"}, {"TL_DIST_EPOCHS", "1"},
                             {"TL_DISTRIBUTE_TIMEOUT", "60"}},
              Convention::tf_config_chief, 120, [&] { reference = mlp_reference("sgd", 16, 1); });
  require_success(w, 2);
  require_equal_to_reference(w, reference.first);
  CHECK(read_text(w.out / "started_0.txt") == "2 chief 0\n");
  CHECK(read_text(w.out / "started_1.txt") == "2 worker 0\n");
}

TEST_CASE("The seed job (frozen ResNet50 + GAP + Dense) on an image folder: the History of one process",
          "[distribute]") {
  const auto& data = image_folder();
  Workers w;
  History reference;
  run_workers(w, 2, {0, 1}, {{"TL_DIST_MODE", "seed"}, {"TL_DIST_DATA", data.path().string()},
                             {"TL_DISTRIBUTE_TIMEOUT", "60"}},
              Convention::torchrun, 180, [&] {
                at::set_num_threads(1);
                auto train = seed_flow(data.path() / "train", true);
                auto test = seed_flow(data.path() / "test", false);
                auto model = build_seed_model();
                model.compile({.optimizer = "Adam", .loss = "binary_crossentropy", .metrics = {"accuracy"}});
                reference = to_history(model.fit(train, {.epochs = 3, .verbose = 0, .validation_data = test}));
              });
  require_success(w, 2);
  const double diff = max_difference(w.history(0), reference);
  INFO("max |History - one process| = " << diff);
  CHECK(diff <= 1e-5);
  CHECK(max_difference(w.history(1), w.history(0)) == 0);  // the same reduced values, bitwise
  CHECK(torch::equal(w.weights(0), w.weights(1)));
  // Only worker 0 prints (flow_from_directory's "Found ..." and fit's progress at verbose 2).
  CHECK(read_text(w.out / "stdout_0.txt").find("Found 18 images belonging to 2 classes.") != std::string::npos);
  CHECK(read_text(w.out / "stdout_0.txt").find("Epoch 3/3") != std::string::npos);
  CHECK(read_text(w.out / "stdout_1.txt").find("Found") == std::string::npos);  // Catch's "Filters:" line only
  CHECK(read_text(w.out / "stdout_1.txt").find("Epoch") == std::string::npos);
}

TEST_CASE("A killed worker ends the other with a clear error within the timeout", "[distribute]") {
  Workers w;
  run_sabotaged(w, 2, {{"TL_DIST_VICTIM", "1"}, {"TL_DIST_AT", "6"}, {"TL_DISTRIBUTE_TIMEOUT", "30"}});
  REQUIRE(w.exits.size() == 2);
  CHECK(w.exit_of(1).code == 128 + SIGKILL);
  INFO(w.log(0));
  CHECK(w.exit_of(0).code == 3);
  const auto error = w.error(0);
  CHECK(error.find("tl.distribute: worker 0 of 2 lost contact with the other workers during") != std::string::npos);
  CHECK(error.find("of epoch 2, batch 2") != std::string::npos);  // 6 steps in: the second batch of epoch 2
  // Seen when the peer's sockets close, long before the 30 s timeout.
  CHECK(w.exit_of(0).seconds - w.exit_of(1).seconds < 10);
}

TEST_CASE("A stopped (silent) worker ends the other after the timeout", "[distribute]") {
  Workers w;
  run_sabotaged(w, 2, {{"TL_DIST_VICTIM", "1"}, {"TL_DIST_AT", "3"}, {"TL_DIST_SIGNAL", std::to_string(SIGSTOP)},
                       {"TL_DISTRIBUTE_TIMEOUT", "3"}});
  REQUIRE(w.exits.size() == 2);
  INFO(w.log(0));
  CHECK(w.exit_of(0).code == 3);
  CHECK(w.error(0).find("timeout 3 s") != std::string::npos);
  CHECK(w.exit_of(0).seconds < 60);  // bounded: the harness's deadline was never needed
}

TEST_CASE("A worker that never comes is named after the timeout", "[distribute]") {
  Workers w;
  run_workers(w, 2, {0}, {{"TL_DISTRIBUTE_TIMEOUT", "2"}}, Convention::torchrun, 60, [] {});
  REQUIRE(w.exits.size() == 1);
  INFO(w.log(0));
  CHECK(w.exit_of(0).code == 3);
  CHECK(w.error(0).find("tl.distribute: worker 1 of 2 did not join the rendezvous at 127.0.0.1:") != std::string::npos);
  CHECK(w.exit_of(0).seconds < 30);
}

TEST_CASE("Ctrl-C on one worker stops every worker at the same batch", "[distribute]") {
  Workers w;
  run_sabotaged(w, 2, {{"TL_DIST_VICTIM", "1"}, {"TL_DIST_AT", "7"}, {"TL_DIST_SIGNAL", std::to_string(SIGINT)},
                       {"TL_DIST_MODE", "backup"}, {"TL_DISTRIBUTE_TIMEOUT", "60"}});
  require_success(w, 2);
  CHECK(w.history(0).epochs == std::vector<int>{0});  // stopped in epoch 2 (unrecorded), on both workers
  CHECK(w.history(1).epochs == std::vector<int>{0});
  CHECK(torch::equal(w.weights(0), w.weights(1)));
  // Worker 0 did not get the signal but knows the fit was interrupted: its backup stays.
  CHECK(read_text(w.out / "stats_0.txt").find("interrupted") != std::string::npos);
  CHECK(fs::exists(w.out / "backup_0" / "training_state.h5"));
}

TEST_CASE("BackupAndRestore resumes the whole job from worker 0's backup; only worker 0 writes", "[distribute]") {
  Workers first;
  run_sabotaged(first, 2, {{"TL_DIST_MODE", "backup"}, {"TL_DIST_VICTIM", "1"}, {"TL_DIST_AT", "12"},
                           {"TL_DISTRIBUTE_TIMEOUT", "30"}});
  REQUIRE(first.exits.size() == 2);
  CHECK(first.exit_of(0).code == 3);  // worker 1 died in epoch 3: worker 0 stops with an error
  CHECK(fs::exists(first.out / "backup_0" / "training_state.h5"));
  CHECK(fs::exists(first.out / "ckpt_0" / "w.h5"));
  CHECK_FALSE(fs::exists(first.out / "backup_1"));
  CHECK_FALSE(fs::exists(first.out / "ckpt_1"));
  // The rerun: worker 1 has no backup of its own (no shared file system needed) and still resumes at epoch 3.
  Workers second;
  fs::copy(first.out / "backup_0", second.out / "backup_0");
  std::pair<torch::Tensor, History> reference;
  run_workers(second, 2, {0, 1}, {{"TL_DIST_MODE", "backup"}, {"TL_DISTRIBUTE_TIMEOUT", "60"}}, Convention::torchrun,
              120, [&] { reference = mlp_reference("sgd", 16, 4); });
  require_success(second, 2);
  CHECK(second.history(0).epochs == std::vector<int>{2, 3});
  CHECK(second.history(1).epochs == std::vector<int>{2, 3});
  require_equal_to_reference(second, reference.first);
  CHECK_FALSE(fs::exists(second.out / "backup_0" / "training_state.h5"));  // done: deleted, as Keras
}

TEST_CASE("MirroredStrategy with two CPU devices starts its second replica itself", "[distribute]") {
  Workers w;
  std::pair<torch::Tensor, History> reference;
  run_workers(w, 0, {0}, {{"TL_DIST_MODE", "mirrored"}, {"TL_DISTRIBUTE_TIMEOUT", "60"}}, Convention::torchrun, 120,
              [&] { reference = mlp_reference("sgd", 16, 4); });
  REQUIRE(w.exits.size() == 1);
  INFO(w.error(0) << w.error(1) << w.log(0));
  REQUIRE(w.exit_of(0).code == 0);
  require_equal_to_reference(w, reference.first);
}

TEST_CASE("The cluster from TF_CONFIG and from torchrun's variables", "[distribute]") {
  using Env = std::map<std::string, std::string>;
  auto resolve = [](const Env& env) {
    return ClusterResolver::from_variables([&](const std::string& name) -> std::optional<std::string> {
      const auto it = env.find(name);
      return it == env.end() ? std::nullopt : std::optional(it->second);
    });
  };
  const auto none = resolve({});
  CHECK(none.world_size == 1);
  CHECK(none.environment.empty());
  const auto tf = resolve({{"TF_CONFIG", R"({"cluster": {"chief": ["a:1"], "worker": ["b:2", "c:3"]},
                                           "task": {"type": "worker", "index": 1}})"}});
  CHECK(tf.environment == "TF_CONFIG");
  CHECK(tf.task_type == "worker");
  CHECK(tf.task_id == 1);
  CHECK(tf.rank == 2);
  CHECK(tf.world_size == 3);
  CHECK(tf.master() == "a:1");
  CHECK(tf.own_host == "c");
  CHECK(tf.cluster_spec().num_tasks("worker") == 2);
  CHECK(tf.cluster_spec().task_address("chief", 0) == "a:1");
  const auto run = resolve({{"RANK", "1"}, {"WORLD_SIZE", "4"}, {"LOCAL_RANK", "1"}, {"MASTER_ADDR", "10.1.2.3"},
                            {"MASTER_PORT", "29500"}});
  CHECK(run.environment == "torchrun");
  CHECK(run.rank == 1);
  CHECK(run.world_size == 4);
  CHECK(run.local_rank == 1);
  CHECK(run.master() == "10.1.2.3:29500");
  CHECK(run.own_host.empty());  // not loopback: Gloo binds to this machine's address
  CHECK(resolve({{"RANK", "0"}, {"WORLD_SIZE", "2"}, {"MASTER_ADDR", "localhost"}, {"MASTER_PORT", "1"}}).own_host ==
        "127.0.0.1");
  const auto agent = resolve({{"RANK", "0"}, {"WORLD_SIZE", "2"}, {"MASTER_ADDR", "h"}, {"MASTER_PORT", "5"},
                              {"TORCHELASTIC_USE_AGENT_STORE", "True"}, {"TORCHELASTIC_RESTART_COUNT", "2"}});
  CHECK(agent.agent_store);
  CHECK(agent.restart_count == 2);
  // TF_CONFIG wins; agreeing RANK / WORLD_SIZE are fine (LOCAL_RANK still picks the GPU).
  const auto both = resolve({{"TF_CONFIG", R"({"cluster": {"worker": ["h:1", "h:2"]}, "task": {"type": "worker", "index": 1}})"},
                             {"RANK", "1"}, {"WORLD_SIZE", "2"}, {"LOCAL_RANK", "1"}, {"MASTER_ADDR", "h"}, {"MASTER_PORT", "1"}});
  CHECK(both.environment == "TF_CONFIG");
  CHECK(both.local_rank == 1);
}

TEST_CASE("Bad cluster specs name what is wrong", "[distribute]") {
  using Env = std::map<std::string, std::string>;
  auto error = [](const Env& env) {
    return tl::test::message_of([&] {
      ClusterResolver::from_variables([&](const std::string& name) -> std::optional<std::string> {
        const auto it = env.find(name);
        return it == env.end() ? std::nullopt : std::optional(it->second);
      });
    });
  };
  auto tf = [&](const std::string& config) { return error({{"TF_CONFIG", config}}); };
  CHECK(tf("{not json").rfind("tl.distribute: TF_CONFIG is not valid JSON: ", 0) == 0);
  CHECK(tf(R"({"cluster": {"worker": ["h:1"]}})") ==
        "When `cluster_spec` is given, you must also specify `task_type` and `task_id`.");
  CHECK(tf(R"({"cluster": {"boss": ["h:1"]}, "task": {"type": "worker", "index": 0}})") ==
        R"(Disallowed task type found in cluster spec. Allowed types are ('chief', 'worker', 'evaluator', 'ps', None) and the cluster spec is {"boss":["h:1"]}.)");
  CHECK(tf(R"({"cluster": {"worker": ["h:1"]}, "task": {"type": "foo", "index": 0}})") ==
        "Unrecognized task_type: foo, valid task types are: ('chief', 'worker', 'evaluator', 'ps', None)");
  CHECK(tf(R"({"cluster": {"worker": ["h:1"]}, "task": {"type": "ps", "index": 0}})") ==
        "tl.distribute: MultiWorkerMirroredStrategy runs 'chief' and 'worker' tasks; task type 'ps' is for "
        "ParameterServerStrategy, which tl does not have");
  CHECK(tf(R"({"cluster": {"chief": ["h:1"]}, "task": {"type": "worker", "index": 0}})") ==
        "`task_type` 'worker' not found in cluster_spec.");
  CHECK(tf(R"({"cluster": {"chief": ["h:1", "h:2"]}, "task": {"type": "chief", "index": 0}})") ==
        "There must be at most one 'chief' job.");
  CHECK(tf(R"({"cluster": {"worker": ["h:1", "h:2"]}, "task": {"type": "worker", "index": 2}})") ==
        "The `task_id` 2 exceeds the maximum id of worker.");
  CHECK(tf(R"({"cluster": {"worker": ["h:1"]}, "task": {"type": "worker", "index": "0"}})") ==
        R"(tl.distribute: TF_CONFIG task.index must be an integer >= 0, got "0")");
  CHECK(tf(R"({"cluster": {"worker": "h:1"}, "task": {"type": "worker", "index": 0}})") ==
        R"(tl.distribute: TF_CONFIG cluster.worker must be a list of "host:port" strings, got "h:1")");
  CHECK(tf(R"({"cluster": {"worker": ["h:1", "localhost"]}, "task": {"type": "worker", "index": 0}})") ==
        R"(tl.distribute: TF_CONFIG cluster.worker[1] = "localhost" is not "host:port")");
  CHECK(tf(R"({"cluster": {"worker": ["h:1", "h:70000"]}, "task": {"type": "worker", "index": 0}})") ==
        R"(tl.distribute: TF_CONFIG cluster.worker[1] = "h:70000": the port must be between 1 and 65535)");
  CHECK(tf(R"({"cluster": {"worker": ["h:1", "h:1"]}, "task": {"type": "worker", "index": 0}})") ==
        R"(tl.distribute: TF_CONFIG cluster.worker[1] = "h:1" appears twice (cluster.worker[0] and cluster.worker[1]))");
  CHECK(error({{"RANK", "1"}}) == "tl.distribute: RANK is set but WORLD_SIZE is not (torchrun sets RANK, WORLD_SIZE, "
                                  "MASTER_ADDR and MASTER_PORT)");
  CHECK(error({{"RANK", "2"}, {"WORLD_SIZE", "2"}}) ==
        "tl.distribute: RANK=2 is not below WORLD_SIZE=2 (ranks are 0..1)");
  CHECK(error({{"RANK", "x"}, {"WORLD_SIZE", "2"}}) == "tl.distribute: RANK=x is not an integer");
  CHECK(error({{"RANK", "0"}, {"WORLD_SIZE", "2"}, {"MASTER_PORT", "1"}}) ==
        "tl.distribute: RANK and WORLD_SIZE are set but MASTER_ADDR is not (torchrun sets RANK, WORLD_SIZE, "
        "MASTER_ADDR and MASTER_PORT)");
  CHECK(error({{"TF_CONFIG", R"({"cluster": {"worker": ["h:1", "h:2"]}, "task": {"type": "worker", "index": 0}})"},
               {"RANK", "1"}, {"WORLD_SIZE", "2"}, {"MASTER_ADDR", "h"}, {"MASTER_PORT", "1"}}) ==
        "tl.distribute: TF_CONFIG makes this worker rank 0 of 2 but RANK=1 and WORLD_SIZE=2 say otherwise; set one of "
        "the two conventions");
  // A strategy refuses a bad implementation or timeout before meeting anyone.
  CHECK(tl::test::message_of([] {
          tl::distribute::MultiWorkerMirroredStrategy s({.cluster_resolver = ClusterResolver{},
                                                         .communication_options = {.implementation = "mpi"}});
        }) == "tl.distribute: unknown communication implementation \"mpi\"; expected \"auto\", \"ring\" (or "
              "\"gloo\") or \"nccl\"");
  CHECK(tl::test::message_of([] {
          tl::distribute::MultiWorkerMirroredStrategy s({.cluster_resolver = ClusterResolver{},
                                                         .communication_options = {.timeout_seconds = -1}});
        }) == "tl.distribute: timeout_seconds must be > 0 (0: TL_DISTRIBUTE_TIMEOUT, else 300 s), got -1");
}

TEST_CASE("One worker: the strategy is a plain fit, scope() nests only itself", "[distribute]") {
  tl::distribute::MultiWorkerMirroredStrategy strategy({.cluster_resolver = ClusterResolver{}});
  CHECK(strategy.num_replicas_in_sync() == 1);
  CHECK(strategy.is_chief());
  auto scope = strategy.scope();
  auto again = strategy.scope();
  const auto [x, y] = mlp_data();
  auto model = build_mlp(1);
  model.compile(mlp_compile("sgd"));
  auto history = model.fit(x, y, {.batch_size = 16, .epochs = 1, .verbose = 0});
  CHECK(history.epoch == std::vector<int>{0});
  CHECK(model->compiled());
}

TEST_CASE("The workers' rows of each flow_from_directory batch are, together, one process's batch", "[distribute]") {
  const auto& data = image_folder();
  // Augmentation and a prefetching thread pool: every worker still draws exactly what one process draws.
  auto flow = [&] {
    tl::ImageDataGenerator datagen({.rotation_range = 20, .horizontal_flip = true});
    return datagen.flow_from_directory(data.path() / "train", {.target_size = {16, 16}, .batch_size = 5, .seed = 3,
                                                               .loader = {.workers = 2}});
  };
  auto one = flow(), w0 = flow(), w1 = flow();
  for (int epoch = 0; epoch < 2; ++epoch) {
    for (int64_t i = 0; i < one.size(); ++i) {
      INFO("epoch " << epoch << ", batch " << i);
      const auto ids = one.batch_ids(i), ids0 = w0.batch_ids_shard(i, 0, 2), ids1 = w1.batch_ids_shard(i, 1, 2);
      const auto whole = one.get_batch(i), a = w0.get_batch_shard(i, 0, 2), b = w1.get_batch_shard(i, 1, 2);
      CHECK(a.x.size(0) == (whole.x.size(0) + 1) / 2);  // 5 = 3 + 2, the last batch 3 = 2 + 1
      CHECK(torch::equal(torch::cat({a.x, b.x}), whole.x));
      CHECK(torch::equal(torch::cat({a.y, b.y}), whole.y));
      std::vector<int64_t> joined = ids0;
      joined.insert(joined.end(), ids1.begin(), ids1.end());
      CHECK(joined == ids);
    }
    one.on_epoch_end(), w0.on_epoch_end(), w1.on_epoch_end();
  }
  CHECK(tl::utils::shard_rows(33, 0, 2).count == 17);
  CHECK(tl::utils::shard_rows(33, 1, 2).begin == 17);
  CHECK(tl::utils::shard_rows(1, 1, 2).count == 0);  // a worker's slice of a small last batch can be empty
  CHECK(tl::utils::shard_rows(10, 3, 4).begin == 8);
}
