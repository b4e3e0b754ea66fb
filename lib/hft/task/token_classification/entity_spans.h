// Entities of one tagged sentence, found as seqeval's default ("conlleval-like", non-strict) mode
// finds them: IOB1, IOB2, IOE, IOBES tags read alike, an entity opened by B-, S-, a type change or
// an I-/E- after O, E- or S-, and closed by E-, S-, a type change or what follows it. No LibTorch.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hft::task {

// Where the chunk letter sits: "B-PER" (kPrefix, seqeval's default) or "PER-B" (seqeval's suffix=True).
enum class TagFormat { kPrefix, kSuffix };

// A tag split as seqeval splits it: the letter is the first (last, kSuffix) character; the type is
// what follows the first '-' after it (precedes the last '-' before it), or the rest when there is
// no '-', and "_" when that is empty. So "O" -> ("O", "_"), "B-PER" -> ("B", "PER"), and a tag
// without a prefix, "PER", -> ("P", "ER"), exactly as seqeval reads it.
struct SplitTag {
  std::string_view letter;  // one UTF-8 character
  std::string_view type;
};

// Throws std::invalid_argument for an empty tag (seqeval fails on one too).
SplitTag split_tag(std::string_view tag, TagFormat format);

// One entity: words [first, last] of the sentence, both inclusive (seqeval's (type, start, end)).
struct Entity {
  std::string type;
  int64_t first = 0;
  int64_t last = 0;
  friend bool operator==(const Entity&, const Entity&) = default;
  friend auto operator<=>(const Entity&, const Entity&) = default;
};

// The entities of one sentence, in the order seqeval's get_entities lists them. seqeval joins the
// sentences of a corpus with an "O" between them; here each sentence starts afresh, which is the
// same except for one-letter tags outside B/I/E/S/O (such as "X"), whose open span seqeval lets
// run on from an earlier sentence.
std::vector<Entity> extract_entities(const std::vector<std::string>& tags, TagFormat format = TagFormat::kPrefix);

}  // namespace hft::task
