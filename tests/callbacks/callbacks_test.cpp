// Callbacks: behaviour and printed messages against Keras 2.11's callback logic (tests/python/keras_callbacks.py),
// Ctrl-C during fit, crash-safe checkpoints and BackupAndRestore across a kill -9.
#include "../support.hpp"

#include <tl/callbacks/detail/format_filepath.hpp>
#include <tl/core/detail/python_format.hpp>
#include <tl/core/json.hpp>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>

using namespace tl;
using Catch::Matchers::Contains;

namespace {

Model tiny_model() {
  auto inputs = Input({3});
  return Model(inputs, layers::Dense(2, {.activation = "softmax"})(inputs));
}

std::pair<torch::Tensor, torch::Tensor> tiny_data() {
  torch::manual_seed(3);
  auto x = torch::randn({32, 3});
  return {x, torch::one_hot((x.sum(1) > 0).to(torch::kLong), 2).to(torch::kFloat)};
}

/// Per-epoch logs as the JSON list the Python oracle reads (values written to round-trip exactly).
std::string logs_json(const std::vector<Logs>& epochs) {
  auto list = json::array();
  for (const auto& logs : epochs) {
    auto o = json::object();
    for (const auto& [k, v] : logs) o[k] = v;
    list.push_back(o);
  }
  return json_dumps(list);
}

std::string oracle(const std::string& callback, const std::string& options, const std::vector<Logs>& epochs) {
  return test::python("keras_callbacks.py", callback + " '" + options + "' '" + logs_json(epochs) + "'");
}

/// Runs a callback's epoch hooks on given logs, as fit would, and returns what it printed.
std::string drive(callbacks::Callback& cb, models::ModelImpl& model, const std::vector<Logs>& epochs,
                  const std::function<void(int)>& before_epoch_end = {}) {
  cb.set_model(&model);
  cb.set_params({int(epochs.size()), 1, 0});
  model.stop_training = false;
  return test::capture_stdout([&] {
    cb.on_train_begin({});
    for (size_t e = 0; e < epochs.size() && !model.stop_training; ++e) {
      cb.on_epoch_begin(int(e), {});
      if (before_epoch_end) before_epoch_end(int(e));
      cb.on_epoch_end(int(e), epochs[e]);
    }
    cb.on_train_end({});
  });
}

std::vector<Logs> val_losses(const std::vector<double>& values) {
  std::vector<Logs> out;
  for (double v : values) out.push_back({{"loss", v + 0.1}, {"val_loss", v}});
  return out;
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

TEST_CASE("EarlyStopping stops, restores the best weights and prints as Keras", "[callbacks]") {
  auto model = tiny_model();
  const auto epochs = val_losses({0.9, 0.5, 0.7, 0.6, 0.4, 0.8});
  SECTION("patience 2, restore_best_weights") {
    callbacks::EarlyStopping es({.patience = 2, .verbose = 1, .restore_best_weights = true});
    auto kernel = model.get_layer(1)->weights()[0].value;
    const auto printed = drive(es, *model, epochs, [&](int e) {
      torch::NoGradGuard g;
      kernel.fill_(float(e));
    });
    CHECK(printed == oracle("EarlyStopping", R"({"patience": 2, "verbose": 1, "restore_best_weights": true})", epochs));
    CHECK_THAT(printed, Contains("Epoch 4: early stopping"));
    CHECK(es.stopped_epoch == 3);
    CHECK(es.best_epoch == 1);
    CHECK(kernel.eq(1.0f).all().item<bool>());  // the weights of the best epoch (0-based 1)
  }
  SECTION("modes, min_delta, baseline and start_from_epoch") {
    for (const auto& [options, json] : std::vector<std::pair<callbacks::EarlyStoppingOptions, std::string>>{
             {{.min_delta = 0.15, .patience = 1, .verbose = 1}, R"({"min_delta": 0.15, "patience": 1, "verbose": 1})"},
             {{.patience = 1, .verbose = 1, .mode = "max"}, R"({"patience": 1, "verbose": 1, "mode": "max"})"},
             {{.patience = 3, .verbose = 1, .baseline = 0.45}, R"({"patience": 3, "verbose": 1, "baseline": 0.45})"},
             {{.patience = 0, .verbose = 1, .start_from_epoch = 2}, R"({"patience": 0, "verbose": 1, "start_from_epoch": 2})"},
         }) {
      callbacks::EarlyStopping es(options);
      CHECK(drive(es, *model, epochs) == oracle("EarlyStopping", json, epochs));
    }
  }
  CHECK_THROWS_WITH(callbacks::EarlyStopping({.mode = "maximum"}), Contains("maximum"));
}

TEST_CASE("EarlyStopping ends fit after the epoch it triggers", "[callbacks]") {
  auto model = tiny_model();
  model.compile({.optimizer = "sgd", .loss = "categorical_crossentropy"});
  auto [x, y] = tiny_data();
  auto es = std::make_shared<callbacks::EarlyStopping>(
      callbacks::EarlyStoppingOptions{.monitor = "loss", .patience = 1, .verbose = 1, .baseline = 0.0});
  callbacks::History history;
  const auto printed = test::capture_stdout(
      [&] { history = model.fit(x, y, {.epochs = 10, .verbose = 0, .callbacks = {es}}); });
  CHECK(history.epoch == std::vector<int>{0, 1});
  CHECK(printed == "Epoch 2: early stopping\n");
}

TEST_CASE("ModelCheckpoint formats file names, saves the best model and prints as Keras", "[callbacks]") {
  test::TempDir dir;
  auto model = tiny_model();
  const auto pattern = (dir / "w.{epoch:02d}-{val_loss:.2f}.h5").string();
  const auto epochs = val_losses({0.69314718, 0.8, 0.41, 0.41});
  SECTION("save_best_only, whole model") {
    callbacks::ModelCheckpoint cp(pattern, {.verbose = 1, .save_best_only = true});
    const auto printed = drive(cp, *model, epochs);
    CHECK(printed == oracle("ModelCheckpoint",
                            R"({"filepath": ")" + pattern + R"(", "save_best_only": true, "verbose": 1})", epochs));
    CHECK(std::filesystem::exists(dir / "w.01-0.69.h5"));
    CHECK_FALSE(std::filesystem::exists(dir / "w.02-0.80.h5"));
    CHECK(std::filesystem::exists(dir / "w.03-0.41.h5"));
    auto loaded = models::load_model(dir / "w.03-0.41.h5");
    CHECK(torch::equal(loaded.get_layer(1)->get_weights()[0], model.get_layer(1)->get_weights()[0]));
  }
  SECTION("every epoch, weights only, max mode on accuracy") {
    callbacks::ModelCheckpoint cp((dir / "e{epoch}.h5").string(), {.monitor = "val_accuracy", .verbose = 1,
                                                                   .save_weights_only = true});
    const auto printed = drive(cp, *model, epochs);
    CHECK(printed == oracle("ModelCheckpoint", R"({"filepath": ")" + (dir / "e{epoch}.h5").string() +
                                                   R"(", "monitor": "val_accuracy", "verbose": 1})", epochs));
    model.load_weights(dir / "e4.h5");
  }
  SECTION("file name formatting as Python's str.format") {
    const Logs logs{{"loss", 0.123456789}, {"val_loss", 12.5}};
    const std::string spec = "{epoch:03d}_{epoch}_{loss:.3e}_{val_loss}_{loss:8.4f}_{{x}}";
    const auto expected = test::run(std::string(TL_TEST_PYTHON) + " -c \"import numpy as np; print('" + spec +
                                    "'.format(epoch=7, loss=float(np.float32(0.123456789)), val_loss=12.5), end='')\"");
    CHECK(callbacks::detail::format_filepath(spec, 7, std::nullopt, logs) == expected);
    CHECK_THROWS_WITH(callbacks::detail::format_filepath("{val_acc:.2f}.h5", 1, std::nullopt, logs),
                      Contains("Failed to format this callback filepath: \"{val_acc:.2f}.h5\". Reason: 'val_acc'"));
  }
}

TEST_CASE("a checkpoint write that fails (disk full) leaves the previous checkpoint intact", "[callbacks][io]") {
  test::TempDir dir;
  auto model = tiny_model();
  callbacks::ModelCheckpoint cp((dir / "model.h5").string());
  cp.set_model(&*model);
  cp.on_epoch_end(0, {});
  const auto before = read_file(dir / "model.h5");
  { torch::NoGradGuard g; model.get_layer(1)->weights()[0].value.fill_(7); }
  // A file size limit makes every write past 1 KiB fail with EFBIG, as a full disk fails it.
  rlimit old{};
  getrlimit(RLIMIT_FSIZE, &old);
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit small = old;
  small.rlim_cur = 1024;
  setrlimit(RLIMIT_FSIZE, &small);
  CHECK_THROWS_AS(cp.on_epoch_end(1, {}), IOError);
  setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, old_handler);
  CHECK(read_file(dir / "model.h5") == before);
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), {}) == 1);  // no temporary file left
  auto loaded = models::load_model(dir / "model.h5");
  CHECK_FALSE(loaded.get_layer(1)->get_weights()[0].eq(7).all().item<bool>());
}

