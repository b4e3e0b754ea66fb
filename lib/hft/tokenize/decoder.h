// A decoder turns tokens back into text (ids -> tokens -> text), one implementation per
// `tokenizers` decoder type: WordPiece, ByteLevel, Metaspace, Replace, ByteFallback, Fuse, Strip
// and Sequence. Like `tokenizers`, each rewrites the list of tokens; decode() joins the result.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "hft/tokenize/metaspace.h"  // MetaspacePrepend

namespace hft::tokenize {

class Decoder {
 public:
  virtual ~Decoder() = default;
  virtual void decode_chain(std::vector<std::string>& tokens) const = 0;
  std::string decode(std::vector<std::string> tokens) const;
};

// "##" pieces join the token before; the others get a space. cleanup: " ." -> ".", " n't" ->
// "n't", ... (the tokenizers' cleanup of English punctuation and contractions).
std::unique_ptr<Decoder> wordpiece_decoder(std::string prefix, bool cleanup);
// The GPT-2 byte alphabet back to bytes; invalid UTF-8 becomes U+FFFD.
std::unique_ptr<Decoder> byte_level_decoder();
// "▁" -> " ", the first token's leading space dropped (unless prepend_scheme is never).
std::unique_ptr<Decoder> metaspace_decoder(char32_t replacement, MetaspacePrepend prepend);
std::unique_ptr<Decoder> replace_decoder(std::string pattern, std::string content);
// Runs of <0xNN> tokens become the text of their bytes (one U+FFFD per byte when not UTF-8).
std::unique_ptr<Decoder> byte_fallback_decoder();
std::unique_ptr<Decoder> fuse_decoder();  // all tokens into one
// Up to `start` leading and `stop` trailing `content` chars off each token.
std::unique_ptr<Decoder> strip_decoder(char32_t content, size_t start, size_t stop);
std::unique_ptr<Decoder> decoder_sequence(std::vector<std::unique_ptr<Decoder>> steps);

// UTF-8 with each invalid sequence (a maximal valid prefix, or one byte) as U+FFFD, as Rust's
// String::from_utf8_lossy does.
std::string utf8_lossy(const std::string& bytes);

}  // namespace hft::tokenize
