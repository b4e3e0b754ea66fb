#include "hft/task/token_classification/tag_labels.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "hft/data/data_error.h"  // DataError

namespace hft::task {
namespace {

bool is_integer(const std::string& text) {
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size() && !text.empty();
}

// run_ner's get_label_list: sorted(set(all tags)); integer tags (JSON numbers) sort as numbers.
std::vector<std::string> sorted_tags(const TaggedSentences& train) {
  std::set<std::string> unique;
  for (const auto& sentence : train.tags) unique.insert(sentence.begin(), sentence.end());
  std::vector<std::string> names(unique.begin(), unique.end());  // std::string's < is Python's order for UTF-8
  if (std::all_of(names.begin(), names.end(), is_integer))
    std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) { return std::stoll(a) < std::stoll(b); });
  return names;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

}  // namespace

bool default_label_names(const std::vector<std::string>& names) {
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] != "LABEL_" + std::to_string(i)) return false;
  return true;
}

data::LabelSpace tag_label_space(const TaggedSentences& train, const std::vector<std::string>& model_labels) {
  std::vector<std::string> names = sorted_tags(train);
  // run_ner: a model trained on the same labels keeps its order (its head's rows mean those labels).
  std::vector<std::string> model_sorted = model_labels;
  std::sort(model_sorted.begin(), model_sorted.end());
  std::vector<std::string> data_sorted = names;
  std::sort(data_sorted.begin(), data_sorted.end());
  if (!model_labels.empty() && !default_label_names(model_labels) && model_sorted == data_sorted) names = model_labels;
  return data::label_space_of_names(names);
}

std::vector<std::vector<int32_t>> tag_ids(const TaggedSentences& sentences, const data::LabelSpace& labels,
                                          const std::string& label_file) {
  const auto label2id = labels.label2id();
  std::vector<std::vector<int32_t>> out(sentences.tags.size());
  for (size_t s = 0; s < sentences.tags.size(); ++s) {
    for (const std::string& tag : sentences.tags[s]) {
      const auto found = label2id.find(tag);
      if (found == label2id.end())
        throw data::DataError(sentences.file, sentences.lines[s],
                              "the tag `" + tag + "` is not one of the labels (" + joined(labels.names) + ", from " +
                                  label_file + "); expected only those tags");
      out[s].push_back(static_cast<int32_t>(found->second));
    }
  }
  return out;
}

namespace {

// Python's label.replace("B-", "I-"): every occurrence, as run_ner calls it.
std::string b_replaced_by_i(std::string name) {
  for (size_t at = name.find("B-"); at != std::string::npos; at = name.find("B-", at + 2)) name[at] = 'I';
  return name;
}

}  // namespace

std::vector<int32_t> b_to_i_labels(const std::vector<std::string>& names) {
  std::vector<int32_t> out;
  for (size_t id = 0; id < names.size(); ++id) {
    const std::string& name = names[id];
    const auto inside = name.starts_with("B-") ? std::find(names.begin(), names.end(), b_replaced_by_i(name)) : names.end();
    out.push_back(static_cast<int32_t>(inside == names.end() ? id : inside - names.begin()));
  }
  return out;
}

}  // namespace hft::task
