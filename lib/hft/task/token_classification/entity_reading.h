// How a run reads entities out of tags: seqeval's default mode (what run_ner.py uses) or its
// strict mode with a scheme, prefix or suffix tags. One place that picks between the two readers,
// so that counting and the label list's types agree. No LibTorch.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hft/task/token_classification/entity_spans.h"     // Entity, TagFormat, extract_entities
#include "hft/task/token_classification/strict_entities.h"  // Scheme, extract_strict_entities

namespace hft::task {

struct EntityReading {
  TagFormat format = TagFormat::kPrefix;  // seqeval's suffix
  std::optional<Scheme> strict;           // seqeval's mode="strict" with this scheme; none: default mode
};

std::vector<Entity> read_entities(const std::vector<std::string>& tags, const EntityReading& reading);

// The entity types a tagger with these labels can produce, sorted as Python sorts strings (by
// code point, which is UTF-8 byte order): the types every rank lays out its counts by. An entity
// takes the type of its last tag (default mode) or its first (strict), and neither is ever a tag
// lettered "O" (or "." in default mode), so those are left out.
std::vector<std::string> entity_types(const std::vector<std::string>& labels, const EntityReading& reading = {});

}  // namespace hft::task
