// A normalizer rewrites text before it is split into words (lowercasing, accents, ...),
// keeping each character's origin. One implementation per `tokenizers` normalizer type.
#pragma once

#include "hft/tokenize/normalized_text.h"  // NormalizedText

namespace hft::tokenize {

class Normalizer {
 public:
  virtual ~Normalizer() = default;
  virtual void normalize(NormalizedText& text) const = 0;
};

}  // namespace hft::tokenize
