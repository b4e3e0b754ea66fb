// SIGINT/SIGTERM. By default the process exits at once with 128 + signal number (130, 143), as
// shells expect; nothing is half-written then, since every output file is written atomically.
// While a run is training, the first signal only asks it to stop after the current step (so
// all ranks stop at the same step); a second one exits at once.
#pragma once

namespace hft::app {

void install_interrupt_handlers();

// From now on the first signal is recorded instead of exiting.
void stop_politely_on_signal();

// The signal that asked the run to stop, or 0.
int pending_signal();

}  // namespace hft::app
