// AdamW whose step is one fused kernel per parameter group: aten::_fused_adamw_, the kernel
// behind torch.optim.AdamW(fused=True), which is the Trainer's default optim
// (adamw_torch_fused). The same update as torch::optim::AdamW, without launching each operation
// for each parameter in turn (about a quarter of a small model's step on a CPU). Its state is
// torch::optim::AdamW's, so checkpoints save and load the same way.
#pragma once

#include <torch/optim/adamw.h>

namespace hft::train {

class FusedAdamW : public torch::optim::AdamW {
 public:
  using torch::optim::AdamW::AdamW;
  torch::Tensor step(LossClosure closure = nullptr) override;
};

}  // namespace hft::train
