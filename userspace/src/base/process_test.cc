#include "base/process.h"

#include <doctest/doctest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
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

TEST_CASE("process: with a progress test, the timeout bounds the time without progress") {
  // 1.5 s of work, 400 ms allowed without progress, progress checked every 50 ms. Robust to
  // this test being starved of CPU (make test runs it at nice 19 beside the lab): after any
  // gap the progress test is asked before the deadline is.
  ProcessSpec spec{{"sleep", "1.5"}, std::chrono::milliseconds(400)};
  spec.check_every = std::chrono::milliseconds(50);
  int asked = 0;
  spec.progressed = [&] {
    ++asked;
    return true;
  };
  ProcessResult r = RunProcess(spec);
  CHECK(r.Ok());
  CHECK_FALSE(r.timed_out);
  CHECK(asked >= 1);  // asked while it ran
  CHECK(r.seconds >= 1.4);  // longer than the 400 ms: the limit moved on

  // Work that would take 30 s but stops advancing after the first looks: killed once
  // 400 ms pass without progress, and said so.
  spec.argv = {"sleep", "30"};
  asked = 0;
  spec.progressed = [&] { return ++asked <= 2; };
  r = RunProcess(spec);
  CHECK(r.timed_out);
  CHECK(r.stalled);
  CHECK(r.seconds < 25);
  CHECK_MESSAGE(r.Describe().rfind("no progress for 0 s (ran ", 0) == 0, r.Describe());

  // No progress test: the timeout bounds the run, as before.
  r = RunProcess({{"sleep", "30"}, std::chrono::milliseconds(400)});
  CHECK(r.timed_out);
  CHECK_FALSE(r.stalled);
  CHECK(r.seconds < 25);
}

TEST_CASE("process: programs are found in the fixed safe PATH, never the caller's") {
  char tmpl[] = "/tmp/ictl-path-XXXXXX";
  REQUIRE(mkdtemp(tmpl) != nullptr);
  std::string dir = tmpl;
  // A program planted in a directory of the caller's PATH (as a sudo user could), under a
  // name that exists nowhere in kSafePath, and one shadowing `env`.
  for (const char* name : {"ictl-planted-probe", "env"}) {
    std::string path = dir + "/" + name;
    {
      std::ofstream f(path);
      f << "#!/bin/sh\necho planted\n";
    }
    REQUIRE(chmod(path.c_str(), 0755) == 0);
  }
  const char* old = getenv("PATH");
  std::string saved = old != nullptr ? old : "";
  setenv("PATH", (dir + ":" + saved).c_str(), 1);
  ProcessResult planted = RunProcess({{"ictl-planted-probe"}});
  ProcessResult env = RunProcess({{"env"}});
  setenv("PATH", saved.c_str(), 1);
  CHECK_FALSE(planted.started);
  CHECK(planted.out.find("planted") == std::string::npos);
  CHECK(env.Ok());
  CHECK(env.out.find("planted") == std::string::npos);  // the system's env ran
  // An absolute path is taken as given.
  ProcessResult direct = RunProcess({{dir + "/ictl-planted-probe"}});
  CHECK(direct.Ok());
  CHECK(direct.out == "planted\n");
  CHECK(ResolveProgram("ictl-planted-probe", dir + ":relative") == dir + "/ictl-planted-probe");
  CHECK(ResolveProgram("ictl-planted-probe").empty());
  CHECK(ResolveProgram("sh").rfind("/", 0) == 0);
  CHECK(ResolveProgram("ictl-planted-probe", "relative:" + dir.substr(1)).empty());
  std::filesystem::remove_all(dir);
}

}  // namespace iscsictl
