#include "hft/model/activation_recomputation.h"

#include <ATen/Context.h>
#include <ATen/autocast_mode.h>
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

// Autocast's state on one device type (enabled, and to which type), as forward saw it.
struct AutocastState {
  bool enabled = false;
  c10::ScalarType dtype = c10::kFloat;
  static AutocastState of(c10::DeviceType device) {
    return {at::autocast::is_autocast_enabled(device), at::autocast::get_autocast_dtype(device)};
  }
  int64_t packed() const { return enabled ? static_cast<int64_t>(dtype) : -1; }
  static AutocastState unpacked(int64_t value) {
    return value < 0 ? AutocastState{} : AutocastState{true, static_cast<c10::ScalarType>(value)};
  }
};

// Puts autocast on `device` into `state` while alive, as torch.autocast(...) around the
// recomputation does in torch.utils.checkpoint, and restores it after: backward runs outside the
// training loop's autocast, and a bf16 forward must be recomputed in bf16. Its cast cache stays
// off: the recomputation's input is a leaf, which autocast would cast once for every use, summing
// the uses' gradients in bf16 where the first pass summed them in fp32.
class AutocastReplay {
 public:
  AutocastReplay(c10::DeviceType device, AutocastState state)
      : device_(device), before_(AutocastState::of(device)), cache_before_(at::autocast::is_autocast_cache_enabled()) {
    at::autocast::set_autocast_enabled(device_, state.enabled);
    if (state.enabled) at::autocast::set_autocast_dtype(device_, state.dtype);
    at::autocast::set_autocast_cache_enabled(false);
  }
  ~AutocastReplay() {
    at::autocast::set_autocast_cache_enabled(cache_before_);
    at::autocast::set_autocast_enabled(device_, before_.enabled);
    at::autocast::set_autocast_dtype(device_, before_.dtype);
  }
  AutocastReplay(const AutocastReplay&) = delete;
  AutocastReplay& operator=(const AutocastReplay&) = delete;

 private:
  c10::DeviceType device_;
  AutocastState before_;
  bool cache_before_;
};

struct Checkpoint : torch::autograd::Function<Checkpoint> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& input, c10::IValue holder) {
    ctx->saved_data["layer"] = holder;
    ctx->saved_data["rng"] = rng_state(input);
    ctx->saved_data["autocast"] = AutocastState::of(input.device().type()).packed();
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
      AutocastReplay autocast(input.device().type(), AutocastState::unpacked(ctx->saved_data["autocast"].toInt()));
      output = layer->fn(input);
    }
    set_rng_state(input, now);
    torch::autograd::backward({output}, {output_grads[0]});  // parameters' .grad accumulate here
    return {input.grad(), torch::Tensor()};
  }
};

}  // namespace

torch::Tensor recomputed_in_backward(LayerFunction fn, const torch::Tensor& input) {
  auto holder = c10::make_intrusive<LayerHolder>(std::move(fn));
  // The layer's output needs a gradient even when its input does not (frozen embeddings under
  // LoRA): an input that requires none would leave the output without a graph and the layer's
  // adapters without gradients (what enable_input_require_grads works around in transformers).
  const torch::Tensor in = input.requires_grad() || !torch::GradMode::is_enabled() ? input : input.detach().requires_grad_(true);
  return Checkpoint::apply(in, c10::IValue::make_capsule(std::move(holder)));
}

}  // namespace hft::model
