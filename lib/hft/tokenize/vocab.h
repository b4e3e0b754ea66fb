// A token <-> id table, looked up without building a std::string per query.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace hft::tokenize {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// Token ids index arrays: ids above this (4,194,303, far past any real vocabulary) are refused
// as malformed files rather than allocated for.
inline constexpr int64_t kMaxTokenId = (int64_t{1} << 22) - 1;

class Vocab {
 public:
  // Adds `token` with `id`; a token seen before keeps its latest id, as a JSON object or
  // Python dict built from a list would.
  void add(std::string token, int32_t id);
  std::optional<int32_t> find(std::string_view token) const {
    auto it = ids_.find(token);
    if (it == ids_.end()) return std::nullopt;
    return it->second;
  }
  std::optional<std::string> token(int32_t id) const;
  size_t size() const { return ids_.size(); }

 private:
  std::unordered_map<std::string, int32_t, StringHash, std::equal_to<>> ids_;
  std::vector<std::string> tokens_;  // by id; empty where no token has that id
};

}  // namespace hft::tokenize
