// The steps run in the order of `tokenizers`: clean, CJK spacing, accents, lowercase.
#include "hft/tokenize/bert_normalizer.h"

#include "hft/tokenize/text_edits.h"  // clean_bert_text, decompose_nfd, ...

namespace hft::tokenize {

void BertNormalizer::normalize(NormalizedText& text) const {
  if (options_.clean_text) edits::clean_bert_text(text);
  if (options_.handle_chinese_chars) edits::space_chinese_chars(text);
  if (options_.strip_accents) {
    edits::decompose_nfd(text);
    edits::drop_nonspacing_marks(text);
  }
  if (options_.lowercase) edits::lowercase(text);
}

}  // namespace hft::tokenize
