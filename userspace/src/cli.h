// Command-line front end: parses arguments and dispatches to subcommands.
#pragma once

#include <iosfwd>

namespace iscsictl {

// Exit statuses shared by every subcommand.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitBadInput = 2;

// Runs iscsictl with the given arguments; returns the process exit status.
int RunCli(int argc, char** argv);
int RunCli(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace iscsictl
