// keras.backend's naming: to_snake_case as Keras's two regular expressions compute it (checked by Python's re).
#include "../support.hpp"

#include <fstream>
#include <sstream>

using namespace tl;

TEST_CASE("to_snake_case equals Keras's regular expressions", "[core][backend]") {
  const std::vector<std::string> names = {"GlobalAveragePooling2D", "ReLU", "Conv2D", "DepthwiseConv2D", "PReLU",
                                          "BatchNormalization", "SeparableConv2D", "ABCDef", "aBCd", "X", "",
                                          "MyLayer123Abc", "HTTPServerError2Go", "Conv2DTranspose", "A1b2C", "a_B"};
  test::TempDir dir;
  {
    std::ofstream script(dir / "snake.py");  // streamed: GCC 12 warns falsely on chains of std::string +
    script << "import re\nfor n in [";
    for (const auto& n : names) script << "'" << n << "',";
    script << "]:\n  print(re.sub('([a-z])([A-Z])', r'\\1_\\2', re.sub('(.)([A-Z][a-z0-9]+)', r'\\1_\\2', n)).lower())\n";
  }
  std::string command(TL_TEST_PYTHON);
  command.append(" ").append((dir / "snake.py").string());
  std::istringstream expected(test::run(command));
  for (const auto& name : names) {
    std::string line;
    std::getline(expected, line);
    CHECK(backend::to_snake_case(name) == line);
  }
}
