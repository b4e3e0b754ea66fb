// Typed readers from a RawValue: one overload per recipe value type. Each returns nothing on
// success, or what is wrong and what would be right.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hft/config/enums.h"      // EnumNames, parse_enum, enum_choices
#include "hft/config/raw_value.h"  // RawValue
#include "hft/config/recipe.h"     // SchedulerKwargs, ResumeFrom

namespace hft::config {

struct Problem {
  std::string problem;   // "not an integer"
  std::string expected;  // "an integer such as 16"
};
using MaybeProblem = std::optional<Problem>;

MaybeProblem read_value(const RawValue& raw, bool& out);
MaybeProblem read_value(const RawValue& raw, int64_t& out);
MaybeProblem read_value(const RawValue& raw, double& out);
MaybeProblem read_value(const RawValue& raw, std::string& out);
// A YAML list, or one string of comma-separated names ("sentence1,sentence2").
MaybeProblem read_value(const RawValue& raw, std::vector<std::string>& out);
MaybeProblem read_value(const RawValue& raw, SchedulerKwargs& out);
// `true` (the newest checkpoint), `false`/null (none), or a checkpoint folder.
MaybeProblem read_value(const RawValue& raw, ResumeFrom& out);

// The closest of `candidates` to `word` when it is close enough to be a likely typo, else "".
std::string closest_name(const std::string& word, const std::vector<std::string>& candidates);

template <class E>
MaybeProblem read_value(const RawValue& raw, E& out)
  requires requires { EnumNames<E>::kNames; }
{
  if (raw.kind != RawValue::Kind::kScalar) return Problem{"not a name", enum_choices<E>()};
  if (auto parsed = parse_enum<E>(raw.scalar)) {
    out = *parsed;
    return std::nullopt;
  }
  std::vector<std::string> names;
  for (const auto& [value, name] : EnumNames<E>::kNames) names.emplace_back(name);
  std::string hint = closest_name(raw.scalar, names);
  return Problem{"unknown value", enum_choices<E>() + (hint.empty() ? "" : " (did you mean " + hint + "?)")};
}

// null clears the optional; anything else is read as T.
template <class T>
MaybeProblem read_value(const RawValue& raw, std::optional<T>& out) {
  if (raw.is_null()) {
    out.reset();
    return std::nullopt;
  }
  T value{};
  if (auto problem = read_value(raw, value)) {
    problem->expected += " or null";
    return problem;
  }
  out = std::move(value);
  return std::nullopt;
}

}  // namespace hft::config
