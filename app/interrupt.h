// SIGINT/SIGTERM: the process exits with 128 + signal number (130, 143), as shells expect.
#pragma once

namespace hft::app {

void install_interrupt_handlers();

}  // namespace hft::app
