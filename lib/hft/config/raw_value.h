// A recipe value as written, before it is typed: a small tree that keeps each node's position,
// so that every error can point at the file, line and column where the value was written.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "hft/config/config_error.h"  // Origin

namespace hft::config {

struct RawValue {
  enum class Kind { kNull, kScalar, kSequence, kMap };
  Kind kind = Kind::kNull;
  std::string scalar;                                      // kScalar: the text as written
  bool quoted = false;                                     // kScalar: "..." or '...': always a string
  std::vector<RawValue> items;                             // kSequence
  std::vector<std::pair<std::string, RawValue>> entries;   // kMap, in file order
  Origin origin;

  // The value as the user wrote it, for "(got ...)" in messages.
  std::string display() const;
  // True for null, ~, None, an empty plain scalar and an absent value.
  bool is_null() const;
};

// One `key: value` line of the top-level mapping (or one command-line override).
struct RawEntry {
  std::string key;
  Origin key_origin;  // where the key was written
  RawValue value;
};

}  // namespace hft::config
