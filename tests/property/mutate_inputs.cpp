// mutate_inputs: random mutations of valid inputs, each run through the library as `hft` would
// run it, in this one process; every case must end as a run that works, or as the error a user
// gets as one line with exit 2 (the typed errors app/main.cpp maps to 2) or 1 (a plain
// runtime error with a one-line message of hft's own). Anything else is a defect: a LibTorch or
// JSON library exception escaping, a std::logic_error (stoll), bad_alloc, a message over several
// lines or with a stack trace, and of course a crash, which ends this process.
//
// Usage: mutate_inputs SEEDS_DIR WORK_DIR SEED COUNT_PER_KIND [KIND ...] [--samples DIR N]
// SEEDS_DIR (tests/e2e/bad_input/mutations.py makes it): recipe.yaml, train.tsv, train.jsonl,
// train.csv, model/ (a tiny BERT classifier with tokenizer.json), run/ (an output_dir with a
// complete checkpoint-2). Kinds: recipe data tokenizer config checkpoint (default: all).
// Prints each defect as one line with its kind, seed and case, keeps its input under
// WORK_DIR/defects/, and ends with one JSON line of counts. Exit 0 when no case was a defect.
// --samples DIR N: writes the first N mutated inputs of each kind into DIR/<kind>-<i>/ for the
// driver to run through the hft binary.
#include <c10/util/Exception.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <sstream>

#include "hft/config/config_error.h"     // ConfigErrors
#include "hft/config/load_recipe.h"      // load_recipe
#include "hft/data/data_error.h"         // DataError
#include "hft/data/splits.h"             // load_splits
#include "hft/model/model_config.h"      // config_value
#include "hft/model/model_error.h"       // ModelError
#include "hft/model/pretrained.h"        // from_pretrained
#include "hft/tokenize/load.h"           // tokenize::load
#include "hft/tokenize/tokenize_error.h" // TokenizeError
#include "hft/train/run_checkpoints.h"     // checkpoint_to_resume
#include "hft/train/optimizer.h"         // make_adamw
#include "hft/train/resume_state.h"    // load_resume_state, CheckpointError
#include "mutator.h"

namespace fs = std::filesystem;
using hft::testing::Mutator;

