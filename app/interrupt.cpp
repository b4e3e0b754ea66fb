#include "interrupt.h"

#include <csignal>
#include <cstdlib>

#include "exit_codes.h"

namespace hft::app {
namespace {

extern "C" void exit_on_signal(int signal_number) {
  // Nothing is half-written at this point: every output file is written atomically.
  std::_Exit(kExitSignalBase + signal_number);
}

}  // namespace

void install_interrupt_handlers() {
  std::signal(SIGINT, exit_on_signal);
  std::signal(SIGTERM, exit_on_signal);
}

}  // namespace hft::app
