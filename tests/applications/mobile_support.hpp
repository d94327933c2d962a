#pragma once
// The mobile families' tests (MobileNet, MobileNetV2, MobileNetV3Small/Large, EfficientNetB0-B7) against
// tests/python/applications_reference.py: cases as the oracle names them ("MobileNet:alpha=0.5,include_top=0"),
// tl models built from a case's Keras keyword arguments, and the comparisons of a model with the oracle's spec.
#include "applications_support.hpp"

#include <tl/applications/applications.hpp>
#include <tl/applications/detail/application.hpp>
#include <tl/core/backend.hpp>
#include <tl/core/json.hpp>
#include <tl/io/keras_weights.hpp>
#include <tl/utils/detail/hash.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace tl::test::mobile {

namespace apps = tl::applications;

/// The families' Keras names, as the oracle spells them.
inline bool is_efficientnet(const std::string& model) { return model.rfind("EfficientNetB", 0) == 0; }
inline bool is_v3(const std::string& model) { return model.rfind("MobileNetV3", 0) == 0; }

inline json read_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return json::parse(in);
}

/// Float64 values the oracle wrote with numpy's tofile.
inline torch::Tensor read_doubles(const std::filesystem::path& path, std::vector<int64_t> shape) {
  auto out = torch::empty(shape, torch::kFloat64);
  std::ifstream in(path, std::ios::binary);
  const auto bytes = std::streamsize(out.numel() * sizeof(double));
  if (!in || std::filesystem::file_size(path) != uintmax_t(bytes)) throw std::runtime_error(path.string() + ": wrong size");
  in.read(reinterpret_cast<char*>(out.data_ptr<double>()), bytes);
  return out;
}

inline std::vector<int64_t> int_list(const json& j) {
  std::vector<int64_t> out;
  for (const auto& v : j) out.push_back(v.is_null() ? None : v.get<int64_t>());
  return out;
}

/// The options every family shares, from a case's Keras kwargs (None -> "" as tl spells it).
template <class Options>
void set_common(Options& o, const json& kw, const std::string& weights) {
  o.weights = weights;
  if (kw.contains("include_top")) o.include_top = kw["include_top"].get<bool>();
  if (kw.contains("input_shape")) o.input_shape = int_list(kw["input_shape"]);
  if (kw.contains("pooling")) o.pooling = kw["pooling"].is_null() ? "" : kw["pooling"].get<std::string>();
  if (kw.contains("classes")) o.classes = kw["classes"].get<int64_t>();
  if (kw.contains("classifier_activation"))
    o.classifier_activation = kw["classifier_activation"].is_null() ? "" : kw["classifier_activation"].get<std::string>();
}

inline apps::MobileNetOptions mobilenet_options(const json& kw, const std::string& weights) {
  apps::MobileNetOptions o;
  set_common(o, kw, weights);
  if (kw.contains("alpha")) o.alpha = kw["alpha"].get<double>();
  if (kw.contains("depth_multiplier")) o.depth_multiplier = kw["depth_multiplier"].get<int64_t>();
  if (kw.contains("dropout")) o.dropout = kw["dropout"].get<double>();
  return o;
}

inline apps::MobileNetV2Options mobilenet_v2_options(const json& kw, const std::string& weights) {
  apps::MobileNetV2Options o;
  set_common(o, kw, weights);
  if (kw.contains("alpha")) o.alpha = kw["alpha"].get<double>();
  return o;
}

inline apps::MobileNetV3Options mobilenet_v3_options(const json& kw, const std::string& weights) {
  apps::MobileNetV3Options o;
  set_common(o, kw, weights);
  if (kw.contains("alpha")) o.alpha = kw["alpha"].get<double>();
  if (kw.contains("minimalistic")) o.minimalistic = kw["minimalistic"].get<bool>();
  if (kw.contains("dropout_rate")) o.dropout_rate = kw["dropout_rate"].get<double>();
  if (kw.contains("include_preprocessing")) o.include_preprocessing = kw["include_preprocessing"].get<bool>();
  return o;
}

