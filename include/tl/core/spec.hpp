#pragma once
// What `compile` takes for an optimizer, a loss or a metric: a Keras name ("adam") or a configured object.
#include <concepts>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>

namespace tl {

/// A name or an object of a class derived from `Base`, resolved to a `std::shared_ptr<Base>` by `resolve`.
///   Spec<optimizers::Optimizer> a = "Adam";                                    // by name
///   Spec<optimizers::Optimizer> b = optimizers::Adam({.learning_rate = 1e-5});  // by object
///   auto optimizer = a.resolve(optimizers::get);
template <class Base>
class Spec {
 public:
  Spec() = default;
  Spec(const char* name) : name_(name) {}
  Spec(std::string name) : name_(std::move(name)) {}
  template <std::derived_from<Base> Derived>
  Spec(std::shared_ptr<Derived> object) : object_(std::move(object)) {}
  /// Copies (or moves) the object into a shared_ptr, so temporaries such as `Adam({...})` can be passed.
  template <class Derived>
    requires std::derived_from<std::remove_cvref_t<Derived>, Base>
  Spec(Derived&& object) : object_(std::make_shared<std::remove_cvref_t<Derived>>(std::forward<Derived>(object))) {}

  /// The object given, or `getter(name)` for a name (getter is e.g. `tl::optimizers::get`).
  template <class Getter>
  std::shared_ptr<Base> resolve(Getter&& getter) const {
    if (object_) return object_;
    return std::forward<Getter>(getter)(name_);
  }
  /// True when neither a name nor an object was given.
  bool empty() const { return !object_ && name_.empty(); }
  /// The name given (empty when an object was given).
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  std::shared_ptr<Base> object_;
};

}  // namespace tl
