#include "base/process.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include "base/fd.h"

namespace iscsictl {
std::string ProcessResult::Describe() const {
  std::string text = err.empty() ? out : err;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  // One line: iscsiadm spreads one failure over several.
  for (size_t nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', nl)) {
    text.replace(nl, 1, "; ");
  }
  if (!started) {
    return error;
  }
  if (timed_out) {
    return fmt::format("{}{}{}", TimeoutText(), text.empty() ? "" : ": ", text);
  }
  if (signal != 0) {
    return fmt::format("killed by signal {}", signal);
  }
  return fmt::format("exit {}{}{}", exit_code, text.empty() ? "" : ": ", text);
}

std::string ProcessResult::TimeoutText() const {
  if (stalled) {
    return fmt::format("no progress for {:.0f} s (ran {:.0f} s)", stall_seconds, seconds);
  }
  return fmt::format("timed out after {:.0f} s", seconds);
}

std::string ResolveProgram(const std::string& name, const std::string& path) {
  if (name.find('/') != std::string::npos) {
    return name;
  }
  if (name.empty()) {
    return "";
  }
  for (size_t begin = 0; begin <= path.size();) {
    size_t end = path.find(':', begin);
    end = end == std::string::npos ? path.size() : end;
    std::string dir = path.substr(begin, end - begin);
    begin = end + 1;
    if (dir.empty() || dir.front() != '/') {
      continue;  // a relative entry would depend on the working directory
    }
    std::string candidate = dir + "/" + name;
    struct stat st {};
    if (stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return "";
}

namespace {

// Starts argv[0] (looked up in kSafePath) in a process group of its own, with the default
// signal dispositions, an empty mask, stdin from /dev/null, stdout and stderr into the pipes'
// write ends and only PATH and LC_ALL in its environment. 0 or an errno value.
int Spawn(const std::vector<std::string>& args, int out_w, int err_w, pid_t& pid) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_w, 1);
  posix_spawn_file_actions_adddup2(&actions, err_w, 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  sigset_t dfl;
  sigemptyset(&dfl);
  sigaddset(&dfl, SIGPIPE);
  sigaddset(&dfl, SIGINT);
  sigaddset(&dfl, SIGTERM);
  posix_spawnattr_setsigdefault(&attr, &dfl);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::vector<char*> argv;
  for (const std::string& a : args) {
    argv.push_back(const_cast<char*>(a.c_str()));
  }
  argv.push_back(nullptr);
  std::string path_env = std::string("PATH=") + kSafePath;
  std::array<char*, 3> envp = {const_cast<char*>(path_env.c_str()), const_cast<char*>("LC_ALL=C"),
                               nullptr};
  // posix_spawnp would search the caller's PATH (glibc reads it from our environment, not
  // envp): resolve against kSafePath instead.
  std::string program = ResolveProgram(args.empty() ? std::string() : args[0]);
  int rc = program.empty()
               ? ENOENT
               : posix_spawn(&pid, program.c_str(), &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  return rc;
}

// Reads both pipes until they close or the deadline passes (then r.timed_out). With
// spec.progressed, asked every spec.check_every, the deadline moves on with each progress.
void Collect(const Fd& out_r, const Fd& err_r, const ProcessSpec& spec, ProcessResult& r) {
  using Clock = std::chrono::steady_clock;
  const bool watch = static_cast<bool>(spec.progressed);
  const auto check_every = std::max(spec.check_every, std::chrono::milliseconds(1));
  auto deadline = Clock::now() + spec.timeout;
  auto next_check = Clock::now() + check_every;
  bool out_open = true, err_open = true;
  char buf[4096];
  while (out_open || err_open) {
    auto now = Clock::now();
    if (watch && now >= next_check) {
      if (spec.progressed()) {
        deadline = Clock::now() + spec.timeout;
      }
      now = Clock::now();
      next_check = now + check_every;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
    if (left.count() <= 0) {
      r.timed_out = true;
      r.stalled = watch;
      r.stall_seconds = std::chrono::duration<double>(spec.timeout).count();
      return;
    }
    if (watch) {
      left = std::min(left, std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::max(next_check - now, Clock::duration::zero())) +
                                std::chrono::milliseconds(1));
    }
    pollfd fds[2] = {{out_open ? out_r.get() : -1, POLLIN, 0},
                     {err_open ? err_r.get() : -1, POLLIN, 0}};
    int n = poll(fds, 2, static_cast<int>(left.count()));
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      return;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) {
        continue;
      }
      ssize_t got = read(fds[i].fd, buf, sizeof buf);
      if (got > 0) {
        (i == 0 ? r.out : r.err).append(buf, static_cast<size_t>(got));
      } else if (got == 0 || errno != EINTR) {
        (i == 0 ? out_open : err_open) = false;
      }
    }
  }
}

// Kills the process group after a timeout (TERM, then KILL), waits, records how it ended.
void Reap(pid_t pid, ProcessResult& r) {
  if (r.timed_out) {
    kill(-pid, SIGTERM);
    usleep(200000);
    kill(-pid, SIGKILL);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    r.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    r.signal = WTERMSIG(status);
  }
}

}  // namespace

ProcessResult RunProcess(const ProcessSpec& spec) {
  ProcessResult r;
  auto t0 = std::chrono::steady_clock::now();
  if (spec.argv.empty()) {
    r.error = "empty command";
    return r;
  }
  int out_fds[2], err_fds[2];
  if (pipe2(out_fds, O_CLOEXEC) != 0) {
    r.error = fmt::format("pipe: {}", std::strerror(errno));
    return r;
  }
  Fd out_r(out_fds[0]), out_w(out_fds[1]);
  if (pipe2(err_fds, O_CLOEXEC) != 0) {
    r.error = fmt::format("pipe: {}", std::strerror(errno));
    return r;
  }
  Fd err_r(err_fds[0]), err_w(err_fds[1]);
  pid_t pid = -1;
  int rc = Spawn(spec.argv, out_w.get(), err_w.get(), pid);
  out_w.Reset();  // the child holds the write ends now: EOF when it is done
  err_w.Reset();
  if (rc != 0) {
    r.error = fmt::format("cannot run {}: {}", spec.argv[0], std::strerror(rc));
    return r;
  }
  r.started = true;
  Collect(out_r, err_r, spec, r);
  Reap(pid, r);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace iscsictl
