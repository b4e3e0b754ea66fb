#include "hft/task/token_classification/strict_entities.h"

#include <cstdint>
#include <stdexcept>

namespace hft::task {
namespace {

// The chunk letters as bits, so that a rule can name several ("any letter").
enum Letter : uint8_t { kI = 1, kO = 2, kB = 4, kE = 8, kS = 16, kU = 32, kL = 64, kAnyLetter = 127 };
enum class Types { kSame, kDiff, kAny };  // the two words' entity types: equal, different, either

// A rule on two neighbouring words: the previous word's letter in `previous`, the current one's
// in `current`, and their types as `types` says.
struct Rule {
  uint8_t previous;
  uint8_t current;
  Types types;
};

// A scheme, as seqeval.scheme defines it: the letters it allows, and when a word starts an
// entity, continues the one before it, or (looking back from the next word) ended it.
struct SchemeRules {
  uint8_t allowed;
  std::vector<Rule> start, inside, end;
};

const SchemeRules& rules_of(Scheme scheme) {
  using enum Types;
  static const SchemeRules iob1{kI | kO | kB,
                                {{kO, kI, kAny}, {kI, kI, kDiff}, {kB, kI, kAny}, {kI, kB, kSame}, {kB, kB, kSame}},
                                {{kB, kI, kSame}, {kI, kI, kSame}},
                                {{kI, kI, kDiff}, {kI, kO, kAny}, {kI, kB, kAny}, {kB, kO, kAny}, {kB, kI, kDiff},
                                 {kB, kB, kSame}}};
  static const SchemeRules ioe1{kI | kO | kE,
                                {{kO, kI, kAny}, {kI, kI, kDiff}, {kE, kI, kAny}, {kE, kE, kSame}},
                                {{kI, kI, kSame}, {kI, kE, kSame}},
                                {{kI, kI, kDiff}, {kI, kO, kAny}, {kI, kE, kDiff}, {kE, kI, kSame}, {kE, kE, kSame}}};
  static const SchemeRules iob2{kI | kO | kB,
                                {{kAnyLetter, kB, kAny}},
                                {{kB, kI, kSame}, {kI, kI, kSame}},
                                {{kI, kO, kAny}, {kI, kI, kDiff}, {kI, kB, kAny}, {kB, kO, kAny}, {kB, kI, kDiff},
                                 {kB, kB, kAny}}};
  static const SchemeRules ioe2{kI | kO | kE,
                                {{kO, kI, kAny}, {kO, kE, kAny}, {kE, kI, kAny}, {kE, kE, kAny}, {kI, kI, kDiff},
                                 {kI, kE, kDiff}},
                                {{kI, kE, kSame}, {kI, kI, kSame}},
                                {{kE, kAnyLetter, kAny}}};
  static const SchemeRules iobes{kI | kO | kB | kE | kS,
                                 {{kAnyLetter, kB, kAny}, {kAnyLetter, kS, kAny}},
                                 {{kB, kI, kSame}, {kB, kE, kSame}, {kI, kI, kSame}, {kI, kE, kSame}},
                                 {{kS, kAnyLetter, kAny}, {kE, kAnyLetter, kAny}}};
  static const SchemeRules bilou{kB | kI | kL | kO | kU,
                                 {{kAnyLetter, kB, kAny}, {kAnyLetter, kU, kAny}},
                                 {{kB, kI, kSame}, {kB, kL, kSame}, {kI, kI, kSame}, {kI, kL, kSame}},
                                 {{kU, kAnyLetter, kAny}, {kL, kAnyLetter, kAny}}};
  switch (scheme) {
    case Scheme::kIOB1: return iob1;
    case Scheme::kIOE1: return ioe1;
    case Scheme::kIOB2: return iob2;
    case Scheme::kIOE2: return ioe2;
    case Scheme::kIOBES: return iobes;
    case Scheme::kBILOU: return bilou;
  }
  throw std::logic_error("unknown scheme");
}

struct Word {
  uint8_t letter;
  std::string type;
};

uint8_t letter_bit(char c) {
  switch (c) {
    case 'I': return kI;
    case 'O': return kO;
    case 'B': return kB;
    case 'E': return kE;
    case 'S': return kS;
    case 'U': return kU;
    case 'L': return kL;
    default: return 0;
  }
}

Word read_word(std::string_view tag, TagFormat format) {
  if (tag.empty()) throw std::invalid_argument("an empty tag has no chunk letter");
  const char letter = format == TagFormat::kPrefix ? tag.front() : tag.back();
  const uint8_t bit = letter_bit(letter);
  if (bit == 0) throw std::invalid_argument("tag '" + std::string(tag) + "' has no chunk letter among I O B E S U L");
  std::string_view type = format == TagFormat::kPrefix ? tag.substr(1) : tag.substr(0, tag.size() - 1);
  while (!type.empty() && type.front() == '-') type.remove_prefix(1);
  while (!type.empty() && type.back() == '-') type.remove_suffix(1);
  return {bit, type.empty() ? std::string("_") : std::string(type)};
}

bool matches(const std::vector<Rule>& rules, const Word& previous, const Word& current) {
  for (const Rule& r : rules) {
    const bool types_fit = r.types == Types::kAny || (r.types == Types::kSame) == (previous.type == current.type);
    if ((r.previous & previous.letter) && (r.current & current.letter) && types_fit) return true;
  }
  return false;
}

// The words of the sentence and one "O" past its end, each letter checked against the scheme.
std::vector<Word> read_words(const std::vector<std::string>& tags, const SchemeRules& rules, TagFormat format) {
  std::vector<Word> words;
  for (const auto& tag : tags) {
    words.push_back(read_word(tag, format));
    if (!(words.back().letter & rules.allowed))
      throw std::invalid_argument("tag '" + tag + "' has a chunk letter that the scheme does not allow");
  }
  words.push_back({kO, "_"});
  return words;
}

}  // namespace

Scheme scheme_named(std::string_view name) {
  if (name == "IOB1") return Scheme::kIOB1;
  if (name == "IOE1") return Scheme::kIOE1;
  if (name == "IOB2") return Scheme::kIOB2;
  if (name == "IOE2") return Scheme::kIOE2;
  if (name == "IOBES") return Scheme::kIOBES;
  if (name == "BILOU") return Scheme::kBILOU;
  throw std::invalid_argument("scheme '" + std::string(name) + "' is not one of IOB1, IOE1, IOB2, IOE2, IOBES, BILOU");
}

std::string strict_type(std::string_view tag, TagFormat format) { return read_word(tag, format).type; }

std::vector<Entity> extract_strict_entities(const std::vector<std::string>& tags, Scheme scheme, TagFormat format) {
  const SchemeRules& rules = rules_of(scheme);
  const std::vector<Word> words = read_words(tags, rules, format);
  std::vector<Entity> entities;
  const Word outside{kO, "_"};
  size_t i = 0;
  while (i < words.size()) {
    const Word& previous = i == 0 ? outside : words[i - 1];
    if (!matches(rules.start, previous, words[i])) {
      ++i;
      continue;
    }
    // The entity runs while each word continues the one before; it counts only if the word
    // after it ends it properly.
    size_t end = i + 1;
    while (end < words.size() && matches(rules.inside, words[end - 1], words[end])) ++end;
    if (end < words.size() && matches(rules.end, words[end - 1], words[end]))
      entities.push_back({words[i].type, static_cast<int64_t>(i), static_cast<int64_t>(end) - 1});
    i = end;
  }
  return entities;
}

}  // namespace hft::task