TEST_CASE("ReduceLROnPlateau lowers the float32 learning rate and prints as Keras", "[callbacks]") {
  auto model = tiny_model();
  model.compile({.optimizer = optimizers::Adam({.learning_rate = 0.001}), .loss = "mse"});
  const auto epochs = val_losses({0.5, 0.5, 0.49995, 0.5, 0.3, 0.3, 0.3, 0.3});
  callbacks::ReduceLROnPlateau rlr({.patience = 1, .verbose = 1, .cooldown = 1, .min_lr = 1e-6});
  const auto printed = drive(rlr, *model, epochs);
  const auto expected = oracle("ReduceLROnPlateau",
                               R"({"patience": 1, "verbose": 1, "cooldown": 1, "min_lr": 1e-6, "learning_rate": 0.001})",
                               epochs);
  CHECK(printed + "final lr " + tl::detail::python_repr(model->optimizer()->learning_rate()) + "\n" ==
        expected);
  CHECK_THAT(printed, Contains("ReduceLROnPlateau reducing learning rate to 0.00010000000474974513."));
  CHECK_THROWS_WITH(callbacks::ReduceLROnPlateau({.factor = 1.0}), Contains("factor >= 1.0"));
}

TEST_CASE("CSVLogger writes Keras's CSV: epoch, sorted keys, repr values", "[callbacks]") {
  test::TempDir dir;
  auto model = tiny_model();
  const std::vector<Logs> epochs{{{"val_loss", 0.69314718}, {"loss", 0.1}, {"accuracy", 0.5}},
                                 {{"val_loss", 0.8}, {"loss", 0.2}, {"accuracy", 0.75}}};
  callbacks::CSVLogger csv((dir / "log.csv").string());
  drive(csv, *model, epochs);
  CHECK(read_file(dir / "log.csv") == oracle("CSVLogger", "{}", epochs));
  callbacks::CSVLogger appending((dir / "log.csv").string(), {.append = true});
  drive(appending, *model, epochs);
  const auto text = read_file(dir / "log.csv");
  CHECK(text.find("epoch,") == 0);
  CHECK(text.find("epoch,", 1) == std::string::npos);  // the header once
}

