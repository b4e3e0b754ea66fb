// The enumerated recipe values, each with the spelling `transformers` uses for it.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace hft::config {

enum class IntervalStrategy { kNo, kSteps, kEpoch };
enum class SaveStrategy { kNo, kSteps, kEpoch, kBest };
enum class SchedulerType {
  kLinear, kCosine, kCosineWithRestarts, kPolynomial, kConstant, kConstantWithWarmup,
  kInverseSqrt, kCosineWithMinLr, kWarmupStableDecay,
};
// The same AdamW update: one fused kernel per parameter group (the Trainer's default) or one
// parameter at a time.
enum class OptimizerName { kAdamWTorch, kAdamWTorchFused };
enum class TrainSamplingStrategy { kRandom, kSequential, kGroupByLength };
enum class DdpBackend { kNccl, kGloo };

// EnumNames<E>::kNames lists every value of E with its recipe spelling.
template <class E> struct EnumNames;

template <> struct EnumNames<IntervalStrategy> {
  static constexpr std::array<std::pair<IntervalStrategy, std::string_view>, 3> kNames{{
      {IntervalStrategy::kNo, "no"}, {IntervalStrategy::kSteps, "steps"},
      {IntervalStrategy::kEpoch, "epoch"}}};
};
template <> struct EnumNames<SaveStrategy> {
  static constexpr std::array<std::pair<SaveStrategy, std::string_view>, 4> kNames{{
      {SaveStrategy::kNo, "no"}, {SaveStrategy::kSteps, "steps"},
      {SaveStrategy::kEpoch, "epoch"}, {SaveStrategy::kBest, "best"}}};
};
template <> struct EnumNames<SchedulerType> {
  static constexpr std::array<std::pair<SchedulerType, std::string_view>, 9> kNames{{
      {SchedulerType::kLinear, "linear"},
      {SchedulerType::kCosine, "cosine"},
      {SchedulerType::kCosineWithRestarts, "cosine_with_restarts"},
      {SchedulerType::kPolynomial, "polynomial"},
      {SchedulerType::kConstant, "constant"},
      {SchedulerType::kConstantWithWarmup, "constant_with_warmup"},
      {SchedulerType::kInverseSqrt, "inverse_sqrt"},
      {SchedulerType::kCosineWithMinLr, "cosine_with_min_lr"},
      {SchedulerType::kWarmupStableDecay, "warmup_stable_decay"}}};
};
template <> struct EnumNames<OptimizerName> {
  static constexpr std::array<std::pair<OptimizerName, std::string_view>, 2> kNames{{
      {OptimizerName::kAdamWTorch, "adamw_torch"},
      {OptimizerName::kAdamWTorchFused, "adamw_torch_fused"}}};
};
template <> struct EnumNames<TrainSamplingStrategy> {
  static constexpr std::array<std::pair<TrainSamplingStrategy, std::string_view>, 3> kNames{{
      {TrainSamplingStrategy::kRandom, "random"},
      {TrainSamplingStrategy::kSequential, "sequential"},
      {TrainSamplingStrategy::kGroupByLength, "group_by_length"}}};
};
template <> struct EnumNames<DdpBackend> {
  static constexpr std::array<std::pair<DdpBackend, std::string_view>, 2> kNames{{
      {DdpBackend::kNccl, "nccl"}, {DdpBackend::kGloo, "gloo"}}};
};

template <class E> std::string_view enum_name(E value) {
  for (const auto& [v, name] : EnumNames<E>::kNames)
    if (v == value) return name;
  return "?";
}

template <class E> std::optional<E> parse_enum(std::string_view text) {
  for (const auto& [v, name] : EnumNames<E>::kNames)
    if (name == text) return v;
  return std::nullopt;
}

// "one of: no, steps, epoch" — for error messages.
template <class E> std::string enum_choices() {
  std::string out = "one of: ";
  for (size_t i = 0; i < EnumNames<E>::kNames.size(); ++i)
    out += (i ? ", " : "") + std::string(EnumNames<E>::kNames[i].second);
  return out;
}

}  // namespace hft::config
