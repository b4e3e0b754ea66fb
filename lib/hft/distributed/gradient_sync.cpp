#include "hft/distributed/gradient_sync.h"

#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/utils/lambda_post_hook.h>
#include <torch/csrc/autograd/variable.h>
#include <ATen/ATen.h>

#include <mutex>
#include <utility>  // std::declval

namespace hft::distributed {

struct Bucket {
  std::vector<size_t> members;  // indices into State::parameters
  int64_t numel = 0;
  int64_t waiting = 0;          // members not yet ready in the current backward
  at::Tensor flat;              // [numel] the members' gradients, while in flight
  Pending work;
};

struct GradientSync::State {
  Group* group = nullptr;
  std::vector<at::Tensor> parameters;
  std::vector<size_t> bucket_of;   // parameter -> bucket
  std::vector<bool> ready;         // parameter -> its gradient arrived in this backward
  std::vector<Bucket> buckets;
  // The gradient accumulators carrying the hooks: a parameter holds its accumulator weakly, so
  // without these a new one (hookless) would be made for the next forward.
  // The accumulator's pointer type: shared_ptr up to LibTorch 2.11, intrusive_ptr from 2.15 on.
  using AccumulatorPtr = decltype(torch::autograd::impl::grad_accumulator(std::declval<const at::Tensor&>()));
  std::vector<AccumulatorPtr> accumulators;
  size_t next_to_launch = 0;
  bool syncing = false;
  bool alive = true;
  std::mutex mutex;                // CUDA backward runs the hooks on the device's worker thread

  void on_gradient(size_t index);
  void launch_ready_buckets();
  void launch(Bucket& bucket);
};

namespace {

// Buckets of consecutive parameters, last registered first, each up to `cap_bytes` and of one
// dtype and device (so that it flattens into one tensor).
std::vector<Bucket> make_buckets(const std::vector<at::Tensor>& parameters, int64_t cap_bytes) {
  std::vector<Bucket> buckets;
  int64_t bytes = 0;
  for (size_t k = parameters.size(); k-- > 0;) {
    const at::Tensor& p = parameters[k];
    const int64_t size = p.numel() * static_cast<int64_t>(p.element_size());
    const bool fits = !buckets.empty() && bytes + size <= cap_bytes &&
                      parameters[buckets.back().members.front()].scalar_type() == p.scalar_type() &&
                      parameters[buckets.back().members.front()].device() == p.device();
    if (!fits) {
      buckets.emplace_back();
      bytes = 0;
    }
    buckets.back().members.push_back(k);
    buckets.back().numel += p.numel();
    bytes += size;
  }
  return buckets;
}

at::Tensor flatten_gradients(const std::vector<at::Tensor>& parameters, const Bucket& bucket) {
  std::vector<at::Tensor> pieces;
  pieces.reserve(bucket.members.size());
  for (size_t k : bucket.members) {
    const at::Tensor& p = parameters[k];
    const at::Tensor& grad = p.grad();
    pieces.push_back(grad.defined() ? grad.reshape({-1}) : at::zeros({p.numel()}, p.options()));
  }
  return at::cat(pieces);
}

void broadcast_parameters(Group& group, const std::vector<at::Tensor>& parameters, const std::vector<Bucket>& buckets) {
  at::NoGradGuard no_grad;
  for (const Bucket& bucket : buckets) {
    std::vector<at::Tensor> pieces;
    for (size_t k : bucket.members) pieces.push_back(parameters[k].detach().reshape({-1}));
    at::Tensor flat = at::cat(pieces);
    group.broadcast(flat, 0);
    int64_t offset = 0;
    for (size_t k : bucket.members) {
      at::Tensor p = parameters[k].detach();
      p.copy_(flat.narrow(0, offset, p.numel()).view_as(p));
      offset += p.numel();
    }
  }
}

}  // namespace

void GradientSync::State::launch(Bucket& bucket) {
  bucket.flat = flatten_gradients(parameters, bucket);
  bucket.flat.div_(group->size());
  bucket.work = group->all_reduce_async(bucket.flat);
}

void GradientSync::State::launch_ready_buckets() {
  while (next_to_launch < buckets.size() && buckets[next_to_launch].waiting == 0) launch(buckets[next_to_launch++]);
}

void GradientSync::State::on_gradient(size_t index) {
  std::lock_guard<std::mutex> lock(mutex);
  // A parameter reached twice in one backward (reentrant checkpointing) counts once.
  if (!alive || !syncing || ready[index]) return;
  ready[index] = true;
  --buckets[bucket_of[index]].waiting;
  launch_ready_buckets();
}

GradientSync::GradientSync(Group& group, std::vector<at::Tensor> parameters, int64_t bucket_cap_bytes)
    : state_(std::make_shared<State>()) {
  State& s = *state_;
  s.group = &group;
  s.parameters = std::move(parameters);
  s.buckets = make_buckets(s.parameters, bucket_cap_bytes);
  s.bucket_of.resize(s.parameters.size());
  s.ready.assign(s.parameters.size(), false);
  for (size_t b = 0; b < s.buckets.size(); ++b)
    for (size_t k : s.buckets[b].members) s.bucket_of[k] = b;
  broadcast_parameters(group, s.parameters, s.buckets);
  if (group.size() == 1) return;  // nothing to average: no hooks
  std::weak_ptr<State> weak = state_;
  for (size_t k = 0; k < s.parameters.size(); ++k) {
    // The post hook of the gradient accumulator runs once .grad holds this backward's sum.
    auto accumulator = torch::autograd::impl::grad_accumulator(s.parameters[k]);
    accumulator->add_post_hook(std::make_unique<torch::autograd::utils::LambdaPostHook>(
        [weak, k](const torch::autograd::variable_list& outputs, const torch::autograd::variable_list&) {
          if (auto state = weak.lock()) state->on_gradient(k);
          return outputs;
        }));
    s.accumulators.push_back(std::move(accumulator));
  }
}

GradientSync::~GradientSync() {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->alive = false;
  for (Bucket& bucket : state_->buckets) bucket.work.wait();
}

void GradientSync::prepare_backward(bool sync) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  State& s = *state_;
  s.syncing = sync && s.group->size() > 1;
  s.next_to_launch = 0;
  std::fill(s.ready.begin(), s.ready.end(), false);
  for (Bucket& bucket : s.buckets) bucket.waiting = static_cast<int64_t>(bucket.members.size());
}

void GradientSync::finish_backward() {
  std::lock_guard<std::mutex> lock(state_->mutex);
  State& s = *state_;
  if (!s.syncing) return;
  s.syncing = false;
  // Parameters that got no gradient in this backward: their buckets go now, with zeros.
  for (Bucket& bucket : s.buckets) bucket.waiting = 0;
  s.launch_ready_buckets();
  at::NoGradGuard no_grad;
  for (Bucket& bucket : s.buckets) {
    bucket.work.wait();
    int64_t offset = 0;
    for (size_t k : bucket.members) {
      at::Tensor& p = s.parameters[k];
      at::Tensor averaged = bucket.flat.narrow(0, offset, p.numel()).view_as(p);
      if (p.grad().defined()) {
        p.mutable_grad().copy_(averaged);
      } else {
        p.mutable_grad() = averaged.clone();
      }
      offset += p.numel();
    }
    bucket.flat = at::Tensor();
  }
}

int64_t GradientSync::bucket_count() const { return static_cast<int64_t>(state_->buckets.size()); }

}  // namespace hft::distributed
