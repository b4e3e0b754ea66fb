#include "hft/tokenize/simple_normalizers.h"

#include "hft/tokenize/text_edits.h"  // lowercase, decompose_nfd, ...

namespace hft::tokenize {

void LowercaseNormalizer::normalize(NormalizedText& text) const { edits::lowercase(text); }
void StripAccentsNormalizer::normalize(NormalizedText& text) const { edits::drop_marks(text); }
void NfdNormalizer::normalize(NormalizedText& text) const { edits::decompose_nfd(text); }
void StripNormalizer::normalize(NormalizedText& text) const { edits::strip_whitespace(text, left_, right_); }
void PrependNormalizer::normalize(NormalizedText& text) const { edits::prepend(text, prefix_); }

void NormalizerSequence::normalize(NormalizedText& text) const {
  for (const auto& step : steps_) step->normalize(text);
}

}  // namespace hft::tokenize
