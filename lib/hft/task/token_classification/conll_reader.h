// CoNLL text, the format most NER corpora ship in (CoNLL-2003, WNUT-17, ...): one token a line,
// its columns separated by spaces or tabs, the token first and its tag last; a line that is empty
// or only whitespace ends a sentence; `-DOCSTART-` lines (document breaks) are skipped. A file
// whose lines hold one column has no tags (text to tag). No LibTorch.
#pragma once

#include <string>
#include <string_view>

#include "hft/task/token_classification/tagged_sentences.h"  // TaggedSentences

namespace hft::task {

// Throws DataError (file:line) for a token line whose column count differs from the file's first
// (one column: no tags; two or more: a tag in the last), and for a file without a sentence.
TaggedSentences parse_conll(const std::string& file, std::string_view text);

}  // namespace hft::task
