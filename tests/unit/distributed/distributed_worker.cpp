// One rank of a multi-process test (tests/unit/distributed/multiprocess_test.cpp starts W of them with
// torchrun's variables set). Runs a scenario over a real Gloo group and checks each result
// against values computed by hand or by a single-process computation; prints "FAIL: ..." and
// exits 1 on the first mismatch.
#include <torch/torch.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>
#include <iostream>
#include <string>

#include "hft/distributed/collectives.h"
#include "hft/distributed/environment.h"
#include "hft/distributed/gradient_sync.h"
#include "hft/distributed/process_group.h"

namespace {

using hft::distributed::Group;

void expect(bool ok, const std::string& what) {
  if (ok) return;
  std::cout << "FAIL: " << what << std::endl;
  std::exit(1);
}

bool close(const torch::Tensor& a, const torch::Tensor& b, double tolerance) {
  return a.sizes() == b.sizes() && (a - b).abs().max().item<double>() <= tolerance;
}

// The stop vote answers two calls late and never waits for the other ranks when posting: rank 0
// posts its first two votes before any other rank has posted one (they wait for a file rank 0
// writes afterwards), which would hang if a post waited for the all-reduce.
void lagged_votes(Group& group) {
  const int64_t r = group.rank(), w = group.size();
  const auto posted = std::filesystem::temp_directory_path() /
                      ("hft_vote_" + std::to_string(hft::distributed::process_environment().master_port));
  hft::distributed::LaggedAnyRank votes(group, 2);
  if (r == 0) {
    expect(!votes(false) && !votes(false), "lagged vote: no answer before two calls");
    std::ofstream(posted) << "posted\n";
  } else {
    while (!std::filesystem::exists(posted)) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    expect(!votes(r == w - 1) && !votes(false), "lagged vote: no answer before two calls");
  }
  const bool third = votes(false), fourth = votes(false), fifth = votes(false);
  expect(third == (w > 1), "lagged vote: the third call answers the first (the last rank said yes)");
  expect(!fourth && !fifth, "lagged vote: then the second and third calls' (nobody)");
  group.barrier();
  if (r == 0) std::filesystem::remove(posted);
}

void collectives(Group& group) {
  const int64_t r = group.rank(), w = group.size();
  torch::Tensor t = torch::full({3}, static_cast<double>(r + 1), torch::kDouble);
  group.all_reduce(t);
  expect(close(t, torch::full({3}, w * (w + 1) / 2.0, torch::kDouble), 0), "all_reduce sum = 1 + ... + W");
  torch::Tensor m = torch::tensor({static_cast<double>(r), static_cast<double>(-r)}, torch::kDouble);
  group.all_reduce(m, hft::distributed::ReduceOp::kMax);
  expect(close(m, torch::tensor({static_cast<double>(w - 1), 0.0}, torch::kDouble), 0), "all_reduce max");
  torch::Tensor b = torch::full({2}, static_cast<float>(r + 10));
  group.broadcast(b, 0);
  expect(close(b, torch::full({2}, 10.0f), 0), "broadcast from rank 0");
  const auto parts = group.all_gather(torch::full({2}, static_cast<int64_t>(r)));
  expect(static_cast<int64_t>(parts.size()) == w, "all_gather: one tensor per rank");
  for (int64_t k = 0; k < w; ++k) expect(parts[k][1].item<int64_t>() == k, "all_gather: rank order");
  group.barrier();

  const auto sums = hft::distributed::sum_over_ranks(group, {1.0, static_cast<double>(r)});
  expect(sums.size() == 2 && sums[0] == w && sums[1] == w * (w - 1) / 2.0, "sum_over_ranks");
  hft::distributed::LaggedAnyRank at_once(group, 0);
  expect(at_once(r == w - 1), "any rank: true when the last rank says so");
  expect(!at_once(false), "any rank: false when no rank says so");
  lagged_votes(group);

  // 7 rows over W ranks as DistributedSampler shards them: pad by repeating from the start to a
  // multiple of W, rank r takes r, r+W, ...; each row here is [index, 10 * index].
  const int64_t total = 7, per_rank = (total + w - 1) / w;
  torch::Tensor mine = torch::empty({per_rank, 2}, torch::kLong);
  for (int64_t i = 0; i < per_rank; ++i) {
    const int64_t index = (i * w + r) % total;
    mine[i][0] = index;
    mine[i][1] = 10 * index;
  }
  const torch::Tensor gathered = hft::distributed::gather_in_input_order(group, mine, total);
  const torch::Tensor want = torch::stack({torch::arange(total), 10 * torch::arange(total)}, 1);
  expect(close(gathered.to(torch::kDouble), want.to(torch::kDouble), 0), "gather_in_input_order");
  // The same rows sharded without padding (evaluation: no row may count twice).
  const int64_t count = hft::distributed::unpadded_shard_size(total, r, w);
  expect(count == (total - r + w - 1) / w, "unpadded shard size");
  const torch::Tensor unpadded = mine.narrow(0, 0, count);
  expect(close(hft::distributed::gather_in_input_order(group, unpadded, total).to(torch::kDouble), want.to(torch::kDouble), 0),
         "gather_in_input_order, unpadded shards");
  // Lists of different lengths: rank r contributes r + 1 values r.
  const torch::Tensor joined = hft::distributed::concat_over_ranks(group, torch::full({r + 1}, static_cast<double>(r), torch::kDouble));
  expect(joined.size(0) == w * (w + 1) / 2, "concat_over_ranks: every rank's rows");
  for (int64_t k = 0, at = 0; k < w; at += ++k)
    expect(close(joined.narrow(0, at, k + 1), torch::full({k + 1}, static_cast<double>(k), torch::kDouble), 0),
           "concat_over_ranks: in rank order");
}

// A small network with a parameter the forward never uses (its gradient must average as zero).
struct Net : torch::nn::Module {
  Net() {
    first = register_module("first", torch::nn::Linear(6, 16));
    second = register_module("second", torch::nn::Linear(16, 3));
    unused = register_parameter("unused", torch::zeros({4}));
  }
  torch::Tensor forward(const torch::Tensor& x) { return second(torch::tanh(first(x))); }
  torch::nn::Linear first{nullptr}, second{nullptr};
  torch::Tensor unused;
};

// K SGD steps of `accumulation` micro-batches each: on W ranks with per-rank micro-batches of b
// rows (rank r takes rows r, r+W, ... of each global micro-batch of W*b rows, as the sampler
// shards), against one process taking whole global micro-batches. Gradients of a mean loss,
// divided by the accumulation count as the Trainer does.
void gradients(Group& group, int64_t accumulation, const torch::Device& device = torch::kCPU) {
  const int64_t r = group.rank(), w = group.size(), b = 3, steps = 4;
  const double lr = 0.5;
  torch::manual_seed(1000 + r);  // different on every rank: the broadcast must make them equal
  Net net;
  net.to(device);
  torch::manual_seed(7);
  const torch::Tensor x = torch::randn({steps * accumulation * w * b, 6}).to(device);
  const torch::Tensor y = torch::randint(0, 3, {steps * accumulation * w * b}).to(device);

  // The reference: rank 0's initial parameters (seed 1000), one process, whole micro-batches.
  torch::manual_seed(1000);
  Net reference;
  reference.to(device);
  std::vector<torch::Tensor> params = net.parameters();
  hft::distributed::GradientSync sync(group, params, /*bucket_cap_bytes=*/256);  // small: several buckets
  expect(sync.bucket_count() > 2, "several buckets");
  for (size_t k = 0; k < params.size(); ++k)
    expect(close(params[k], reference.parameters()[k], 0), "broadcast: rank 0's parameters everywhere");

  for (int64_t step = 0; step < steps; ++step) {
    for (int64_t micro = 0; micro < accumulation; ++micro) {
      const int64_t start = (step * accumulation + micro) * w * b;
      const torch::Tensor rows = torch::arange(start + r, start + w * b, w).to(device);
      const bool last = micro == accumulation - 1;
      sync.prepare_backward(last);
      (torch::nn::functional::cross_entropy(net.forward(x.index_select(0, rows)), y.index_select(0, rows)) /
       accumulation)
          .backward();
      if (last) {
        sync.finish_backward();
      } else if (w > 1) {
        // No communication on this micro-step: the ranks' gradients still differ.
        const auto grads = group.all_gather(net.first->weight.grad().contiguous());
        expect(!close(grads[0], grads[1], 1e-9), "no all-reduce before the accumulation window ends");
      }
      const torch::Tensor whole = torch::arange(start, start + w * b).to(device);
      (torch::nn::functional::cross_entropy(reference.forward(x.index_select(0, whole)), y.index_select(0, whole)) /
       accumulation)
          .backward();
    }
    torch::NoGradGuard no_grad;
    for (size_t k = 0; k < params.size(); ++k) {
      const torch::Tensor& g = params[k].grad();
      const torch::Tensor& g_ref = reference.parameters()[k].grad();
      const bool is_unused = params[k].is_same(net.unused);
      expect(g.defined() == g_ref.defined() || is_unused, "gradient defined like the reference's");
      if (g_ref.defined()) expect(close(g, g_ref, 1e-6), "averaged gradient = single-process gradient");
      if (g.defined()) params[k] -= lr * g;  // one process: the unused parameter has no gradient
      params[k].mutable_grad() = torch::Tensor();
      if (g_ref.defined()) reference.parameters()[k] -= lr * g_ref;
      reference.parameters()[k].mutable_grad() = torch::Tensor();
    }
  }
  for (size_t k = 0; k < params.size(); ++k)
    expect(close(params[k], reference.parameters()[k], 1e-6), "parameters after K steps = single process's");
  expect(close(net.unused.cpu(), torch::zeros({4}), 0), "an unused parameter averages zero gradients");
}

// NCCL on cuda:LOCAL_RANK (the GPU check; a group is made even for one GPU).
void nccl(Group& group) {
  const int64_t r = group.rank(), w = group.size();
  const torch::Device device(torch::kCUDA, hft::distributed::process_environment().local_rank);
  torch::Tensor t = torch::full({1 << 20}, static_cast<float>(r + 1), device);
  group.all_reduce(t);
  expect(close(t.cpu(), torch::full({1 << 20}, w * (w + 1) / 2.0f), 0), "NCCL all_reduce sum = 1 + ... + W");
  torch::Tensor m = torch::full({4}, static_cast<float>(r), device);
  group.all_reduce(m, hft::distributed::ReduceOp::kMax);
  expect(close(m.cpu(), torch::full({4}, static_cast<float>(w - 1)), 0), "NCCL all_reduce max");
  torch::Tensor b = torch::full({2}, static_cast<float>(r + 10), device);
  group.broadcast(b, 0);
  expect(close(b.cpu(), torch::full({2}, 10.0f), 0), "NCCL broadcast");
  const auto parts = group.all_gather(torch::full({2}, static_cast<float>(r), device));
  for (int64_t k = 0; k < w; ++k) expect(parts[k][1].item<float>() == k, "NCCL all_gather: rank order");
  group.barrier();
  if (w > 1) gradients(group, 2, device);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  const std::string scenario = argv[1];
  const hft::distributed::Environment& env = hft::distributed::process_environment();
  const bool on_gpu = scenario == "nccl";
  Group group(env, on_gpu ? hft::distributed::Backend::kNccl : hft::distributed::Backend::kGloo, std::chrono::seconds(60), on_gpu);
  if (scenario == "collectives") collectives(group);
  if (scenario == "gradients") gradients(group, 1);
  if (scenario == "gradients_accumulated") gradients(group, 2);
  if (scenario == "nccl") nccl(group);
  group.barrier();
  std::cout << "rank " << group.rank() << " ok" << std::endl;
  return 0;
}
