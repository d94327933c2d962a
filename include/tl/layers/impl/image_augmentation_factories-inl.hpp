#pragma once
#include <tl/layers/image_augmentation_factories.hpp>

#include <tl/core/json.hpp>
#include <tl/layers/config.hpp>
#include <tl/layers/image_augmentation.hpp>

namespace tl::layers {

namespace augmentation_detail {
TL_INLINE std::optional<uint64_t> seed_of(const json& c) {
  const auto it = c.find("seed");
  if (it == c.end() || it->is_null()) return std::nullopt;
  return static_cast<uint64_t>(it->get<int64_t>());
}
/// A factor as Keras saves it: a number or a [lower, upper] list.
TL_INLINE Factor factor_of(const json& v, const std::string& key) {
  if (v.is_number()) return Factor(v.get<double>());
  detail::check(v.is_array() && v.size() == 2, "\"" + key + "\" must be a number or a pair of numbers");
  return Factor(v[0].get<double>(), v[1].get<double>());
}
TL_INLINE std::string name_of(const json& c) { return config::string_or(c, "name", ""); }
}  // namespace augmentation_detail

TL_INLINE const std::vector<std::pair<std::string, ConfigFactory>>& image_augmentation_factories() {
  using namespace augmentation_detail;
  static const std::vector<std::pair<std::string, ConfigFactory>> table = {
      {"RandomFlip", [](const json& c) -> std::shared_ptr<LayerImpl> {
         return RandomFlip(config::string_or(c, "mode", "horizontal_and_vertical"), {.seed = seed_of(c), .name = name_of(c)}).ptr();
       }},
      {"RandomRotation", [](const json& c) -> std::shared_ptr<LayerImpl> {
         return RandomRotation(factor_of(config::at(c, "factor"), "factor"),
                               {.fill_mode = config::string_or(c, "fill_mode", "reflect"),
                                .interpolation = config::string_or(c, "interpolation", "bilinear"), .seed = seed_of(c),
                                .fill_value = config::double_or(c, "fill_value", 0.0), .name = name_of(c)})
             .ptr();
       }},
      {"RandomZoom", [](const json& c) -> std::shared_ptr<LayerImpl> {
         const auto width = c.find("width_factor");
         return RandomZoom(factor_of(config::at(c, "height_factor"), "height_factor"),
                           {.width_factor = width != c.end() && !width->is_null()
                                                ? OptionalFactor(factor_of(*width, "width_factor"))
                                                : OptionalFactor(),
                            .fill_mode = config::string_or(c, "fill_mode", "reflect"),
                            .interpolation = config::string_or(c, "interpolation", "bilinear"), .seed = seed_of(c),
                            .fill_value = config::double_or(c, "fill_value", 0.0), .name = name_of(c)})
             .ptr();
       }},
      {"RandomTranslation", [](const json& c) -> std::shared_ptr<LayerImpl> {
         return RandomTranslation(factor_of(config::at(c, "height_factor"), "height_factor"),
                                  factor_of(config::at(c, "width_factor"), "width_factor"),
                                  {.fill_mode = config::string_or(c, "fill_mode", "reflect"),
                                   .interpolation = config::string_or(c, "interpolation", "bilinear"), .seed = seed_of(c),
                                   .fill_value = config::double_or(c, "fill_value", 0.0), .name = name_of(c)})
             .ptr();
       }},
      {"RandomContrast", [](const json& c) -> std::shared_ptr<LayerImpl> {
         return RandomContrast(factor_of(config::at(c, "factor"), "factor"), {.seed = seed_of(c), .name = name_of(c)}).ptr();
       }},
      {"RandomCrop", [](const json& c) -> std::shared_ptr<LayerImpl> {
         return RandomCrop(config::at(c, "height").get<int64_t>(), config::at(c, "width").get<int64_t>(),
                           {.seed = seed_of(c), .name = name_of(c)})
             .ptr();
       }},
  };
  return table;
}

}  // namespace tl::layers
