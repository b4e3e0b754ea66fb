// Real multi-process runs over Gloo on this CPU: W copies of distributed_worker with torchrun's
// variables, rendezvous through a TCPStore on a free local port.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <torch/cuda.h>
#include <vector>

extern char** environ;

namespace {

int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

struct Outcome {
  std::vector<int> exit_codes;
  std::string output;  // every rank's output, one after the other
};

// Starts `world` workers running `scenario`; waits up to two minutes, then kills what is left.
Outcome run_workers(const std::string& scenario, int world) {
  const std::string port = std::to_string(free_port());
  const auto dir = std::filesystem::temp_directory_path() / ("hft_dist_" + std::to_string(getpid()) + "_" + port);
  std::filesystem::create_directories(dir);
  std::vector<pid_t> pids;
  for (int rank = 0; rank < world; ++rank) {
    std::vector<std::string> env_strings;
    for (char** e = environ; *e; ++e) env_strings.emplace_back(*e);
    for (const std::string& kv : std::vector<std::string>{"RANK=" + std::to_string(rank), "LOCAL_RANK=" + std::to_string(rank),
                                  "WORLD_SIZE=" + std::to_string(world), "LOCAL_WORLD_SIZE=" + std::to_string(world),
                                  std::string("MASTER_ADDR=127.0.0.1"), "MASTER_PORT=" + port, std::string("OMP_NUM_THREADS=1")})
      env_strings.push_back(kv);
    std::vector<char*> envp;
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    const std::string log = (dir / ("rank" + std::to_string(rank))).string();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    std::string program = HFT_DISTRIBUTED_WORKER, arg = scenario;
    char* argv[] = {program.data(), arg.data(), nullptr};
    pid_t pid = 0;
    REQUIRE(posix_spawn(&pid, program.c_str(), &actions, nullptr, argv, envp.data()) == 0);
    posix_spawn_file_actions_destroy(&actions);
    pids.push_back(pid);
  }
  Outcome outcome;
  outcome.exit_codes.assign(world, -1);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(2);
  int left = world;
  while (left > 0 && std::chrono::steady_clock::now() < deadline) {
    for (int rank = 0; rank < world; ++rank) {
      int status = 0;
      if (outcome.exit_codes[rank] != -1 || waitpid(pids[rank], &status, WNOHANG) != pids[rank]) continue;
      outcome.exit_codes[rank] = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      --left;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  for (int rank = 0; rank < world; ++rank) {
    if (outcome.exit_codes[rank] != -1) continue;
    kill(pids[rank], SIGKILL);
    waitpid(pids[rank], nullptr, 0);
  }
  for (int rank = 0; rank < world; ++rank) {
    std::ifstream in(dir / ("rank" + std::to_string(rank)));
    std::stringstream text;
    text << in.rdbuf();
    outcome.output += "[rank " + std::to_string(rank) + "] " + text.str();
  }
  std::filesystem::remove_all(dir);
  return outcome;
}

void check_all_pass(const std::string& scenario, int world) {
  const Outcome outcome = run_workers(scenario, world);
  INFO(outcome.output);
  for (int rank = 0; rank < world; ++rank) CHECK(outcome.exit_codes[rank] == 0);
}

}  // namespace

TEST_CASE("Gloo collectives over 2 and 3 processes: sums, max, broadcast, gather in input order", "[distributed]") {
  check_all_pass("collectives", 2);
  check_all_pass("collectives", 3);
}

TEST_CASE("DDP-style gradients over 2 processes equal one process with the whole batch", "[distributed]") {
  check_all_pass("gradients", 2);
}

TEST_CASE("with gradient accumulation: no communication until the window ends, same result", "[distributed]") {
  check_all_pass("gradients_accumulated", 2);
}

TEST_CASE("one process: the group is the identity, no rendezvous", "[distributed]") {
  check_all_pass("gradients", 1);
}

// Hidden from the default run (this machine has no GPU); scripts/gpu_check.sh runs "[gpu]".
TEST_CASE("NCCL over every GPU: all-reduce, broadcast, gather, DDP-style gradients", "[.][gpu]") {
  const int gpus = static_cast<int>(torch::cuda::device_count());
  REQUIRE(gpus > 0);
  check_all_pass("nccl", gpus);
}
