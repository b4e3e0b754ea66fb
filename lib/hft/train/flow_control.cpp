#include "hft/train/flow_control.h"

namespace hft::train {

using config::IntervalStrategy;
using config::SaveStrategy;

FlowDecision after_step(const config::TrainingArguments& args, const TrainerState& s) {
  FlowDecision d;
  const bool eval_by_steps = args.eval_strategy == IntervalStrategy::kSteps && args.eval_delay <= s.global_step;
  d.log = (s.global_step == 1 && args.logging_first_step) ||
          (args.logging_strategy == IntervalStrategy::kSteps && s.global_step % s.logging_steps == 0);
  d.evaluate = eval_by_steps && s.global_step % s.eval_steps == 0;
  d.save = args.save_strategy == SaveStrategy::kSteps && s.save_steps > 0 && s.global_step % s.save_steps == 0;
  if (s.global_step >= s.max_steps) {
    d.stop = true;
    d.evaluate = d.evaluate || eval_by_steps;  // the last step is evaluated even off the interval
    d.save = d.save || args.save_strategy == SaveStrategy::kSteps;
  }
  return d;
}

FlowDecision after_epoch(const config::TrainingArguments& args, const TrainerState& s) {
  FlowDecision d;
  d.log = args.logging_strategy == IntervalStrategy::kEpoch;
  d.evaluate = args.eval_strategy == IntervalStrategy::kEpoch && args.eval_delay <= s.epoch;
  d.save = args.save_strategy == SaveStrategy::kEpoch;
  return d;
}

}  // namespace hft::train
