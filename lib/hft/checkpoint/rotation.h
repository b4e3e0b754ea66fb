// save_total_limit: deleting the oldest checkpoints as the Trainer's rotate_checkpoints does,
// among the checkpoints hft wrote only. A folder named checkpoint-N that hft did not write (no
// manifest, a user's files) or that is no longer whole is never touched, and is reported.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hft/checkpoint/checkpoint_folder.h"  // PassedOver

namespace hft::checkpoint {

struct Rotation {
  std::vector<std::string> deleted;
  std::vector<PassedOver> left_alone;  // checkpoint-N folders rotation did not count, and why
};

// Deletes the oldest complete checkpoints beyond `limit`, never `keep` (the best model's) nor the
// newest. Complete: a manifest listing each of `required`, matching the files' sizes.
Rotation rotate_checkpoints(const std::string& output_dir, int64_t limit, const std::optional<std::string>& keep,
                            const std::vector<std::string>& required);

}  // namespace hft::checkpoint
