// A folder with a SentencePiece model (spiece.model, tokenizer.model) -> the parts of the
// tokenizer `transformers` 5.23 converts it to (T5 and ALBERT: the model's precompiled charsmap,
// WhitespaceSplit + Metaspace, Unigram; Llama: Metaspace, BPE with byte fallback), with the
// conventions it gives the models that ship one:
//   T5      text </s>, pair a </s> b </s> (type ids 0); <extra_id_0..99> added after the vocab
//   ALBERT  [CLS] a [SEP] b [SEP] (b and its [SEP] type 1); `` and '' -> ", accents stripped
//           (NFKD) and lowercased unless keep_accents / do_lower_case say otherwise
//   Llama   <s> a, pair <s> a <s> b (add_bos_token, default true as Llama checkpoints set it;
//           add_eos_token default false); "▁" only before the start of the input (legacy=False)
#pragma once

#include <string>

#include "hft/tokenize/tokenizer.h"         // TokenizerParts
#include "hft/tokenize/tokenizer_config.h"  // TokenizerConfig

namespace hft::tokenize {

enum class SentencePieceFamily { kT5, kAlbert, kLlama };

// tokenizer_config.json's tokenizer_class when it names one of the three; else what the
// vocabulary has: [CLS] and [SEP] (ALBERT), <s> (Llama), otherwise T5.
TokenizerParts read_sentencepiece(const std::string& model_path, const TokenizerConfig& config);

}  // namespace hft::tokenize
