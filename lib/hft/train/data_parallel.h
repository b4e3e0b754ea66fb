// The Trainer's data-parallel side. DataParallel is what the training loop asks of it (as
// Marian's ICommunicator: an interface whose base class is the single process and does
// nothing); gradient averaging over ranks (DDP) derives from it. Also here: joining the job,
// gathering every rank's generator states, and writing on rank 0 while the others wait.
#pragma once

#include <ATen/core/Tensor.h>

#include <functional>
#include <memory>
#include <vector>

#include "hft/config/recipe.h"              // TrainingArguments
#include "hft/distributed/process_group.h"  // Group
#include "hft/model/task_model.h"           // TaskModel

namespace hft::train {

// One process: every call is the identity or does nothing.
class DataParallel {
 public:
  virtual ~DataParallel() = default;
  // Before each backward: whether the optimizer steps after it (the accumulation window ends).
  virtual void before_backward(bool /*optimizer_steps_next*/) {}
  // Once the step's backward passes are done: gradients are averaged over ranks.
  virtual void after_backward() {}
  // The sum over ranks of a value each rank took over its own rows (the logged loss, FLOPs).
  virtual double sum_over_ranks(double value) { return value; }
  // Called once after each step (and after a long evaluation) with whether this rank was asked to
  // stop; true on every rank at the same call when any was (a signal may reach one rank only, or
  // the ranks between two steps). One process: the answer is its own, at once. Data parallel: the
  // answer comes two calls later, so that no step waits for the vote's all-reduce.
  virtual bool stop_agreed(bool mine) { return mine; }
};

// Joins the job the launcher described (a world of one without one): ddp_backend, else nccl
// when the run is on a GPU and gloo otherwise; collectives wait up to ddp_timeout seconds. The
// run owns the group and hands it to what needs it (batches, evaluation, checkpoint writing).
std::unique_ptr<distributed::Group> join_job(const config::TrainingArguments& args, bool on_gpu);

// The data parallelism of `group` for `model`: the do-nothing base in a world of one; else
// DDP's gradient averaging (ddp_bucket_cap_mb), after broadcasting rank 0's parameters and
// buffers. `group` and `model` must outlive it.
std::unique_ptr<DataParallel> data_parallel(distributed::Group& group, model::TaskModel& model,
                                            const config::TrainingArguments& args);

// Every rank's generator_states() (resume_state.h), in rank order, on the CPU.
std::vector<at::Tensor> generator_states_of_every_rank(distributed::Group& group);

// Rank 0 runs `write`; then every rank waits until it is done (what others read next, such as a
// checkpoint, exists on disk before they go on).
void write_on_main(distributed::Group& group, const std::function<void()>& write);

}  // namespace hft::train
