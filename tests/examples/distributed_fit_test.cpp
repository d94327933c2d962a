// Runs examples/distributed_fit end to end: 2 workers started by its --nproc launcher, and 2 started by hand with
// torchrun's variables, print the History one process prints; a bad TF_CONFIG exits with status 1 and TF's words.
#include "examples_support.hpp"

#include <cmath>
#include <regex>
#include <sstream>

namespace {

using tl::test::TempDir;
using tl::test::examples::count;
using tl::test::examples::make_two_class_dir;
using tl::test::examples::run_status;

/// The loss, accuracy, val_loss and val_accuracy of every epoch line of a fit's output, in order (Keras's Progbar
/// prints a value of at most 1e-3 as %.4e).
std::vector<double> epoch_figures(const std::string& out) {
  const std::regex figure(R"( - (?:val_)?(?:loss|accuracy): (\d\.\d{4}e[+-]\d+|\d+\.\d{4}))");
  std::vector<double> figures;
  for (auto it = std::sregex_iterator(out.begin(), out.end(), figure); it != std::sregex_iterator(); ++it)
    figures.push_back(std::stod((*it)[1]));
  return figures;
}

}  // namespace

TEST_CASE("distributed_fit: 2 workers (its launcher, or torchrun's variables) train what one process trains") {
  TempDir tmp;
  const auto data = make_two_class_dir(tmp);
  // `timeout`: a worker that never returns fails the test instead of hanging it; --timeout bounds its waits.
  const std::string program = "timeout 120 " + tl::test::examples::dir + "/distributed_fit " + data.string() +
                              " --weights none --target-size 64 --epochs 2 --batch-size 4 --seed 3 --timeout 60"
                              " --threads 1";
  const auto [one_status, one] = run_status("env -u RANK -u WORLD_SIZE -u TF_CONFIG " + program);
  INFO(one);
  REQUIRE(one_status == 0);
  const auto expected = epoch_figures(one);
  REQUIRE(expected.size() == 8);  // 2 epochs x loss, accuracy, val_loss, val_accuracy
  CHECK(one.find("workers (gloo)") == std::string::npos);

  const auto model = (tmp / "model.h5").string();
  const auto [launched_status, launched] = run_status(program + " --nproc 2 --save " + model);
  // torchrun's variables, set by hand: worker 1 in the background, worker 0 here.
  const int port = tl::distribute::detail::free_port();
  std::ostringstream both;
  for (const int rank : {1, 0})
    both << (rank ? "(" : "") << "RANK=" << rank << " LOCAL_RANK=" << rank << " WORLD_SIZE=2 LOCAL_WORLD_SIZE=2 "
         << "MASTER_ADDR=127.0.0.1 MASTER_PORT=" << port << " " << program << (rank ? " > /dev/null & " : "");
  both << "; s=$?; wait $! || s=1; exit $s)";
  const auto [env_status, env_out] = run_status(both.str());
  for (const auto& [status, out] : {std::pair{launched_status, launched}, std::pair{env_status, env_out}}) {
    INFO(out);
    REQUIRE(status == 0);
    CHECK(count(out, "Epoch 1/2\n") == 1);  // worker 0 prints, worker 1 does not
    CHECK(count(out, "2 workers (gloo): 16404 bytes of gradients all-reduced per step in 1 bucket(s)") == 1);
    const auto figures = epoch_figures(out);
    REQUIRE(figures.size() == expected.size());
    // Each worker's gradient is the sum over its rows; their sum divided by the global batch is one process's mean
    // gradient up to float rounding (~1e-7). The output rounds to 4 decimals: one unit of the last digit apart.
    for (size_t i = 0; i < figures.size(); ++i) CHECK(std::abs(figures[i] - expected[i]) <= 1.01e-4);
  }
  CHECK(count(launched, "Saved the model's weights to ") == 1);  // only worker 0 saves
  CHECK(std::filesystem::exists(model));
}

TEST_CASE("distributed_fit names what is wrong with a bad cluster and exits with status 1") {
  const auto [status, out] =
      run_status("TF_CONFIG='{\"cluster\": {\"worker\": [\"127.0.0.1:1\"]}, \"task\": {\"type\": \"worker\", "
                 "\"index\": 3}}' timeout 60 " + tl::test::examples::dir + "/distributed_fit nowhere --weights none");
  INFO(out);
  CHECK(status == 1);
  CHECK(out.find("distributed_fit: ") != std::string::npos);
  CHECK(out.find("The `task_id` 3 exceeds the maximum id of worker.") != std::string::npos);  // TF's words
}