TEST_CASE("LambdaCallback calls each hook as fit runs", "[callbacks]") {
  auto model = tiny_model();
  model.compile({.optimizer = "sgd", .loss = "mse"});
  auto [x, y] = tiny_data();
  std::string trace;
  callbacks::LambdaCallback hooks({
      .on_epoch_begin = [&](int e, const Logs&) { trace.append("E").append(std::to_string(e)); },
      .on_epoch_end = [&](int e, const Logs& logs) {
            trace.append("e").append(std::to_string(e)).append(logs.contains("loss") ? "" : "?");
          },
      .on_batch_begin = [&](int64_t b, const Logs&) { trace.append("B").append(std::to_string(b)); },
      .on_train_begin = [&](const Logs&) { trace += "T"; },
      .on_train_end = [&](const Logs&) { trace += "t"; },
  });
  model.fit(x, y, {.batch_size = 16, .epochs = 2, .verbose = 0, .callbacks = {hooks}});
  CHECK(trace == "TE0B0B1e0E1B0B1e1t");
}

TEST_CASE("Ctrl-C during fit stops after the batch, runs on_train_end and returns the History so far", "[callbacks]") {
  auto model = tiny_model();
  model.compile({.optimizer = "sgd", .loss = "mse"});
  auto [x, y] = tiny_data();
  struct sigaction before {};
  sigaction(SIGINT, nullptr, &before);
  int batches = 0, epoch_now = 0;
  bool train_end = false;
  callbacks::LambdaCallback hooks({
      .on_epoch_begin = [&](int e, const Logs&) { epoch_now = e; },
      .on_batch_end = [&](int64_t b, const Logs&) {
        ++batches;
        if (epoch_now == 1 && b == 0) std::raise(SIGINT);
      },
      .on_train_end = [&](const Logs&) { train_end = true; },
  });
  const auto history = model.fit(x, y, {.batch_size = 8, .epochs = 5, .verbose = 0, .callbacks = {hooks}});
  CHECK(history.epoch == std::vector<int>{0});
  CHECK(batches == 4 + 1);
  CHECK(train_end);
  struct sigaction after {};
  sigaction(SIGINT, nullptr, &after);
  CHECK(after.sa_handler == before.sa_handler);  // the previous handler is back
  CHECK(model.fit(x, y, {.batch_size = 8, .epochs = 2, .verbose = 0}).epoch.size() == 2);  // the flag was cleared
}

