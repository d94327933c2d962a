#pragma once
// Helpers of the applications tests: float32 files from the Python oracle, and environment overrides.
#include "../support.hpp"

#include <torch/torch.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tl::test {

/// A float32 file the oracle wrote with numpy's tofile, as a tensor of `shape`; the size must match exactly.
inline torch::Tensor read_floats(const std::filesystem::path& path, std::vector<int64_t> shape) {
  auto out = torch::empty(shape, torch::kFloat32);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  const auto bytes = std::streamsize(out.numel() * sizeof(float));
  if (std::filesystem::file_size(path) != uintmax_t(bytes)) throw std::runtime_error(path.string() + ": wrong size");
  in.read(reinterpret_cast<char*>(out.data_ptr<float>()), bytes);
  return out;
}

/// max |actual - expected| / max |expected|: the error relative to the output's scale.
inline double relative_error(const torch::Tensor& actual, const torch::Tensor& expected) {
  const auto e = expected.to(torch::kFloat64);
  return (actual.to(torch::kFloat64) - e).abs().max().item<double>() / e.abs().max().item<double>();
}

/// Sets (or, with nullopt, unsets) environment variables for one scope, restoring them after.
class ScopedEnv {
 public:
  explicit ScopedEnv(std::vector<std::pair<std::string, std::optional<std::string>>> values) {
    for (auto& [name, value] : values) {
      const char* old = std::getenv(name.c_str());
      saved_.emplace_back(name, old ? std::optional<std::string>(old) : std::nullopt);
      set(name, value);
    }
  }
  ~ScopedEnv() {
    for (auto& [name, value] : saved_) set(name, value);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  static void set(const std::string& name, const std::optional<std::string>& value) {
    if (value) setenv(name.c_str(), value->c_str(), 1);
    else unsetenv(name.c_str());
  }
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

/// An empty Keras cache and no reachable network (every proxy points at a closed local port), so downloads
/// fail fast and deterministically even on a machine that is online.
class OfflineKerasHome {
 public:
  OfflineKerasHome()
      : env_({{"KERAS_HOME", dir_.path().string()},
              {"ALL_PROXY", "http://127.0.0.1:9"},
              {"HTTPS_PROXY", "http://127.0.0.1:9"},
              {"https_proxy", "http://127.0.0.1:9"},
              {"NO_PROXY", std::nullopt},
              {"no_proxy", std::nullopt}}) {}
  std::filesystem::path models() const { return dir_ / "models"; }

 private:
  TempDir dir_;
  ScopedEnv env_;
};

}  // namespace tl::test