namespace {

enum class Outcome { kWorks, kBadInput, kRunFailure, kDefect };

struct Result {
  Outcome outcome = Outcome::kWorks;
  std::string message;
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

// The marks of a message that is not hft's own one-line sentence.
std::string foreign_mark(const std::string& message) {
  for (const char* mark : {"frame #", "Exception raised from", "[json.exception", "yaml-cpp", "stoll", "stoi", "stod",
                           "basic_string", "std::", "[enforce fail"})
    if (message.find(mark) != std::string::npos) return mark;
  return "";
}

Result classify_message(Outcome outcome, const std::string& message, bool lines_each_an_error) {
  if (message.empty()) return {Outcome::kDefect, "an empty error message"};
  if (!lines_each_an_error && message.find('\n') != std::string::npos)
    return {Outcome::kDefect, "a message over several lines: " + message};
  if (const std::string mark = foreign_mark(message); !mark.empty())
    return {Outcome::kDefect, "a library's message (" + mark + "): " + message.substr(0, 400)};
  return {outcome, message};
}

// Runs one case as app/main.cpp would, and says how it ended.
Result run_case(const std::function<void()>& body) {
  try {
    body();
    return {};
  } catch (const hft::config::ConfigErrors& e) {  // one line per mistake, all at once
    return classify_message(Outcome::kBadInput, e.what(), /*lines_each_an_error=*/true);
  } catch (const hft::data::DataError& e) {
    return classify_message(Outcome::kBadInput, e.what(), false);
  } catch (const hft::model::ModelError& e) {
    return classify_message(Outcome::kBadInput, e.what(), false);
  } catch (const hft::tokenize::TokenizeError& e) {
    return classify_message(Outcome::kBadInput, e.what(), false);
  } catch (const hft::train::CheckpointError& e) {
    return classify_message(Outcome::kBadInput, e.what(), false);
  } catch (const c10::Error& e) {
    return {Outcome::kDefect, "a LibTorch error escaped: " + std::string(e.what_without_backtrace()).substr(0, 400)};
  } catch (const nlohmann::json::exception& e) {
    return {Outcome::kDefect, std::string("a JSON library exception escaped: ") + e.what()};
  } catch (const std::bad_alloc&) {
    return {Outcome::kDefect, "out of memory (std::bad_alloc)"};
  } catch (const std::logic_error& e) {
    return {Outcome::kDefect, std::string("a std::logic_error escaped: ") + e.what()};
  } catch (const std::exception& e) {
    return classify_message(Outcome::kRunFailure, e.what(), false);
  }
}

struct Seeds {
  fs::path dir;
  fs::path recipe() const { return dir / "recipe.yaml"; }
  fs::path model() const { return dir / "model"; }
  fs::path run() const { return dir / "run"; }
};

// One kind of input: which seed file(s) it mutates and how a case runs.
struct Kind {
  std::string name;
  // Writes the case's mutated input into `folder` (a fresh folder) and returns the file that was
  // mutated; `run` then runs the case from that folder.
  std::function<fs::path(const Seeds&, Mutator&, const fs::path& folder)> prepare;
  std::function<void(const Seeds&, const fs::path& folder)> run;
};

fs::path mutate_copy(const fs::path& source, const fs::path& target, Mutator& mutator) {
  write_file(target, mutator.any(read_file(source), source.extension() == ".json"));
  return target;
}

// A copy of a folder; the file at `relative` mutated.
fs::path mutate_in_folder_copy(const fs::path& source_dir, const fs::path& target_dir, const std::string& relative,
                               Mutator& mutator) {
  fs::copy(source_dir, target_dir, fs::copy_options::recursive);
  return mutate_copy(source_dir / relative, target_dir / relative, mutator);
}

// A forward and backward pass on four short rows: what a training step asks of the model.
void train_step(hft::model::PretrainedModel& model) {
  // The model read the config, so vocab_size is a whole number or absent (null: the default).
  const int64_t vocab = std::max<int64_t>(2, hft::model::config_value(model.config, "vocab_size", int64_t{2}));
  torch::manual_seed(0);
  hft::data::Batch inputs{torch::randint(0, std::min<int64_t>(vocab, 100), {4, 12}), torch::ones({4, 12}, torch::kLong),
                                 torch::zeros({4, 12}, torch::kLong), torch::zeros({4}, torch::kLong)};
  model.module->train();
  model.module->forward(inputs).loss.backward();
}

std::vector<Kind> kinds() {
  return {
      {"recipe",
       [](const Seeds& s, Mutator& m, const fs::path& folder) {
         return mutate_copy(s.recipe(), folder / "recipe.yaml", m);
       },
       [](const Seeds&, const fs::path& folder) {
         hft::config::load_recipe((folder / "recipe.yaml").string(), {}, hft::config::Verb::kTrain);
       }},
      {"data",
       [](const Seeds& s, Mutator& m, const fs::path& folder) {
         static const char* kFiles[] = {"train.tsv", "train.jsonl", "train.csv"};
         const std::string name = kFiles[m.pick(3)];
         return mutate_copy(s.dir / name, folder / name, m);
       },
       [](const Seeds& s, const fs::path& folder) {
         const fs::path file = *fs::directory_iterator(folder);
         static const hft::tokenize::Tokenizer tokenizer = hft::tokenize::load(s.model().string());
         hft::data::SplitsOptions options;
         options.train_file = file.string();
         options.encode.max_seq_length = 32;
         hft::data::load_splits(options, tokenizer, s.model().string());
       }},
      {"tokenizer",
       [](const Seeds& s, Mutator& m, const fs::path& folder) {
         return mutate_in_folder_copy(s.model(), folder / "model", "tokenizer.json", m);
       },
       [](const Seeds&, const fs::path& folder) {
         const hft::tokenize::Tokenizer tokenizer = hft::tokenize::load((folder / "model").string());
         const std::vector<std::string> texts = {"a gripping, funny film", "", "naïve café ☕ 42"};
         hft::tokenize::EncodeOptions options;
         options.max_length = 16;
         tokenizer.encode_batch(texts, &texts, options, 1);
       }},
      {"config",
       [](const Seeds& s, Mutator& m, const fs::path& folder) {
         return mutate_in_folder_copy(s.model(), folder / "model", "config.json", m);
       },
       [](const Seeds&, const fs::path& folder) {
         hft::model::PretrainedModel model = hft::model::from_pretrained((folder / "model").string());
         train_step(model);
       }},
      {"checkpoint",
       [](const Seeds& s, Mutator& m, const fs::path& folder) {
         static const char* kFiles[] = {"trainer_state.json", "hft_loop_state.json", "hft_manifest.json",
                                        "hft_optimizer.pt", "hft_rng_state.pt", "config.json", "model.safetensors"};
         const std::string name = kFiles[m.pick(7)];
         return mutate_in_folder_copy(s.run(), folder / "run", "checkpoint-2/" + name, m);
       },
       [](const Seeds&, const fs::path& folder) {
         hft::config::TrainingArguments args;
         args.output_dir = (folder / "run").string();
         args.resume_from_checkpoint.latest = true;
         const std::optional<std::string> resume = hft::train::checkpoint_to_resume(args);
         if (!resume) return;  // passed over as damaged: the run starts afresh
         hft::model::PretrainedModel model = hft::model::from_pretrained(*resume);
         const auto optimizer = hft::train::make_adamw(*model.module, args);
         hft::train::load_resume_state(*resume, *optimizer, 0);
       }},
  };
}

struct Options {
  Seeds seeds;
  fs::path work;
  uint64_t seed = 1;
  int64_t count = 100;
  std::vector<std::string> kinds;
  fs::path samples_dir;
  int64_t samples = 0;
};

Options parse(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: mutate_inputs SEEDS_DIR WORK_DIR SEED COUNT_PER_KIND [KIND ...] [--samples DIR N]\n");
    std::exit(2);
  }
  Options o;
  o.seeds.dir = argv[1];
  o.work = argv[2];
  o.seed = std::stoull(argv[3]);
  o.count = std::stoll(argv[4]);
  for (int i = 5; i < argc; ++i) {
    if (std::string(argv[i]) == "--samples" && i + 2 < argc) {
      o.samples_dir = argv[i + 1];
      o.samples = std::stoll(argv[i + 2]);
      i += 2;
    } else {
      o.kinds.push_back(argv[i]);
    }
  }
  return o;
}

const char* outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::kWorks: return "works";
    case Outcome::kBadInput: return "exit 2";
    case Outcome::kRunFailure: return "exit 1";
    case Outcome::kDefect: break;
  }
  return "defect";
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  at::set_num_threads(1);
  std::map<std::string, std::map<std::string, int64_t>> counts;
  int64_t defects = 0;
  for (const Kind& kind : kinds()) {
    if (!options.kinds.empty() && std::find(options.kinds.begin(), options.kinds.end(), kind.name) == options.kinds.end())
      continue;
    for (int64_t i = 0; i < options.count; ++i) {
      const uint64_t case_seed = options.seed * 1000003ULL + static_cast<uint64_t>(i) * 7919ULL + kind.name.size();
      Mutator mutator(case_seed);
      const fs::path folder = options.work / "case";
      fs::remove_all(folder);
      fs::create_directories(folder);
      const fs::path mutated = kind.prepare(options.seeds, mutator, folder);
      if (i < options.samples) fs::copy(folder, options.samples_dir / (kind.name + "-" + std::to_string(i)),
                                        fs::copy_options::recursive);
      std::cout << "case " << kind.name << " " << i << "\n" << std::flush;  // the last line names a crashing case
      const Result result = run_case([&] { kind.run(options.seeds, folder); });
      ++counts[kind.name][outcome_name(result.outcome)];
      if (result.outcome != Outcome::kDefect) continue;
      ++defects;
      const fs::path kept = options.work / "defects" / (kind.name + "-" + std::to_string(i));
      fs::create_directories(kept.parent_path());
      fs::copy(folder, kept, fs::copy_options::recursive);
      std::cout << "DEFECT " << kind.name << " case " << i << " (seed " << options.seed << ", " << mutated.filename().string()
                << ", input kept in " << kept.string() << "): " << result.message << "\n" << std::flush;
    }
  }
  std::cout << nlohmann::json({{"defects", defects}, {"counts", counts}}).dump() << "\n";
  return defects == 0 ? 0 : 1;
}