TEST_CASE("BackupAndRestore resumes after Ctrl-C with the model and optimizer state", "[callbacks]") {
  test::TempDir dir;
  auto model = tiny_model();
  model.compile({.optimizer = "adam", .loss = "mse"});
  auto [x, y] = tiny_data();
  int epoch_now = 0;
  torch::Tensor kernel_after_epoch_1;
  callbacks::LambdaCallback interrupt({
      .on_epoch_begin = [&](int e, const Logs&) { epoch_now = e; },
      .on_epoch_end = [&](int e, const Logs&) {
        if (e == 1) kernel_after_epoch_1 = model.get_layer(1)->get_weights()[0];
      },
      .on_batch_end = [&](int64_t b, const Logs&) {
        if (epoch_now == 2 && b == 1) std::raise(SIGINT);
      },
  });
  callbacks::BackupAndRestore backup(dir / "backup");
  auto first = model.fit(x, y, {.batch_size = 8, .epochs = 4, .verbose = 0, .callbacks = {backup, interrupt}});
  CHECK(first.epoch == std::vector<int>{0, 1});
  REQUIRE(std::filesystem::exists(dir / "backup" / "training_state.h5"));  // kept: training did not complete
  {
    torch::NoGradGuard g;
    model.get_layer(1)->weights()[0].value.zero_();  // a fresh process starts from other weights
  }
  int64_t resumed_iterations = -1;
  torch::Tensor resumed_kernel;
  callbacks::LambdaCallback probe({.on_epoch_begin = [&](int, const Logs&) {
    if (resumed_iterations >= 0) return;
    resumed_iterations = model->optimizer()->iterations();
    resumed_kernel = model.get_layer(1)->get_weights()[0];
  }});
  auto second = model.fit(x, y, {.batch_size = 8, .epochs = 4, .verbose = 0, .callbacks = {backup, probe}});
  CHECK(second.epoch == std::vector<int>{2, 3});
  CHECK(resumed_iterations == 2 * 4);  // two finished epochs of four batches
  CHECK(torch::equal(resumed_kernel, kernel_after_epoch_1));
  CHECK_FALSE(std::filesystem::exists(dir / "backup"));  // deleted once training completed
}

namespace {
/// Runs tl_test_tool with `args` in a child process (fork + exec) and returns its wait status.
int run_tool(std::vector<std::string> args) {
  args.insert(args.begin(), TL_TEST_TOOL);
  const pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::freopen("/dev/null", "w", stdout);
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}
}  // namespace

TEST_CASE("BackupAndRestore: a training process killed mid-epoch resumes without losing a finished epoch",
          "[callbacks]") {
  test::TempDir dir;
  const auto backup = (dir / "backup").string(), log = (dir / "epochs.log").string();
  const int status = run_tool({"train", backup, log, "2"});  // SIGKILLs itself in the middle of epoch 3
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGKILL);
  CHECK(read_file(log) == "epoch 0\nepoch 1\n");
  REQUIRE(std::filesystem::exists(dir / "backup" / "training_state.h5"));
  const auto resumed = test::run(std::string(TL_TEST_TOOL) + " train " + backup + " " + log);
  CHECK(resumed == "history 2\nhistory 3\nhistory 4\n");  // resumed at epoch 3 of 5, ending with the 5th
  CHECK(read_file(log) == "epoch 0\nepoch 1\nepoch 2\nepoch 3\nepoch 4\n");  // each epoch finished exactly once
  CHECK_FALSE(std::filesystem::exists(dir / "backup"));
}
