// In-place ReLU and Add inside a model's execution plan: a value is overwritten only at its last use, when
// nothing else sees its memory and autograd does not need it; results and gradients are those of the plain path.
#include "../support.hpp"

#include <tl/core/detail/reuse.hpp>

using namespace tl;

namespace {

/// Runs a layer as the plan does, handing it `inputs` (which it may overwrite): an rvalue is handed over, an
/// lvalue stays the caller's too. (A braced list would copy each tensor: a second handle.)
template <class... Tensors>
torch::Tensor run_reusing(layers::LayerImpl& layer, Tensors&&... inputs) {
  std::vector<torch::Tensor> args;
  (args.push_back(std::forward<Tensors>(inputs)), ...);
  return layer.forward_reusing(args, false);
}

}  // namespace

TEST_CASE("reusable: only a tensor nobody else sees, whose value autograd does not need", "[models][reuse]") {
  CHECK_FALSE(tl::detail::reusable(torch::Tensor()));
  auto a = torch::randn({2, 2});
  CHECK(tl::detail::reusable(a));
  {
    auto second_handle = a;
    CHECK_FALSE(tl::detail::reusable(a));
  }
  {
    auto view = a.view({4});
    CHECK_FALSE(tl::detail::reusable(a));
    CHECK_FALSE(tl::detail::reusable(view));
  }
  CHECK(tl::detail::reusable(a));

  auto weight = torch::randn({2}, torch::requires_grad());
  CHECK_FALSE(tl::detail::reusable(weight));
  {
    torch::NoGradGuard no_grad;
    CHECK(tl::detail::reusable(weight));
  }

  torch::Tensor inference;
  {
    c10::InferenceMode guard;
    inference = torch::randn({2});
    CHECK(tl::detail::reusable(inference));
  }
  CHECK_FALSE(tl::detail::reusable(inference));  // in-place on it outside inference mode would throw
}

TEST_CASE("Activation and Add write into a value handed over at its last use, and only then", "[models][reuse]") {
  torch::manual_seed(0);
  auto relu = layers::Activation("relu");
  const auto x = torch::randn({2, 3, 4, 4});
  auto handed_over = x.clone();
  const void* memory = handed_over.data_ptr();
  auto y = run_reusing(*relu, std::move(handed_over));
  CHECK(y.data_ptr() == memory);
  CHECK(torch::equal(y, torch::relu(x)));

  const auto kept = x.clone();  // the caller still holds it: a new tensor, `kept` untouched
  CHECK(run_reusing(*relu, kept).data_ptr() != kept.data_ptr());
  CHECK(torch::equal(kept, x));

  auto softmax = layers::Activation("softmax");  // no in-place form: a new tensor
  auto given = x.clone();
  memory = given.data_ptr();
  CHECK(run_reusing(*softmax, std::move(given)).data_ptr() != memory);

  auto add = layers::Add();
  const auto a = torch::randn({2, 3, 4, 4}), b = torch::randn({2, 3, 4, 4});
  auto a2 = a.clone(), b2 = b.clone();
  memory = a2.data_ptr();
  auto sum = run_reusing(*add, std::move(a2), std::move(b2));
  CHECK(sum.data_ptr() == memory);
  CHECK(torch::equal(sum, a + b));

  const auto a_kept = a.clone();  // the first is still read elsewhere: the sum goes into the second
  auto b3 = b.clone();
  memory = b3.data_ptr();
  sum = run_reusing(*add, a_kept, std::move(b3));
  CHECK(sum.data_ptr() == memory);
  CHECK(torch::equal(sum, a + b));
  CHECK(torch::equal(a_kept, a));

  auto broadcast = run_reusing(*add, torch::randn({2, 3, 4, 4}), torch::randn({1, 3, 1, 1}));
  CHECK(broadcast.sizes() == torch::IntArrayRef({2, 3, 4, 4}));  // a broadcast sum is never written in place
}

TEST_CASE("A model never overwrites the caller's batch or a value a later layer still reads", "[models][reuse]") {
  torch::manual_seed(1);
  auto in = Input({5, 5, 3});
  layers::Activation relu_in("relu"), relu_out("relu");
  layers::Conv2D conv(3, 1);
  layers::Add add;
  auto r = relu_in(in);  // the input is the caller's: never written
  auto s = add({r, conv(r)});  // r is read by the conv first; the Add is its last use
  Model model(in, relu_out(s), "reuse");

  const auto x = torch::randn({2, 5, 5, 3});
  const auto original = x.clone();
  const auto rx = torch::relu(x);
  const auto expected = torch::relu(rx + conv(rx));
  CHECK(torch::allclose(model.predict_on_batch(x), expected, 1e-6, 1e-6));
  CHECK(torch::equal(x, original));
  CHECK(torch::allclose(model.predict_on_batch(x), expected, 1e-6, 1e-6));
  CHECK(torch::equal(x, original));
}

TEST_CASE("Training through reused values gives the plain path's gradients", "[models][reuse]") {
  torch::manual_seed(2);
  auto in = Input({6, 6, 2});
  layers::Conv2D frozen(4, 3, {.padding = "same", .activation = "relu"});
  layers::Conv2D trainable(4, 3, {.padding = "same"});
  layers::Dense head(2);
  frozen.trainable(false);
  auto f = frozen(in);
  // f is saved by the trainable conv for its kernel's gradient, then read by the Add: it must stay intact.
  auto s = layers::Activation("relu")(layers::Add()({f, trainable(f)}));
  Model model(in, head(layers::GlobalAveragePooling2D()(s)), "train_reuse");

  const auto x = torch::randn({3, 6, 6, 2});
  auto loss_of = [](const torch::Tensor& y) { return (y * y).sum(); };
  loss_of(layers::LayerImpl::to_keras_layout(
              model->forward_internal({layers::LayerImpl::to_internal_layout(x)}, true)))
      .backward();
  const auto kernel = trainable.weights()[0].value;
  const auto plan_grad = kernel.grad().clone();
  const auto head_grad = head.weights()[0].value.grad().clone();
  kernel.mutable_grad().zero_();
  head.weights()[0].value.mutable_grad().zero_();

  const auto fx = frozen(x, true);
  const auto gap = torch::relu(fx + trainable(fx, true)).mean({1, 2});
  loss_of(head(gap)).backward();
  CHECK(torch::allclose(plan_grad, kernel.grad(), 1e-5, 1e-6));
  CHECK(torch::allclose(head_grad, head.weights()[0].value.grad(), 1e-5, 1e-6));
}
