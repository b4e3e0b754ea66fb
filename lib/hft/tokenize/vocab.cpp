#include "hft/tokenize/vocab.h"

namespace hft::tokenize {

void Vocab::add(std::string token, int32_t id) {
  if (id < 0) return;
  if (static_cast<size_t>(id) >= tokens_.size()) tokens_.resize(static_cast<size_t>(id) + 1);
  tokens_[static_cast<size_t>(id)] = token;
  ids_[std::move(token)] = id;
}

std::optional<std::string> Vocab::token(int32_t id) const {
  if (id < 0 || static_cast<size_t>(id) >= tokens_.size() || tokens_[static_cast<size_t>(id)].empty()) {
    return std::nullopt;
  }
  return tokens_[static_cast<size_t>(id)];
}

}  // namespace hft::tokenize
