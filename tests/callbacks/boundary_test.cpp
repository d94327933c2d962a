// The boundary between callbacks and the training loop (issue "Build cost"): callbacks change a model only through
// its public control API (stop_training, optimizer(), resume_at_epoch(), interrupted(), weights, saving), never
// through models/detail or the model's training state. Checked on the sources, so a new include fails here.
#include "../support.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

/// Every file under include/tl/callbacks (declarations, impl/ and detail/), with its text.
std::vector<std::pair<std::string, std::string>> callback_sources() {
  const auto root = std::filesystem::path(TL_SOURCE_DIR) / "include" / "tl" / "callbacks";
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    out.emplace_back(std::filesystem::relative(entry.path(), root).string(), text.str());
  }
  return out;
}

}  // namespace

TEST_CASE("callbacks/ reaches the model through its public control API only", "[callbacks]") {
  const auto sources = callback_sources();
  REQUIRE(sources.size() >= 20);  // the headers, impl/ and detail/ were found
  for (const auto& [file, text] : sources) {
    INFO(file);
    CHECK(text.find("tl/models/detail/") == std::string::npos);
    CHECK(text.find("tl/models/impl/") == std::string::npos);
    CHECK(text.find("models::detail") == std::string::npos);
    CHECK(text.find("training_state(") == std::string::npos);  // the file "training_state.h5" is fine
    CHECK(text.find("TrainingState") == std::string::npos);
    CHECK(text.find("InterruptGuard") == std::string::npos);
  }
}