inline apps::EfficientNetOptions efficientnet_options(const json& kw, const std::string& weights) {
  apps::EfficientNetOptions o;
  set_common(o, kw, weights);
  return o;
}

inline int efficientnet_index(const std::string& model) { return model.back() - '0'; }

/// The tl model of `model` with `kw` and `weights` ("none", a file, or "imagenet"), built in a fresh session as
/// the oracle builds Keras's (auto names from conv2d, re_lu, tf.__operators__.add ...).
inline Model build(const std::string& model, const json& kw, const std::string& weights) {
  tl::backend::clear_session();
  if (model == "MobileNet") return apps::MobileNet(mobilenet_options(kw, weights));
  if (model == "MobileNetV2") return apps::MobileNetV2(mobilenet_v2_options(kw, weights));
  if (model == "MobileNetV3Small") return apps::MobileNetV3Small(mobilenet_v3_options(kw, weights));
  if (model == "MobileNetV3Large") return apps::MobileNetV3Large(mobilenet_v3_options(kw, weights));
  if (is_efficientnet(model))
    return apps::detail::efficientnet::EfficientNet(apps::detail::efficientnet::variant(efficientnet_index(model)),
                                                    efficientnet_options(kw, weights));
  throw std::runtime_error("not a mobile family: " + model);
}

/// EfficientNet as Keras builds it for weights="imagenet" (the third stem layer), without loading anything.
inline Model efficientnet_imagenet_structure(const std::string& model, const json& kw) {
  tl::backend::clear_session();
  const auto& spec = apps::detail::efficientnet::variant(efficientnet_index(model));
  const auto options = efficientnet_options(kw, "imagenet");
  const apps::detail::Application app(apps::detail::efficientnet::application_spec(spec),
                                      apps::detail::common_options(options));
  const auto output = apps::detail::efficientnet::graph(app, spec, options);
  return Model(app.input(), output, spec.model_name);
}

inline bool numbers_equal(const json& a, const json& b) {
  if (a.is_number() && b.is_number()) {
    const double x = a.get<double>(), y = b.get<double>();
    return std::abs(x - y) <= 1e-6 * std::max(std::abs(x), std::abs(y));  // float32 constants vs their doubles
  }
  if (a.is_array() && b.is_array()) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (!numbers_equal(a[i], b[i])) return false;
    return true;
  }
  return a == b;
}

