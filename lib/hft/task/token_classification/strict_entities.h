// Entities of one tagged sentence as seqeval's strict mode finds them (mode="strict" with a
// scheme): an entity counts only when its tags follow the scheme exactly, a B- then I-s of the
// same type ended as the scheme ends one, and a prefix the scheme does not allow is an error.
// run_ner.py uses the default mode (entity_spans.h); this is for recipes that name a scheme.
// No LibTorch.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hft/task/token_classification/entity_spans.h"  // Entity, TagFormat

namespace hft::task {

// seqeval.scheme's classes.
enum class Scheme { kIOB1, kIOE1, kIOB2, kIOE2, kIOBES, kBILOU };

// "IOB1", "IOE1", "IOB2", "IOE2", "IOBES" or "BILOU"; throws std::invalid_argument for another name.
Scheme scheme_named(std::string_view name);

// The type seqeval's scheme Token gives a tag: all but the letter, with every leading and trailing
// '-' stripped, or "_" when nothing is left. Throws std::invalid_argument for an empty tag or a
// letter outside I, O, B, E, S, U, L.
std::string strict_type(std::string_view tag, TagFormat format);

// The entities of one sentence in seqeval's order, `last` inclusive as in Entity (seqeval's own
// end is one past). Throws std::invalid_argument for a tag whose letter `scheme` does not allow.
std::vector<Entity> extract_strict_entities(const std::vector<std::string>& tags, Scheme scheme,
                                            TagFormat format = TagFormat::kPrefix);

}  // namespace hft::task
