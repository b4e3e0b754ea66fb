// tokenize::load: the tokenizer of a Hugging Face model folder (or one tokenizer file).
#pragma once

#include <optional>
#include <string>

#include "hft/tokenize/tokenizer.h"  // Tokenizer

namespace hft::tokenize {

// What transformers' from_pretrained(dir, ...) may be told besides the folder.
struct LoadOptions {
  // Byte-level BPE (GPT-2, RoBERTa, DeBERTa, BLOOM): a space before every text, and with
  // encode_words before every word, whatever the files say (unset: as they say). run_ner.py loads
  // these models with add_prefix_space=True to tokenize pre-split words; as transformers'
  // RobertaTokenizer then does, the ByteLevel pre-tokenizer and the offset trimming both get it.
  // Tokenizers that are not byte-level ignore it.
  std::optional<bool> add_prefix_space;
};

// Picks what the folder has, in this order: tokenizer.json; vocab.txt (BERT WordPiece);
// vocab.json + merges.txt (GPT-2 byte-level BPE); spiece.model or tokenizer.model
// (SentencePiece: T5, ALBERT, Llama; sentencepiece_files.h). tokenizer_config.json and
// special_tokens_map.json supply the special tokens, padding side, model_max_length and the
// settings of the older files (do_lower_case, add_prefix_space, ...). `path` may also name
// tokenizer.json, vocab.txt, vocab.json or a .model file itself. Throws TokenizeError naming the folder and
// what it should hold.
Tokenizer load(const std::string& path, const LoadOptions& options = {});

// Every file `load` may read from a model folder: what a tokenizer's identity depends on.
inline constexpr const char* kTokenizerFiles[] = {
    "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json", "vocab.txt",
    "vocab.json", "merges.txt", "spiece.model", "tokenizer.model", "sentencepiece.bpe.model"};

// BERT vocab.txt without tokenizer_config.json: lowercase unless the folder's name says the
// model is cased ("bert-base-cased"), the convention of the original BERT checkpoints.
bool guess_do_lower_case(const std::string& dir);

}  // namespace hft::tokenize
