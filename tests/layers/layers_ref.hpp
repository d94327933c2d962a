#pragma once
// Runs tests/python/layers_ref.py: Keras's layer semantics written out in numpy on NHWC arrays.
#include "../keras_math.hpp"

#include <catch2/catch.hpp>

namespace tl::test {

/// `layers_ref.py <command...> <inputs file>`: the outputs Keras's definition of the layer gives.
inline std::map<std::string, torch::Tensor> layers_ref(const std::string& command, const NamedTensors& inputs) {
  TempDir dir;
  write_named(dir / "inputs.txt", inputs);
  return read_named(python("layers_ref.py", command + " " + (dir / "inputs.txt").string()));
}

/// A small integer-valued pair (h, w) as the oracle reads it.
inline torch::Tensor pair(int64_t h, int64_t w) { return torch::tensor({h, w}); }

/// Requires `f()` to throw tl::ValueError whose message contains every fragment (layer name, shapes...).
template <class F>
void require_value_error(F&& f, std::initializer_list<std::string> fragments) {
  try {
    f();
  } catch (const tl::ValueError& e) {
    for (const auto& fragment : fragments) CHECK_THAT(e.what(), Catch::Matchers::Contains(fragment));
    return;
  }
  FAIL("expected tl::ValueError");
}

}  // namespace tl::test
