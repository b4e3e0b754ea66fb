#include "hft/model/activation_checkpoint.h"

#include <ATen/Context.h>
#include <torch/autograd.h>
#include <torch/custom_class.h>

#include <mutex>

namespace hft::model {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

// Carries the layer function through the autograd context until backward.
struct LayerHolder : torch::CustomClassHolder {
  explicit LayerHolder(LayerFunction f) : fn(std::move(f)) {}
  LayerFunction fn;
};

at::Generator generator_of(const torch::Tensor& t) { return at::globalContext().defaultGenerator(t.device()); }

torch::Tensor rng_state(const torch::Tensor& like) {
  at::Generator generator = generator_of(like);
  std::lock_guard<std::mutex> lock(generator.mutex());
  return generator.get_state();
}

void set_rng_state(const torch::Tensor& like, const torch::Tensor& state) {
  at::Generator generator = generator_of(like);
  std::lock_guard<std::mutex> lock(generator.mutex());
  generator.set_state(state);
}

struct Checkpoint : torch::autograd::Function<Checkpoint> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& input, c10::IValue holder) {
    ctx->saved_data["layer"] = holder;
    ctx->saved_data["rng"] = rng_state(input);
    ctx->save_for_backward({input});
    torch::NoGradGuard no_grad;
    return c10::static_intrusive_pointer_cast<LayerHolder>(holder.toCapsule())->fn(input);  // no activations kept
  }

  static tensor_list backward(AutogradContext* ctx, tensor_list output_grads) {
    const torch::Tensor input = ctx->get_saved_variables()[0].detach().requires_grad_(true);
    const auto layer = c10::static_intrusive_pointer_cast<LayerHolder>(ctx->saved_data["layer"].toCapsule());
    const torch::Tensor now = rng_state(input);
    set_rng_state(input, ctx->saved_data["rng"].toTensor());  // the same dropout masks as forward
    torch::Tensor output;
    {
      torch::AutoGradMode enable_grad(true);
      output = layer->fn(input);
    }
    set_rng_state(input, now);
    torch::autograd::backward({output}, {output_grads[0]});  // parameters' .grad accumulate here
    return {input.grad(), torch::Tensor()};
  }
};

}  // namespace

torch::Tensor checkpointed(LayerFunction fn, const torch::Tensor& input) {
  auto holder = c10::make_intrusive<LayerHolder>(std::move(fn));
  return Checkpoint::apply(input, c10::IValue::make_capsule(std::move(holder)));
}

}  // namespace hft::model
