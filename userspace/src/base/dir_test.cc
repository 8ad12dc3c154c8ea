#include "base/dir.h"

#include <doctest/doctest.h>

#include <filesystem>

#include "testing/test_util.h"

using namespace iscsictl;

TEST_CASE("Dir reads attributes, lists, links") {
  iscsictl::testing::TempDir dir;
  dir.Write("a", "value\n");
  dir.Write("empty", "\n");
  Dir d = Dir::OpenRoot(dir.path().string());
  REQUIRE(d.Valid());
  bool exists = false;
  CHECK(d.Read("a", &exists) == "value");
  CHECK(exists);
  CHECK(d.Read("empty", &exists) == "");
  CHECK(exists);
  CHECK_FALSE(d.Read("nope", &exists).has_value());
  CHECK_FALSE(exists);
  CHECK(d.ReadBytes("a") == "value\n");
  CHECK(d.Exists("a"));
  CHECK_FALSE(d.Exists("b"));
  CHECK(d.List().size() == 2);
  CHECK(d.List("nope").empty());
  CHECK(d.ReadLink("a").empty());
  CHECK_FALSE(Dir::Open(d, "nope").Valid());
}

TEST_CASE("Dir reads whole regular files, never through a link, and tells files from dirs") {
  iscsictl::testing::TempDir dir;
  std::string big(40000, 'x');  // more than one read
  dir.Write("big", big);
  dir.Write("sub/f", "in sub\n");
  std::filesystem::create_symlink("big", dir.path() / "link");
  Dir d = Dir::OpenRoot(dir.path().string());
  CHECK(d.ReadFile("big") == big);
  CHECK_FALSE(d.ReadFile("big", 100).has_value());  // over the limit
  CHECK_FALSE(d.ReadFile("link").has_value());
  CHECK_FALSE(d.ReadFile("sub").has_value());
  CHECK(d.ReadFile("sub/f") == "in sub\n");
  CHECK(d.IsDirectory("sub"));
  CHECK_FALSE(d.IsDirectory("big"));
  CHECK(d.IsRegularFile("big"));
  CHECK_FALSE(d.IsRegularFile("link"));
  CHECK_FALSE(d.IsRegularFile("nope"));
}
