// A Catch check of a difference against its tolerance that also prints it: the figures a
// reviewer asks for, in the test's output whether it passes or not.
#pragma once

#include <catch2/catch.hpp>

#include <iostream>
#include <string>

#include "tensor_checks.h"  // describe_diff

namespace hft::testing {

inline void check_diff(const std::string& what, double diff, double tolerance) {
  std::cout << "  " << describe_diff(what, diff, tolerance) << "\n";
  INFO(describe_diff(what, diff, tolerance));
  CHECK(diff <= tolerance);
}

}  // namespace hft::testing
