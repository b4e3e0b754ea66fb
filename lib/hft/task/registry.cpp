#include "hft/task/registry.h"

#include <memory>
#include <utility>

#include "hft/task/multiple_choice/multiple_choice.h"            // MultipleChoice
#include "hft/task/text_classification/text_classification.h"    // TextClassification
#include "hft/task/text_generation/text_generation.h"            // TextGeneration
#include "hft/task/token_classification/token_classification.h"  // TokenClassification

namespace hft::task {
namespace {

const std::vector<std::pair<std::string, std::unique_ptr<Task>>>& tasks() {
  static const auto all = [] {
    std::vector<std::pair<std::string, std::unique_ptr<Task>>> list;
    list.emplace_back("text-classification", std::make_unique<TextClassification>());
    list.emplace_back("token-classification", std::make_unique<TokenClassification>());
    list.emplace_back("multiple-choice", std::make_unique<MultipleChoice>());
    list.emplace_back("text-generation", std::make_unique<TextGeneration>());
    return list;
  }();
  return all;
}

}  // namespace

const Task* find_task(const std::string& name) {
  for (const auto& [task_name, task] : tasks())
    if (task_name == name) return task.get();
  return nullptr;
}

std::vector<std::string> task_names() {
  std::vector<std::string> names;
  for (const auto& [name, task] : tasks()) names.push_back(name);
  return names;
}

}  // namespace hft::task
