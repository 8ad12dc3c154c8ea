// Running a program: argv only (posix_spawn, never a shell), a fixed small environment,
// stdin from /dev/null, stdout and stderr captured, a timeout after which the process
// group is killed. CommandRunner is the narrow interface the executor uses; tests fake it.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace iscsictl {

struct ProcessResult {
  bool started = false;    // false: spawn failed, `error` says why
  bool timed_out = false;  // killed after the timeout
  bool stalled = false;    // ... which was the time without progress (ProcessSpec::progressed)
  double stall_seconds = 0;  // that time
  int exit_code = -1;      // when it exited normally
  int signal = 0;          // when a signal ended it
  std::string out;
  std::string err;
  std::string error;  // spawn failure
  double seconds = 0;

  bool Ok() const { return started && !timed_out && signal == 0 && exit_code == 0; }
  // "exit 15: iscsiadm: ...", "timed out after 60 s", "no progress for 60 s (ran 900 s)",
  // "killed by signal 9", ...
  std::string Describe() const;
  // "timed out after 60 s" or "no progress for 60 s (ran 900 s)".
  std::string TimeoutText() const;
};

struct ProcessSpec {
  std::vector<std::string> argv;  // argv[0] is looked up in kSafePath, never the caller's PATH
  std::chrono::milliseconds timeout{60000};
  // With `progressed`: `timeout` bounds the time without progress, not the run. While the
  // process runs, progressed() is asked every `check_every`; true (something advanced since
  // it was last asked) moves the deadline to now + timeout. A batch login that iscsid works
  // through slowly but steadily is then never killed, and one that stalls still is.
  std::function<bool()> progressed{};
  std::chrono::milliseconds check_every{2000};
};

// The environment every child gets: nothing from ours (it could hold secrets).
inline constexpr const char* kSafePath = "/usr/sbin:/usr/bin:/sbin:/bin";

// Where `name` is run from: itself when it holds a '/', else the first executable regular
// file of that name in the directories of `path` ("" when there is none). The caller's PATH
// plays no part: under sudo it is the user's.
std::string ResolveProgram(const std::string& name, const std::string& path = kSafePath);

ProcessResult RunProcess(const ProcessSpec& spec);

class CommandRunner {
 public:
  virtual ~CommandRunner() = default;
  virtual ProcessResult Run(const ProcessSpec& spec) = 0;
};

class RealCommandRunner : public CommandRunner {
 public:
  ProcessResult Run(const ProcessSpec& spec) override { return RunProcess(spec); }
};

}  // namespace iscsictl
