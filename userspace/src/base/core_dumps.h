// Core dumps off: iscsictl holds CHAP secrets in memory (every command that loads a config),
// and a core file or a /proc/PID/mem read by a user who may ptrace it would show them.
#pragma once

namespace iscsictl {

// prctl(PR_SET_DUMPABLE, 0): no core file; /proc/PID/{mem,environ,fd} and ptrace are root's
// only (with CAP_SYS_PTRACE). True when the process is now not dumpable.
bool DisableCoreDumps();

}  // namespace iscsictl
