#include "hft/task/token_classification/entity_spans.h"

#include <algorithm>  // min
#include <stdexcept>

namespace hft::task {
namespace {

// Python indexes strings by code point: the first (last) "character" of a UTF-8 tag is a whole
// sequence of bytes, so a non-ASCII letter never leaves stray bytes in the type.
size_t first_character_size(std::string_view s) {
  const auto lead = static_cast<unsigned char>(s[0]);
  const size_t n = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 1;
  return std::min(n, s.size());
}

size_t last_character_size(std::string_view s) {
  size_t n = 1;
  while (n < s.size() && n < 4 && (static_cast<unsigned char>(s[s.size() - n]) & 0xC0) == 0x80) ++n;
  return n;
}

bool is(std::string_view letter, char c) { return letter.size() == 1 && letter[0] == c; }

// seqeval's end_of_chunk: does an entity end at the previous word, given the current one?
bool entity_ends(const SplitTag& previous, const SplitTag& current) {
  const std::string_view p = previous.letter;
  if (is(p, 'E') || is(p, 'S')) return true;
  if ((is(p, 'B') || is(p, 'I')) && (is(current.letter, 'B') || is(current.letter, 'S') || is(current.letter, 'O')))
    return true;
  return !is(p, 'O') && !is(p, '.') && previous.type != current.type;
}

// seqeval's start_of_chunk: does an entity start at the current word?
bool entity_starts(const SplitTag& previous, const SplitTag& current) {
  const std::string_view c = current.letter;
  if (is(c, 'B') || is(c, 'S')) return true;
  if ((is(c, 'E') || is(c, 'I')) && (is(previous.letter, 'E') || is(previous.letter, 'S') || is(previous.letter, 'O')))
    return true;
  return !is(c, 'O') && !is(c, '.') && previous.type != current.type;
}

}  // namespace

SplitTag split_tag(std::string_view tag, TagFormat format) {
  if (tag.empty()) throw std::invalid_argument("an empty tag has no chunk letter");
  SplitTag split;
  std::string_view rest;
  if (format == TagFormat::kPrefix) {
    const size_t n = first_character_size(tag);
    split.letter = tag.substr(0, n);
    rest = tag.substr(n);
    const size_t dash = rest.find('-');
    split.type = dash == std::string_view::npos ? rest : rest.substr(dash + 1);
  } else {
    const size_t n = last_character_size(tag);
    split.letter = tag.substr(tag.size() - n);
    rest = tag.substr(0, tag.size() - n);
    const size_t dash = rest.rfind('-');
    split.type = dash == std::string_view::npos ? rest : rest.substr(0, dash);
  }
  if (split.type.empty()) split.type = "_";
  return split;
}

std::vector<Entity> extract_entities(const std::vector<std::string>& tags, TagFormat format) {
  // seqeval's state before the first word: an "O" of type "" (no real tag has an empty type).
  SplitTag previous{"O", ""};
  int64_t first = 0;
  std::vector<Entity> entities;
  // One "O" past the end closes the last entity, as seqeval appends one.
  for (size_t i = 0; i <= tags.size(); ++i) {
    const SplitTag current = i < tags.size() ? split_tag(tags[i], format) : SplitTag{"O", "_"};
    const auto word = static_cast<int64_t>(i);
    if (entity_ends(previous, current)) entities.push_back({std::string(previous.type), first, word - 1});
    if (entity_starts(previous, current)) first = word;
    previous = current;
  }
  return entities;
}

}  // namespace hft::task
