// Runs the real iscsictl binary (posix_spawn with an argv, no shell) to check
// exit statuses end to end.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <string>
#include <vector>

#include "testing/test_util.h"

namespace {

// Exit status of `iscsictl args...`, stdout and stderr sent to /dev/null.
int RunBinary(const std::vector<std::string>& args) {
  std::vector<std::string> storage;
  std::vector<char*> argv = iscsictl::testing::Argv(storage, ISCSICTL_BINARY, args);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    return -1;
  }
  int status = 0;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
    return -1;
  }
  return WEXITSTATUS(status);
}

}  // namespace

TEST_CASE("the iscsictl binary's exit statuses") {
  iscsictl::testing::TempDir dir;
  std::string example = iscsictl::testing::SourcePath("json-schema/examples/equallogic.json");
  CHECK(RunBinary({"--version"}) == 0);
  CHECK(RunBinary({"--help"}) == 0);
  CHECK(RunBinary({"validate", example}) == 0);
  CHECK(RunBinary({"-c", example, "validate"}) == 0);
  CHECK(RunBinary({"validate", dir.Write("bad.json", "{\"targets\": [}")}) == 2);
  CHECK(RunBinary({"-c", (dir.path() / "missing.json").string(), "validate"}) == 2);
  CHECK(RunBinary({"--bogus"}) == 2);
}
