// hft::tokenize::Tokenizer: text -> model inputs, exactly as the Hugging Face `tokenizers`
// library encodes with the same files. Built by tokenize::load(dir) (load.h) from the parts
// of the pipeline: added tokens -> normalizer -> pre-tokenizer -> model -> truncation ->
// post-processor.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hft/tokenize/added_vocabulary.h"  // AddedVocabulary
#include "hft/tokenize/decoder.h"           // Decoder
#include "hft/tokenize/encode_options.h"    // EncodeOptions, Truncation
#include "hft/tokenize/encoding.h"          // Encoding
#include "hft/tokenize/model.h"             // Model
#include "hft/tokenize/normalizer.h"        // Normalizer
#include "hft/tokenize/offset_trimming.h"   // OffsetTrimming
#include "hft/tokenize/post_processor.h"    // PostProcessor
#include "hft/tokenize/pre_tokenizer.h"     // PreTokenizer
#include "hft/tokenize/special_tokens.h"    // SpecialTokens, PaddingSide

namespace hft::tokenize {

struct TokenizerParts {
  std::unique_ptr<Normalizer> normalizer;        // may be null: text as given
  std::unique_ptr<PreTokenizer> pre_tokenizer;   // may be null: the whole text is one word
  std::unique_ptr<Model> model;                  // required
  std::unique_ptr<PostProcessor> post_processor; // may be null: no special tokens added
  std::unique_ptr<Decoder> decoder;              // may be null: tokens joined with spaces
  OffsetTrimming offset_trimming;                // byte-level offsets without their spaces
  std::vector<AddedToken> added_tokens;
  SpecialTokens special_tokens;
  PaddingSide padding_side = PaddingSide::kRight;
  std::optional<size_t> model_max_length;  // from tokenizer_config.json; unset: no limit known
  std::string source;  // the file(s) it was loaded from, for messages
};

class Tokenizer {
 public:
  explicit Tokenizer(TokenizerParts parts);

  // Throws TokenizeError for text that is not valid UTF-8, or when only_first/only_second
  // cannot shorten its text enough to fit max_length.
  Encoding encode(std::string_view text, const EncodeOptions& options = {}) const;
  Encoding encode_pair(std::string_view first, std::string_view second, const EncodeOptions& options = {}) const;

  // Encodes texts[i] (with pairs[i] when pairs is given) on up to `threads` threads (0: all
  // cores); result i belongs to text i. The first error of any text is rethrown, naming the index.
  std::vector<Encoding> encode_batch(const std::vector<std::string>& texts, const std::vector<std::string>* pairs,
                                     const EncodeOptions& options = {}, unsigned threads = 0) const;

  // A sentence already split into words, as transformers' tokenizer(words,
  // is_split_into_words=True) encodes it (`tokenizers`' pre-tokenized input): each word is
  // normalized and pre-tokenized on its own, offsets count code points of its own word, and
  // word_ids give each token's position in `words` (-1 for special tokens). Truncation may cut
  // a word: its kept tokens keep their word id. Byte-level BPE puts a space before every word
  // only when its pre-tokenizer has add_prefix_space (run_ner.py loads RoBERTa and GPT-2 so).
  Encoding encode_words(const std::vector<std::string>& words, const EncodeOptions& options = {}) const;

  // encode_words for each sentence, on worker threads as encode_batch.
  std::vector<Encoding> encode_words_batch(const std::vector<std::vector<std::string>>& sentences,
                                           const EncodeOptions& options = {}, unsigned threads = 0) const;

  // The text of `ids` as `tokenizers` decodes it (transformers' decode without
  // clean_up_tokenization_spaces): tokens through the decoder; special added tokens left out with
  // skip_special_tokens; ids of no token skipped.
  std::string decode(const std::vector<int32_t>& ids, bool skip_special_tokens = false) const;

  // Tokens of the model plus added tokens it does not have (len(tokenizer) in `transformers`).
  size_t vocab_size() const;
  std::optional<int32_t> token_to_id(std::string_view token) const;
  std::optional<std::string> id_to_token(int32_t id) const;
  const SpecialTokens& special_tokens() const { return parts_.special_tokens; }
  PaddingSide padding_side() const { return parts_.padding_side; }
  std::optional<size_t> model_max_length() const { return parts_.model_max_length; }
  const std::string& source() const { return parts_.source; }

 private:
  // The tokens of one text, before truncation and special tokens; type ids all `type_id`.
  Encoding encode_text(std::string_view text, int32_t type_id) const;
  // Appends the tokens of the words of `text`, numbering them from `next_word` on.
  void encode_normalized(const NormalizedText& text, Encoding& out, int32_t& next_word) const;
  // The tokens of pre-split words, before truncation and special tokens.
  Encoding encode_word_list(const std::vector<std::string>& words) const;
  Encoding finish(Encoding first, std::optional<Encoding> second, const EncodeOptions& options) const;

  TokenizerParts parts_;
  AddedVocabulary added_;
  std::vector<int32_t> special_ids_;  // of the special added tokens, sorted
};

}  // namespace hft::tokenize
