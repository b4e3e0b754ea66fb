#include "interrupt.h"

#include <atomic>
#include <csignal>
#include <cstdlib>

#include "exit_codes.h"

namespace hft::app {
namespace {

std::atomic<int> g_pending_signal{0};
std::atomic<bool> g_polite{false};

extern "C" void on_signal(int signal_number) {
  if (g_polite.load() && g_pending_signal.exchange(signal_number) == 0) return;  // the loop will stop
  std::_Exit(kExitSignalBase + signal_number);
}

}  // namespace

void install_interrupt_handlers() {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
}

void stop_politely_on_signal() { g_polite.store(true); }

int pending_signal() { return g_pending_signal.load(); }

}  // namespace hft::app
