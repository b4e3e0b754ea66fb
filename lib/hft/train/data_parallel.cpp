#include "hft/train/data_parallel.h"

#include <c10/util/Exception.h>

#include "hft/distributed/collectives.h"    // LaggedAnyRank, sum_over_ranks, collective_device
#include "hft/distributed/environment.h"    // process_environment
#include "hft/distributed/gradient_sync.h"  // GradientSync
#include "hft/error.h"                      // RunFailure
#include "hft/train/resume_state.h"         // generator_states

namespace hft::train {
namespace {

// DistributedDataParallel's part in a step: gradients averaged in buckets while backward runs.
class GradientAveraging : public DataParallel {
 public:
  GradientAveraging(distributed::Group& group, std::vector<at::Tensor> parameters, int64_t bucket_cap_bytes)
      : group_(group), gradients_(group, std::move(parameters), bucket_cap_bytes), stop_votes_(group, kStopVoteLag) {}
  void before_backward(bool optimizer_steps_next) override { gradients_.prepare_backward(optimizer_steps_next); }
  void after_backward() override { gradients_.finish_backward(); }
  double sum_over_ranks(double value) override { return distributed::sum_over_ranks(group_, {value})[0]; }
  bool stop_agreed(bool mine) override { return stop_votes_(mine); }

 private:
  // Two steps: the device still has a step queued while the host reads the vote.
  static constexpr int64_t kStopVoteLag = 2;
  distributed::Group& group_;
  distributed::GradientSync gradients_;
  distributed::LaggedAnyRank stop_votes_;
};

}  // namespace

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

std::unique_ptr<DataParallel> data_parallel(distributed::Group& group, model::TaskModel& model,
                                            const config::TrainingArguments& args) {
  if (group.size() == 1) return std::make_unique<DataParallel>();
  std::vector<at::Tensor> parameters;
  for (const auto& p : model.parameters())
    if (p.requires_grad()) parameters.push_back(p);
  const int64_t cap_mb = args.ddp_bucket_cap_mb.value_or(distributed::kDefaultBucketCapMb);
  auto averaging = std::make_unique<GradientAveraging>(group, std::move(parameters), cap_mb * 1024 * 1024);
  for (auto& buffer : model.buffers()) group.broadcast(buffer, 0);  // DDP's broadcast_buffers, once
  return averaging;
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
