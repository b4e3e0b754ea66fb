#include "hft/tokenize/simple_normalizers.h"

#include "hft/tokenize/text_edits.h"  // lowercase, decompose_nfd, ...

namespace hft::tokenize {

void LowercaseNormalizer::normalize(NormalizedText& text) const { edits::lowercase(text); }
void StripAccentsNormalizer::normalize(NormalizedText& text) const { edits::drop_marks(text); }
void NfdNormalizer::normalize(NormalizedText& text) const { edits::decompose_nfd(text); }
void NfkdNormalizer::normalize(NormalizedText& text) const { edits::decompose_nfkd(text); }
void NfcNormalizer::normalize(NormalizedText& text) const {
  edits::decompose_nfd(text);
  edits::compose(text);
}
void NfkcNormalizer::normalize(NormalizedText& text) const {
  edits::decompose_nfkd(text);
  edits::compose(text);
}
void ReplaceNormalizer::normalize(NormalizedText& text) const { edits::replace(text, pattern_, content_); }
void StripNormalizer::normalize(NormalizedText& text) const { edits::strip_whitespace(text, left_, right_); }
void PrependNormalizer::normalize(NormalizedText& text) const { edits::prepend(text, prefix_); }

void NormalizerSequence::normalize(NormalizedText& text) const {
  for (const auto& step : steps_) step->normalize(text);
}

}  // namespace hft::tokenize