/// Differences between a tl model and the oracle's spec of a case (empty: the same model): name, shapes,
/// parameter counts, and per layer in model.layers order the class, name, wiring, output shape, weights (HDF5
/// name, Keras shape, trainable, dtype, in HDF5 order) and every config entry the oracle records.
inline std::vector<std::string> differences(const Model& model, const json& keras) {
  std::vector<std::string> out;
  const auto add = [&](const std::string& what) { out.push_back(what); };
  if (model.name() != keras["name"].get<std::string>()) add("model name " + model.name() + " != " + keras["name"].get<std::string>());
  if (model.inputs()[0].shape() != int_list(keras["input_shape"]))
    add("input shape " + to_string(model.inputs()[0].shape()) + " != " + to_string(int_list(keras["input_shape"])));
  if (model.outputs()[0].shape() != int_list(keras["output_shape"]))
    add("output shape " + to_string(model.outputs()[0].shape()) + " != " + to_string(int_list(keras["output_shape"])));
  const int64_t total = model.count_params(), trainable = tl::count_params(model->trainable_weights());
  if (total != keras["params"]["total"].get<int64_t>() || trainable != keras["params"]["trainable"].get<int64_t>())
    add("params " + std::to_string(total) + "/" + std::to_string(trainable) + " != " +
        keras["params"]["total"].dump() + "/" + keras["params"]["trainable"].dump());
  const auto& layers = model.layers();
  const auto& expected = keras["layers"];
  if (layers.size() != expected.size())
    add(std::to_string(layers.size()) + " layers != " + std::to_string(expected.size()));
  std::map<const layers::LayerImpl*, std::shared_ptr<Node>> node_of;
  for (const auto& [depth, nodes] : model->nodes_by_depth())
    for (const auto& node : nodes) node_of[node->layer.get()] = node;
  for (size_t i = 0; i < std::min(layers.size(), expected.size()); ++i) {
    const auto& layer = *layers[i];
    const auto& k = expected[i];
    const std::string at = "layer " + std::to_string(i) + " " + layer.name() + ": ";
    if (layer.name() != k["name"].get<std::string>() || layer.class_name() != k["class_name"].get<std::string>()) {
      add(at + layer.class_name() + " != " + k["class_name"].get<std::string>() + " " + k["name"].get<std::string>());
      break;  // the rest is shifted
    }
    const auto& node = node_of.at(&layer);
    std::vector<std::string> inbound;
    for (const auto& t : node->inputs) inbound.push_back(t.node()->layer->name());
    if (json(inbound) != k["inbound"]) add(at + "inbound " + json(inbound).dump() + " != " + k["inbound"].dump());
    if (node->output_shape != int_list(k["output_shape"]))
      add(at + "output shape " + to_string(node->output_shape) + " != " + k["output_shape"].dump());
    const auto weights = tl::io::detail::legacy_weights(layer);
    json tl_weights = json::array();
    for (const auto& w : weights)
      tl_weights.push_back({{"name", w.name},
                            {"shape", w.keras_shape()},
                            {"trainable", w.trainable},
                            {"dtype", w.value.is_floating_point() ? "float32" : "int64"}});
    if (tl_weights != k["weights"]) add(at + "weights " + tl_weights.dump() + " != " + k["weights"].dump());
    const auto config = layer.get_config();
    for (const auto& [key, value] : k["config"].items()) {
      json mine;
      if (config.contains(key)) mine = config[key];
      else if (layer.call_kwargs().contains(key)) mine = layer.call_kwargs()[key];  // TFOpLambda's y
      else {
        add(at + "config has no " + key);
        continue;
      }
      if (!numbers_equal(mine, value)) add(at + "config " + key + " " + mine.dump() + " != " + value.dump());
    }
  }
  return out;
}

/// A parity case's result, for the report.
struct Parity {
  std::string name;
  double error = 0, tolerance = 0, float32_error = 0;
};

/// tl's forward on the oracle's seeded Keras weights file (loaded by order) against the float64 reference.
/// The tolerance is max(1e-4, 10 x float32_error): a float32 implementation differs from the float64 one by about
/// the numpy float32 forward's own error (1e-7 ... 3e-5 depending on depth and conditioning), and 1e-4 of the
/// output's scale is the floor for short nets where that error is tiny.
inline Parity parity(const std::filesystem::path& dir, const Model& model) {
  const auto meta = read_json(dir / "meta.json");
  const auto x = read_floats(dir / "x.bin", meta["x_shape"].get<std::vector<int64_t>>());
  const auto expected = read_doubles(dir / "y64.bin", meta["y_shape"].get<std::vector<int64_t>>());
  torch::NoGradGuard no_grad;
  const auto y = model(x);
  Parity p;
  p.name = meta["case"].get<std::string>();
  p.float32_error = meta["float32_error"].get<double>();
  p.tolerance = std::max(1e-4, 10 * p.float32_error);
  p.error = y.sizes() == expected.sizes() ? relative_error(y, expected) : INFINITY;
  std::cout << "parity " << p.name << ": max |tl - keras64| / max |keras64| = " << p.error << " (tolerance "
            << p.tolerance << ", numpy float32 " << p.float32_error << ")" << std::endl;
  return p;
}

}  // namespace tl::test::mobile
