#include "launcher.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <iostream>
#include <vector>

#include "exit_codes.h"
#include "hft/config/load_recipe.h"  // Verb
#include "recipe_loading.h"          // load_for

extern char** environ;

namespace hft::app {
namespace {

std::atomic<int> g_launcher_signal{0};
std::atomic<int> g_signal_count{0};

extern "C" void record_signal(int signal_number) {
  g_launcher_signal.store(signal_number);
  g_signal_count.fetch_add(1);
}

void install_forwarding_handlers() {
  struct sigaction action {};
  action.sa_handler = record_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

// One worker: its process and the read ends of its stdout and stderr.
struct Worker {
  int rank = 0;
  pid_t pid = -1;
  int out_fd = -1, err_fd = -1;
  std::string out_partial, err_partial;  // text after the last newline
  bool running = true;
  int exit_code = 0;                     // 128 + signal when a signal ended it
};

struct Argv {  // strings that stay put for execve
  std::vector<std::string> strings;
  std::vector<char*> pointers() {
    std::vector<char*> p;
    for (auto& s : strings) p.push_back(s.data());
    p.push_back(nullptr);
    return p;
  }
};

Argv worker_environment(const LaunchRequest& launch, int local_rank) {
  const int world = launch.nnodes * launch.nproc_per_node;
  const int rank = launch.node_rank * launch.nproc_per_node + local_rank;
  Argv env;
  bool has_omp = false;
  for (char** e = environ; *e; ++e) {
    const std::string kv = *e;
    const std::string name = kv.substr(0, kv.find('='));
    for (const char* ours : {"RANK", "LOCAL_RANK", "WORLD_SIZE", "LOCAL_WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT",
                             "GROUP_RANK"})
      if (name == ours) goto skip;
    has_omp = has_omp || name == "OMP_NUM_THREADS";
    env.strings.push_back(kv);
  skip:;
  }
  env.strings.push_back("RANK=" + std::to_string(rank));
  env.strings.push_back("LOCAL_RANK=" + std::to_string(local_rank));
  env.strings.push_back("WORLD_SIZE=" + std::to_string(world));
  env.strings.push_back("LOCAL_WORLD_SIZE=" + std::to_string(launch.nproc_per_node));
  env.strings.push_back("GROUP_RANK=" + std::to_string(launch.node_rank));
  env.strings.push_back("MASTER_ADDR=" + launch.master_addr);
  env.strings.push_back("MASTER_PORT=" + std::to_string(launch.master_port));
  // As torchrun: one intra-op thread per worker unless the user says otherwise, so N workers do
  // not fight over the cores.
  if (!has_omp && launch.nproc_per_node > 1) env.strings.push_back("OMP_NUM_THREADS=1");
  return env;
}

Worker start_worker(const RecipeRequest& recipe, const LaunchRequest& launch, int local_rank) {
  Argv args;
  args.strings = {"hft", "train", recipe.recipe_path};
  args.strings.insert(args.strings.end(), recipe.overrides.begin(), recipe.overrides.end());
  Argv env = worker_environment(launch, local_rank);
  std::vector<char*> argv = args.pointers(), envp = env.pointers();
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) throw std::runtime_error("pipe: " + std::string(std::strerror(errno)));
  const pid_t launcher = getpid();
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork: " + std::string(std::strerror(errno)));
  if (pid == 0) {
    // The worker: its own process group (a terminal's Ctrl-C reaches the launcher, which forwards
    // it once), killed if the launcher dies, stdout and stderr into the pipes.
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != launcher) _exit(kExitRuntimeFailure);
    dup2(out[1], STDOUT_FILENO);
    dup2(err[1], STDERR_FILENO);
    execve("/proc/self/exe", argv.data(), envp.data());
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  Worker worker;
  worker.rank = launch.node_rank * launch.nproc_per_node + local_rank;
  worker.pid = pid;
  worker.out_fd = out[0];
  worker.err_fd = err[0];
  return worker;
}

// Writes the complete lines in `partial` (all of it at the end) prefixed with the rank.
void flush_lines(int rank, std::string& partial, std::ostream& to, bool all) {
  size_t start = 0;
  for (size_t nl; (nl = partial.find('\n', start)) != std::string::npos; start = nl + 1)
    to << "[rank " << rank << "] " << std::string_view(partial).substr(start, nl + 1 - start);
  if (all && start < partial.size()) to << "[rank " << rank << "] " << partial.substr(start) << "\n", start = partial.size();
  partial.erase(0, start);
  to.flush();
}

// Reads what is available on the workers' pipes for up to `timeout_ms`; closes pipes at EOF.
void pump_output(std::vector<Worker>& workers, int timeout_ms) {
  std::vector<pollfd> fds;
  std::vector<std::pair<Worker*, bool>> owners;  // worker, is stderr
  for (Worker& w : workers) {
    if (w.out_fd >= 0) fds.push_back({w.out_fd, POLLIN, 0}), owners.push_back({&w, false});
    if (w.err_fd >= 0) fds.push_back({w.err_fd, POLLIN, 0}), owners.push_back({&w, true});
  }
  if (fds.empty()) {
    usleep(timeout_ms * 1000);
    return;
  }
  if (poll(fds.data(), fds.size(), timeout_ms) <= 0) return;
  char buffer[65536];
  for (size_t k = 0; k < fds.size(); ++k) {
    if (!(fds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    auto [w, is_err] = owners[k];
    int& fd = is_err ? w->err_fd : w->out_fd;
    std::string& partial = is_err ? w->err_partial : w->out_partial;
    std::ostream& to = is_err ? std::cerr : std::cout;
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n > 0) {
      partial.append(buffer, static_cast<size_t>(n));
      flush_lines(w->rank, partial, to, false);
    } else if (n == 0 || errno != EINTR) {
      flush_lines(w->rank, partial, to, true);
      close(fd);
      fd = -1;
    }
  }
}

void reap(std::vector<Worker>& workers) {
  for (Worker& w : workers) {
    int status = 0;
    if (!w.running || waitpid(w.pid, &status, WNOHANG) != w.pid) continue;
    w.running = false;
    w.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : kExitSignalBase + WTERMSIG(status);
  }
}

void signal_all(std::vector<Worker>& workers, int signal_number) {
  for (Worker& w : workers)
    if (w.running) kill(-w.pid, signal_number);  // the worker's process group
}

std::string describe_exit(int code) {
  if (code > kExitSignalBase) return "was killed by signal " + std::to_string(code - kExitSignalBase) + " (" +
                                     strsignal(code - kExitSignalBase) + ")";
  return "exited with code " + std::to_string(code);
}

}  // namespace

int run_launcher(const RecipeRequest& recipe, const LaunchRequest& launch) {
  if (launch.nproc_per_node < 1 || launch.nnodes < 1 || launch.node_rank < 0 || launch.node_rank >= launch.nnodes ||
      launch.master_port < 1 || launch.master_port > 65535) {
    std::cerr << "hft train: --nproc-per-node and --nnodes must be >= 1, --node-rank below --nnodes, "
                 "--master-port within 1..65535\n";
    return kExitBadInput;
  }
  load_for(recipe, config::Verb::kTrain);  // a bad recipe is reported once, not by every worker
  install_forwarding_handlers();
  std::vector<Worker> workers;
  for (int local = 0; local < launch.nproc_per_node; ++local) workers.push_back(start_worker(recipe, launch, local));

  int forwarded = 0;
  const Worker* failed = nullptr;
  std::chrono::steady_clock::time_point kill_at{};
  for (;;) {
    pump_output(workers, 100);
    reap(workers);
    for (int count = g_signal_count.load(); forwarded < count; ++forwarded) signal_all(workers, g_launcher_signal.load());
    for (const Worker& w : workers) {
      if (failed || w.running || w.exit_code == 0) continue;
      // A worker that stopped for the forwarded signal: the others stop at the same step and
      // follow at once; one still running after the grace period waits on a peer that is gone.
      const bool asked_to_stop = forwarded > 0 && w.exit_code == kExitSignalBase + g_launcher_signal.load();
      if (kill_at == std::chrono::steady_clock::time_point{})
        kill_at = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(static_cast<int64_t>(launch.stop_grace_seconds * 1000));
      if (asked_to_stop) continue;
      failed = &w;
      std::cerr << "hft: rank " << w.rank << " " << describe_exit(w.exit_code) << "; stopping the other workers\n";
      signal_all(workers, SIGTERM);
    }
    if (kill_at != std::chrono::steady_clock::time_point{} && std::chrono::steady_clock::now() >= kill_at)
      signal_all(workers, SIGKILL);
    bool any_running = false;
    for (const Worker& w : workers) any_running |= w.running;
    if (!any_running) break;
  }
  // A worker's own children (none today) would share its process group: make sure none is left,
  // then print what is still in the pipes.
  for (const Worker& w : workers) kill(-w.pid, SIGKILL);
  const auto drain_until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  for (bool open = true; open && std::chrono::steady_clock::now() < drain_until;) {
    pump_output(workers, 100);
    open = false;
    for (const Worker& w : workers) open |= w.out_fd >= 0 || w.err_fd >= 0;
  }
  if (failed) {
    std::cerr << "hft: training failed: rank " << failed->rank << " " << describe_exit(failed->exit_code) << "\n";
    return failed->exit_code == kExitBadInput ? kExitBadInput : kExitRuntimeFailure;
  }
  if (forwarded > 0) return kExitSignalBase + g_launcher_signal.load();
  return kExitOk;
}

}  // namespace hft::app
