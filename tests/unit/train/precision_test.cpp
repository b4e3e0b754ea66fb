// tf32 sets LibTorch's TF32 switches for CUDA matmuls and cuDNN, as transformers' enable_tf32
// does for TrainingArguments.tf32; unset, or on a CPU run, it changes nothing. (The switches are
// process state, read and set without a GPU.)
#include <ATen/Context.h>
#include <catch2/catch.hpp>

#include "hft/train/mixed_precision.h"  // apply_tf32

using hft::train::apply_tf32;

namespace {

at::Float32Precision cuda(at::Float32Op op) { return at::globalContext().float32Precision(at::Float32Backend::CUDA, op); }

}  // namespace

TEST_CASE("tf32 switches CUDA matmuls and cuDNN to TF32 or IEEE fp32, and only on a CUDA run") {
  const at::Float32Precision matmul_before = cuda(at::Float32Op::MATMUL);
  const at::Float32Precision conv_before = cuda(at::Float32Op::CONV);
  apply_tf32(std::nullopt, c10::DeviceType::CUDA);  // unset: LibTorch's defaults stay
  CHECK(cuda(at::Float32Op::MATMUL) == matmul_before);
  CHECK(cuda(at::Float32Op::CONV) == conv_before);
  apply_tf32(true, c10::DeviceType::CPU);  // a CPU run: nothing (the recipe loader warns)
  CHECK(cuda(at::Float32Op::MATMUL) == matmul_before);
  CHECK(cuda(at::Float32Op::CONV) == conv_before);

  apply_tf32(true, c10::DeviceType::CUDA);
  for (const at::Float32Op op : {at::Float32Op::MATMUL, at::Float32Op::CONV, at::Float32Op::RNN})
    CHECK(cuda(op) == at::Float32Precision::TF32);
  apply_tf32(false, c10::DeviceType::CUDA);
  for (const at::Float32Op op : {at::Float32Op::MATMUL, at::Float32Op::CONV, at::Float32Op::RNN})
    CHECK(cuda(op) == at::Float32Precision::IEEE);
}
