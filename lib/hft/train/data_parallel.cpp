#include "hft/train/data_parallel.h"

#include <c10/util/Exception.h>

#include <stdexcept>

#include "hft/distributed/collectives.h"     // any_rank, sum_over_ranks
#include "hft/distributed/environment.h"     // process_environment
#include "hft/error.h"                // RunFailure
#include "hft/train/training_state.h"  // generator_states

namespace hft::train {

std::unique_ptr<distributed::Group> join_job(const config::TrainingArguments& args, bool on_gpu) {
  distributed::Backend backend = on_gpu ? distributed::Backend::kNccl : distributed::Backend::kGloo;
  if (args.ddp_backend) backend = *args.ddp_backend == config::DdpBackend::kNccl ? distributed::Backend::kNccl : distributed::Backend::kGloo;
  try {
    return std::make_unique<distributed::Group>(distributed::process_environment(), backend, std::chrono::seconds(args.ddp_timeout));
  } catch (const c10::Error& e) {  // the rendezvous timed out, say: one line, without LibTorch's backtrace
    throw RunFailure("the processes did not all join within ddp_timeout (" + std::to_string(args.ddp_timeout) +
                             " s): " + e.what_without_backtrace());
  }
}

std::unique_ptr<distributed::GradientSync> attach_data_parallel(distributed::Group& group, model::SequenceClassifier& model,
                                                         const config::TrainingArguments& args, LoopHooks& hooks) {
  std::vector<at::Tensor> parameters;
  for (const auto& p : model.parameters())
    if (p.requires_grad()) parameters.push_back(p);
  const int64_t cap_mb = args.ddp_bucket_cap_mb.value_or(distributed::kDefaultBucketCapMb);
  auto sync = std::make_unique<distributed::GradientSync>(group, std::move(parameters), cap_mb * 1024 * 1024);
  if (group.size() == 1) return sync;
  for (auto& buffer : model.buffers()) group.broadcast(buffer, 0);  // DDP's broadcast_buffers, once
  distributed::GradientSync* gradients = sync.get();
  hooks.before_backward = [gradients](bool optimizer_steps_next) { gradients->prepare_backward(optimizer_steps_next); };
  hooks.after_backward = [gradients] { gradients->finish_backward(); };
  // A signal may reach one rank only, or the ranks between two steps: all stop after the step
  // in which any of them saw one.
  hooks.stop_requested = [&group, local = hooks.stop_requested] {
    return distributed::any_rank(group, local && local());
  };
  hooks.sum_over_ranks = [&group](double value) { return distributed::sum_over_ranks(group, {value})[0]; };
  return sync;
}

std::vector<at::Tensor> generator_states_of_every_rank(distributed::Group& group) {
  std::vector<at::Tensor> states = group.all_gather(generator_states().to(distributed::collective_device(group)));
  for (at::Tensor& state : states) state = state.cpu();
  return states;
}

void write_on_main(distributed::Group& group, const std::function<void()>& write) {
  if (group.rank() == 0) write();
  group.barrier();
}

}  // namespace hft::train
