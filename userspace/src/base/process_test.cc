#include "base/process.h"

#include <doctest/doctest.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace iscsictl {

TEST_CASE("process: argv only, output captured, exit status") {
  ProcessResult r = RunProcess({{"sh", "-c", "echo out; echo err >&2; exit 3"}});
  CHECK(r.started);
  CHECK(r.exit_code == 3);
  CHECK(r.out == "out\n");
  CHECK(r.err == "err\n");
  CHECK_FALSE(r.Ok());
  CHECK(r.Describe() == "exit 3: err");
  r = RunProcess({{"sh", "-c", "printf 'a\\nb\\n' >&2; exit 8"}});
  CHECK(r.Describe() == "exit 8: a; b");
  // An argument with shell syntax is passed as it is.
  r = RunProcess({{"echo", "$(id) ; `x` *"}});
  CHECK(r.out == "$(id) ; `x` *\n");
}

TEST_CASE("process: children get a fixed environment, never ours") {
  setenv("ICTL_TEST_SECRET", "s3cret", 1);
  ProcessResult r = RunProcess({{"env"}});
  unsetenv("ICTL_TEST_SECRET");
  CHECK(r.Ok());
  CHECK(r.out == std::string("PATH=") + kSafePath + "\nLC_ALL=C\n");
}

TEST_CASE("process: timeout kills the process group; a missing program is reported") {
  // The shell's background child (a grandchild of ours) writes its pid, then sleeps: the
  // timeout must kill it too, not only the shell.
  char tmpl[] = "/tmp/ictl-pgrp-XXXXXX";
  REQUIRE(mkdtemp(tmpl) != nullptr);
  std::string pidfile = std::string(tmpl) + "/pid";
  ProcessResult r = RunProcess({{"sh", "-c", "sleep 30 & echo $! >" + pidfile + "; sleep 30"},
                                std::chrono::milliseconds(300)});
  CHECK(r.timed_out);
  CHECK(r.seconds < 5);
  std::string text;
  {
    std::ifstream f(pidfile);
    std::getline(f, text);
  }
  REQUIRE_FALSE(text.empty());
  pid_t grandchild = static_cast<pid_t>(std::stol(text));
  // Gone (or a zombie of init's, about to be reaped): never still running.
  bool alive = true;
  for (int i = 0; i < 100 && alive; ++i) {
    std::ifstream stat("/proc/" + text + "/stat");
    std::string line;
    std::getline(stat, line);
    size_t close = line.rfind(')');
    alive = !line.empty() && close != std::string::npos && line.size() > close + 2 &&
            line[close + 2] != 'Z';
    if (alive) {
      usleep(20000);
    }
  }
  CHECK_FALSE(alive);
  if (alive) {
    kill(grandchild, SIGKILL);
  }
  std::remove(pidfile.c_str());
  rmdir(tmpl);
  CHECK(r.Describe().rfind("timed out after", 0) == 0);
  r = RunProcess({{"/nonexistent/iscsiadm"}});
  CHECK_FALSE(r.started);
  CHECK(r.Describe() == "cannot run /nonexistent/iscsiadm: No such file or directory");
}

}  // namespace iscsictl
