// BertNormalizer: the text cleanup of the original BERT, as `tokenizers` does it.
#pragma once

#include "hft/tokenize/normalizer.h"  // Normalizer

namespace hft::tokenize {

struct BertNormalizerOptions {
  bool clean_text = true;            // drop control chars, NUL and U+FFFD; whitespace -> ' '
  bool handle_chinese_chars = true;  // put spaces around CJK ideographs
  bool strip_accents = true;         // NFD, then drop nonspacing marks (Mn)
  bool lowercase = true;             // full lowercase mapping
};

class BertNormalizer : public Normalizer {
 public:
  explicit BertNormalizer(BertNormalizerOptions options) : options_(options) {}
  void normalize(NormalizedText& text) const override;

 private:
  BertNormalizerOptions options_;
};

}  // namespace hft::tokenize
