// Catch2 in a test that uses LibTorch: c10's logging defines a CHECK macro of its own, which
// would replace Catch's; include torch first, drop its CHECK, then include Catch.
#pragma once

#include <torch/torch.h>
#undef CHECK
#include <catch2/catch.hpp>
