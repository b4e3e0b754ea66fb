// The Trainer's data-parallel side, in one place: joining the job (ddp_backend, ddp_timeout),
// averaging gradients as DDP does (ddp_bucket_cap_mb), every rank agreeing to stop at the same
// step, the logged loss averaged over ranks, and file writing on rank 0 with the others waiting.
// In a world of one each of these is a no-op.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "hft/config/recipe.h"              // TrainingArguments
#include "hft/distributed/gradient_sync.h"         // GradientSync
#include "hft/distributed/process_group.h"         // Group
#include "hft/model/sequence_classifier.h"  // SequenceClassifier
#include "hft/train/training_loop.h"        // LoopHooks

namespace hft::train {

// Joins the job the launcher described (a world of one without one): ddp_backend, else nccl
// when the run is on a GPU and gloo otherwise; collectives wait up to ddp_timeout seconds. The
// run owns the group and hands it to what needs it (batches, evaluation, checkpoint writing).
std::unique_ptr<distributed::Group> join_job(const config::TrainingArguments& args, bool on_gpu);

// The gradient averaging attached to `hooks` (before_backward / after_backward), the stop flag
// agreed on by all ranks (stop_requested) and sums over ranks (sum_over_ranks: the logged loss, FLOPs). Keep
// the returned object alive for the run. Broadcasts rank 0's parameters first.
std::unique_ptr<distributed::GradientSync> attach_data_parallel(distributed::Group& group, model::SequenceClassifier& model,
                                                         const config::TrainingArguments& args, LoopHooks& hooks);

// Every rank's generator_states() (training_state.h), in rank order, on the CPU.
std::vector<at::Tensor> generator_states_of_every_rank(distributed::Group& group);

// Rank 0 runs `write`; then every rank waits until it is done (what others read next, such as a
// checkpoint, exists on disk before they go on).
void write_on_main(distributed::Group& group, const std::function<void()>& write);

}  // namespace hft::train
