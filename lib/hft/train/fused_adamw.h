// AdamW whose step is one fused kernel per parameter group: aten::_fused_adamw_, the kernel
// behind torch.optim.AdamW(fused=True), which is the Trainer's default optim
// (adamw_torch_fused). The same update as torch::optim::AdamW, without launching each operation
// for each parameter in turn (about a quarter of a small model's step on a CPU). Its state is
// torch::optim::AdamW's, so checkpoints save and load the same way.
#pragma once

#include <torch/optim/adamw.h>

#include <optional>

namespace hft::train {

class FusedAdamW : public torch::optim::AdamW {
 public:
  using torch::optim::AdamW::AdamW;
  // At each group's learning rate (a host number, set_learning_rate).
  torch::Tensor step(LossClosure closure = nullptr) override;
  // At `learning_rate` ([] float32 on the parameters' device), and no update at all where
  // `found_inf` ([] float32, fp16's overflow flag) is 1: the device decides, nothing is read back.
  void step(const torch::Tensor& learning_rate, const torch::Tensor& found_inf);

  void save(torch::serialize::OutputArchive& archive) const override;
  void load(torch::serialize::InputArchive& archive) override;

 private:
  struct Update {
    std::optional<torch::Tensor> learning_rate;  // else each group's own
    std::optional<torch::Tensor> found_inf;
  };
  void update(const Update& how);
  torch::Tensor& step_count(const torch::Tensor& parameter);

  // Each parameter's step count as the kernel reads it: [] float32 on the parameter's device, kept
  // from step to step (as torch.optim keeps state["step"]) and counted up by one foreach kernel.
  // Written back to the AdamW state (a host number) when saving.
  ska::flat_hash_map<void*, torch::Tensor> step_counts_;
};

}  // namespace hft::train
