// The registry of tasks, keyed by the transformers pipeline name the recipe's `task` key takes.
// Adding one is a folder under task/ with a class deriving Task, plus one line in registry.cpp.
#pragma once

#include <string>
#include <vector>

#include "hft/task/task.h"  // Task

namespace hft::task {


// The task named `name`; nullptr when there is none (the recipe loader names the key).
const Task* find_task(const std::string& name);

// Every task name, in registry order.
std::vector<std::string> task_names();

}  // namespace hft::task
