#include "base/file_lock.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>

#include "testing/test_util.h"

namespace iscsictl {

using namespace std::chrono_literals;

TEST_CASE("lock: in a directory of ours, created 0700; planted links and open dirs refused") {
  testing::TempDir dir;
  std::string error;
  std::string lock = (dir.path() / "run" / "iscsictl.lock").string();
  std::optional<FileLock> held = FileLock::Acquire(lock, "", 0ms, error);
  REQUIRE(held);
  struct stat st {};
  REQUIRE(stat((dir.path() / "run").c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0700);
  // Held: a second taker times out.
  CHECK_FALSE(FileLock::Acquire(lock, "", 50ms, error));
  CHECK(error.find("held by another iscsictl") != std::string::npos);
  held.reset();
  CHECK(FileLock::Acquire(lock, "", 0ms, error));

  // A directory others may write (where they could plant or hold the file) is refused.
  std::filesystem::create_directories(dir.path() / "open");
  chmod((dir.path() / "open").c_str(), 01777);
  CHECK_FALSE(FileLock::Acquire((dir.path() / "open" / "l").string(), "", 0ms, error));
  CHECK(error.find("refusing lock directory") != std::string::npos);
  // A symlink in place of the directory or of the file is refused.
  std::filesystem::create_directory_symlink(dir.path() / "run", dir.path() / "link");
  CHECK_FALSE(FileLock::Acquire((dir.path() / "link" / "l").string(), "", 0ms, error));
  std::filesystem::create_symlink(dir.path() / "elsewhere", dir.path() / "run" / "l2");
  CHECK_FALSE(FileLock::Acquire((dir.path() / "run" / "l2").string(), "", 0ms, error));
  CHECK_FALSE(std::filesystem::exists(dir.path() / "elsewhere"));
}

TEST_CASE("lock: the older release's lock is taken when it is ours, never created") {
  testing::TempDir dir;
  std::string error;
  std::string lock = (dir.path() / "run" / "iscsictl.lock").string();
  std::string legacy = (dir.path() / "legacy.lock").string();
  {
    std::optional<FileLock> a = FileLock::Acquire(lock, legacy, 0ms, error);
    REQUIRE(a);
    CHECK_FALSE(std::filesystem::exists(legacy));  // never created
  }
  // An older iscsictl created it (0600, ours) and holds it: the new one waits for it.
  dir.Write("legacy.lock", "", 0600);
  std::optional<FileLock> old = FileLock::Acquire(legacy, "", 0ms, error);
  REQUIRE(old);
  CHECK_FALSE(FileLock::Acquire(lock, legacy, 50ms, error));
  CHECK(error.find("legacy.lock is held") != std::string::npos);
  old.reset();
  CHECK(FileLock::Acquire(lock, legacy, 0ms, error));
  // One others may write is not ours to respect: ignored.
  chmod(legacy.c_str(), 0666);
  old = FileLock::Acquire(legacy, "", 0ms, error);
  REQUIRE(old);
  CHECK(FileLock::Acquire(lock, legacy, 0ms, error));
}

}  // namespace iscsictl
