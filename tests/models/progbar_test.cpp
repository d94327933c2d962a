// keras.utils.Progbar's text, as tf.keras 2.x prints it.
#include "../support.hpp"

using tl::utils::Progbar;

TEST_CASE("Progbar formats times and values as Keras", "[models][progbar]") {
  CHECK(Progbar::format_time(3.2, "step") == "3s/step");
  CHECK(Progbar::format_time(0.25, "step") == "250ms/step");
  CHECK(Progbar::format_time(8e-5, "step") == "80us/step");
  CHECK(Progbar::format_value(0.51) == "0.5100");
  CHECK(Progbar::format_value(0.0001) == "1.0000e-04");
}

TEST_CASE("Progbar draws the bar in place on a terminal and once when not", "[models][progbar]") {
  std::ostringstream term;
  Progbar live(16, {.interval = 0, .dynamic_display = 1, .out = &term});
  live.update(8, {{"loss", 0.5}});
  live.update(16, {{"loss", 0.25}});
  const auto t = term.str();
  CHECK_THAT(t, Catch::Matchers::StartsWith("\r 8/16 [==============>...............] - ETA: "));
  CHECK_THAT(t, Catch::Matchers::Contains("\r16/16 [==============================] - 0s "));
  CHECK_THAT(t, Catch::Matchers::EndsWith(" - loss: 0.2500\n"));

  std::ostringstream log;
  Progbar file(16, {.dynamic_display = 0, .out = &log});
  file.update(8, {{"loss", 0.5}});
  file.update(16, {{"loss", 0.25}});
  CHECK(std::regex_match(log.str(), std::regex(R"(16/16 \[=+\] - 0s \d+us/step - loss: 0\.2500\n)")));
}
