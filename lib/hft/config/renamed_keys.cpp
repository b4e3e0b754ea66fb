#include "hft/config/renamed_keys.h"

#include <functional>
#include <optional>

#include "hft/config/value_reading.h"  // read_value

namespace hft::config {
namespace {

// How an old value becomes the new key's value; nullopt keeps it as it is.
using Translate = std::function<std::optional<RawValue>(const RawValue&, std::vector<ConfigError>&, const RawEntry&)>;

struct RenamedKey {
  const char* old_name;
  const char* new_name;
  const char* why;
  Translate translate;
};

RawValue scalar_like(const RawValue& from, std::string text) {
  RawValue value = from;
  value.kind = RawValue::Kind::kScalar;
  value.scalar = std::move(text);
  value.quoted = false;
  return value;
}

std::optional<RawValue> group_by_length_to_strategy(const RawValue& raw, std::vector<ConfigError>& errors,
                                                    const RawEntry& entry) {
  bool enabled = false;
  if (auto problem = read_value(raw, enabled)) {
    errors.push_back({raw.origin, entry.key, problem->problem, raw.display(), problem->expected});
    return std::nullopt;
  }
  return scalar_like(raw, enabled ? "group_by_length" : "random");
}

std::optional<RawValue> ratio_to_warmup_steps(const RawValue& raw, std::vector<ConfigError>& errors,
                                              const RawEntry& entry) {
  double ratio = 0;
  auto problem = read_value(raw, ratio);
  if (problem || ratio < 0 || ratio >= 1) {
    errors.push_back({raw.origin, entry.key, problem ? problem->problem : "out of range", raw.display(),
                      "a fraction in [0, 1) (warmup_steps below 1 is read as that fraction)"});
    return std::nullopt;
  }
  return raw;
}

const std::vector<RenamedKey>& renamed_keys() {
  static const std::vector<RenamedKey> keys = {
      {"evaluation_strategy", "eval_strategy", "renamed in transformers 4.41", {}},
      {"gradient_checkpointing", "activation_checkpointing", "renamed in transformers 5", {}},
      {"warmup_ratio", "warmup_steps", "transformers 5 reads a warmup_steps below 1 as a ratio",
       ratio_to_warmup_steps},
      {"group_by_length", "train_sampling_strategy", "transformers 5 spells it train_sampling_strategy: group_by_length",
       group_by_length_to_strategy},
      {"no_cuda", "use_cpu", "renamed in transformers 4.35", {}},
      {"per_gpu_train_batch_size", "per_device_train_batch_size", "renamed in transformers 2.9", {}},
      {"per_gpu_eval_batch_size", "per_device_eval_batch_size", "renamed in transformers 2.9", {}},
  };
  return keys;
}

const RenamedKey* find_renamed(const std::string& name) {
  for (const auto& key : renamed_keys())
    if (name == key.old_name) return &key;
  return nullptr;
}

bool has_key(const std::vector<RawEntry>& entries, const std::string& name) {
  for (const auto& e : entries)
    if (e.key == name) return true;
  return false;
}

}  // namespace

void rewrite_renamed_keys(std::vector<RawEntry>& entries, std::vector<std::string>& warnings,
                          std::vector<ConfigError>& errors) {
  for (auto& entry : entries) {
    const RenamedKey* renamed = find_renamed(entry.key);
    if (!renamed) continue;
    if (has_key(entries, renamed->new_name)) {
      errors.push_back({entry.key_origin, entry.key, "set together with its new name " + std::string(renamed->new_name),
                        "", "only " + std::string(renamed->new_name)});
      continue;
    }
    warnings.push_back(entry.key_origin.where() + ": " + entry.key + " is deprecated; use " + renamed->new_name +
                       " (" + renamed->why + ")");
    if (renamed->translate) {
      auto translated = renamed->translate(entry.value, errors, entry);
      if (!translated) {
        entry.key.clear();  // reported already; drop the entry
        continue;
      }
      entry.value = *translated;
    }
    entry.key = renamed->new_name;
  }
  std::erase_if(entries, [](const RawEntry& e) { return e.key.empty(); });
}

}  // namespace hft::config
