#include "hft/config/value_reading.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace hft::config {
namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

const Problem kNotAScalar{"not a single value", "a number, a name or true/false"};

}  // namespace

MaybeProblem read_value(const RawValue& raw, bool& out) {
  if (raw.kind != RawValue::Kind::kScalar) return kNotAScalar;
  // The spellings of YAML and of the Trainer's command-line parser (string_to_bool).
  const std::string text = lower(raw.scalar);
  if (text == "true" || text == "yes" || text == "on" || text == "t" || text == "y" || text == "1") {
    out = true;
    return std::nullopt;
  }
  if (text == "false" || text == "no" || text == "off" || text == "f" || text == "n" || text == "0") {
    out = false;
    return std::nullopt;
  }
  return Problem{"not a boolean", "true or false"};
}

MaybeProblem read_value(const RawValue& raw, int64_t& out) {
  if (raw.kind != RawValue::Kind::kScalar || raw.quoted) return Problem{"not an integer", "an integer"};
  const std::string& text = raw.scalar;
  const char* begin = text.data() + (text.size() > 1 && text[0] == '+' ? 1 : 0);
  auto [end, error] = std::from_chars(begin, text.data() + text.size(), out);
  if (error == std::errc() && end == text.data() + text.size()) return std::nullopt;
  return Problem{"not an integer", "an integer"};
}

MaybeProblem read_value(const RawValue& raw, double& out) {
  if (raw.kind != RawValue::Kind::kScalar || raw.quoted) return Problem{"not a number", "a number"};
  const std::string& text = raw.scalar;
  if (text.empty()) return Problem{"not a number", "a number"};
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(value)) return Problem{"not a number", "a finite number"};
  out = value;
  return std::nullopt;
}

MaybeProblem read_value(const RawValue& raw, std::string& out) {
  if (raw.kind != RawValue::Kind::kScalar) return Problem{"not a single value", "a string"};
  out = raw.scalar;
  return std::nullopt;
}

MaybeProblem read_value(const RawValue& raw, std::vector<std::string>& out) {
  out.clear();
  if (raw.kind == RawValue::Kind::kScalar) {
    size_t start = 0;
    while (start <= raw.scalar.size()) {
      const size_t comma = std::min(raw.scalar.find(',', start), raw.scalar.size());
      if (auto name = trim(raw.scalar.substr(start, comma - start)); !name.empty()) out.push_back(name);
      start = comma + 1;
    }
    return std::nullopt;
  }
  if (raw.kind != RawValue::Kind::kSequence) return Problem{"not a list", "a list of names"};
  for (const auto& item : raw.items) {
    if (item.kind != RawValue::Kind::kScalar) return Problem{"a list item is not a name", "a list of names"};
    out.push_back(item.scalar);
  }
  return std::nullopt;
}

MaybeProblem read_value(const RawValue& raw, SchedulerKwargs& out) {
  out = SchedulerKwargs{};
  if (raw.is_null()) return std::nullopt;
  if (raw.kind != RawValue::Kind::kMap)
    return Problem{"not a mapping", "a mapping such as {num_cycles: 0.5}"};
  const std::vector<std::string> known = {"num_cycles", "power", "lr_end", "min_lr", "min_lr_rate", "timescale",
                                          "num_stable_steps", "num_decay_steps", "decay_type", "min_lr_ratio"};
  for (const auto& [name, value] : raw.entries) {
    MaybeProblem problem;
    if (name == "num_cycles") problem = read_value(value, out.num_cycles);
    else if (name == "power") problem = read_value(value, out.power);
    else if (name == "lr_end") problem = read_value(value, out.lr_end);
    else if (name == "min_lr") problem = read_value(value, out.min_lr);
    else if (name == "min_lr_rate") problem = read_value(value, out.min_lr_rate);
    else if (name == "timescale") problem = read_value(value, out.timescale);
    else if (name == "num_stable_steps") problem = read_value(value, out.num_stable_steps);
    else if (name == "num_decay_steps") problem = read_value(value, out.num_decay_steps);
    else if (name == "decay_type") problem = read_value(value, out.decay_type);
    else if (name == "min_lr_ratio") problem = read_value(value, out.min_lr_ratio);
    else {
      std::string hint = closest_name(name, known);
      return Problem{"unknown scheduler argument `" + name + "`",
                     hint.empty() ? "one of the arguments of the chosen lr_scheduler_type" : "`" + hint + "`"};
    }
    if (problem) {
      problem->problem = name + ": " + problem->problem;
      return problem;
    }
  }
  return std::nullopt;
}

MaybeProblem read_value(const RawValue& raw, ResumeFrom& out) {
  out = ResumeFrom{};
  if (raw.is_null()) return std::nullopt;
  if (raw.kind != RawValue::Kind::kScalar) return Problem{"not a path", "a checkpoint folder, true or false"};
  bool flag = false;
  if (!raw.quoted && !read_value(raw, flag)) {
    out.latest = flag;
    return std::nullopt;
  }
  out.path = raw.scalar;
  return std::nullopt;
}

std::string closest_name(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = std::string::npos;
  for (const auto& candidate : candidates) {
    const size_t d = edit_distance(lower(word), candidate);
    if (d < best_distance) best_distance = d, best = candidate;
  }
  // Close enough to be a typo: a third of the word's length, at least 2 edits.
  const size_t allowed = std::max<size_t>(2, word.size() / 3);
  return best_distance <= allowed ? best : "";
}

}  // namespace hft::config
