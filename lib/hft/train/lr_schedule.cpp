#include "hft/train/lr_schedule.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

namespace hft::train {
namespace {

using config::SchedulerType;

double warmup_fraction(int64_t step, int64_t warmup) {
  return static_cast<double>(step) / static_cast<double>(std::max<int64_t>(1, warmup));
}

// Fraction of the post-warmup steps done.
double progress(int64_t step, int64_t warmup, int64_t total) {
  return static_cast<double>(step - warmup) / static_cast<double>(std::max<int64_t>(1, total - warmup));
}

double cosine(double cycles, double p) { return 0.5 * (1.0 + std::cos(std::numbers::pi * cycles * 2.0 * p)); }

double polynomial(const LrSchedule& s, int64_t step) {
  const double lr_end = s.kwargs.lr_end.value_or(1e-7), power = s.kwargs.power.value_or(1.0);
  if (step > s.total_steps) return lr_end / s.base_lr;
  const double remaining = 1.0 - static_cast<double>(step - s.warmup_steps) / static_cast<double>(s.total_steps - s.warmup_steps);
  return ((s.base_lr - lr_end) * std::pow(remaining, power) + lr_end) / s.base_lr;
}

double inverse_sqrt(const LrSchedule& s, int64_t step) {
  const double timescale = static_cast<double>(s.kwargs.timescale.value_or(s.warmup_steps ? s.warmup_steps : 10000));
  const double shift = timescale - static_cast<double>(s.warmup_steps);
  return 1.0 / std::sqrt((static_cast<double>(step) + shift) / timescale);
}

double min_lr_rate(const LrSchedule& s) {
  if (s.kwargs.min_lr) return *s.kwargs.min_lr / s.base_lr;
  return s.kwargs.min_lr_rate.value_or(0.0);
}

// warmup_stable_decay: the stable phase defaults to what warmup and decay leave of the total.
double warmup_stable_decay(const LrSchedule& s, int64_t step) {
  const double floor = s.kwargs.min_lr_ratio.value_or(0.0);
  const int64_t decay = static_cast<int64_t>(s.kwargs.num_decay_steps.value_or(0));
  const int64_t stable = s.kwargs.num_stable_steps ? static_cast<int64_t>(*s.kwargs.num_stable_steps)
                                                    : s.total_steps - s.warmup_steps - decay;
  auto with_floor = [floor](double factor) { return std::max(0.0, factor * (1.0 - floor) + floor); };
  if (step < s.warmup_steps) return with_floor(warmup_fraction(step, s.warmup_steps));
  if (step < s.warmup_steps + stable) return 1.0;
  if (step < s.warmup_steps + stable + decay) {
    const double p = static_cast<double>(step - s.warmup_steps - stable) / static_cast<double>(std::max<int64_t>(1, decay));
    const std::string type = s.kwargs.decay_type.value_or("cosine");
    const double factor = type == "linear" ? 1.0 - p : type == "1-sqrt" ? 1.0 - std::sqrt(p)
                                                                        : cosine(s.kwargs.num_cycles.value_or(0.5), p);
    return with_floor(factor);
  }
  return floor;
}

}  // namespace

double LrSchedule::multiplier(int64_t step) const {
  if (type == SchedulerType::kConstant) return 1.0;
  if (type == SchedulerType::kWarmupStableDecay) return warmup_stable_decay(*this, step);
  if (step < warmup_steps) return warmup_fraction(step, warmup_steps);
  const double p = progress(step, warmup_steps, total_steps);
  switch (type) {
    case SchedulerType::kLinear:
      return std::max(0.0, static_cast<double>(total_steps - step) /
                               static_cast<double>(std::max<int64_t>(1, total_steps - warmup_steps)));
    case SchedulerType::kCosine:
      return std::max(0.0, cosine(kwargs.num_cycles.value_or(0.5), p));
    case SchedulerType::kCosineWithRestarts: {
      if (p >= 1.0) return 0.0;
      const double cycles = kwargs.num_cycles.value_or(1.0);
      return std::max(0.0, 0.5 * (1.0 + std::cos(std::numbers::pi * std::fmod(cycles * p, 1.0))));
    }
    case SchedulerType::kPolynomial:
      return polynomial(*this, step);
    case SchedulerType::kConstantWithWarmup:
      return 1.0;
    case SchedulerType::kInverseSqrt:
      return inverse_sqrt(*this, step);
    case SchedulerType::kCosineWithMinLr: {
      const double rate = min_lr_rate(*this);
      return std::max(0.0, cosine(kwargs.num_cycles.value_or(0.5), p) * (1.0 - rate) + rate);
    }
    default:
      return 1.0;
  }
}

LrSchedule make_lr_schedule(const config::TrainingArguments& args, int64_t warmup_steps, int64_t total_steps) {
  return LrSchedule{args.lr_scheduler_type, args.learning_rate, warmup_steps, total_steps, args.lr_scheduler_kwargs};
}

}  // namespace hft::train
