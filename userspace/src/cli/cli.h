// Command-line front end: parses arguments and dispatches to subcommands.
#pragma once

#include <iosfwd>

#include "base/exit_status.h"

namespace iscsictl {

// Runs iscsictl with the given arguments; returns the process exit status.
int RunCli(int argc, char** argv);
int RunCli(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace iscsictl
