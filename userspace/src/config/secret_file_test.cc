#include "config/secret_file.h"

#include <doctest/doctest.h>

#include "testing/test_util.h"

using namespace iscsictl;
using iscsictl::testing::TempDir;

TEST_CASE("reading secret files") {
  TempDir dir;
  std::string why;
  CHECK(ReadSecretFile(dir.Write("a", "s3cret-value\nignored\n", 0600), why) == "s3cret-value");
  CHECK(ReadSecretFile(dir.Write("b", "crlf-secret\r\n", 0400), why) == "crlf-secret");
  CHECK_FALSE(ReadSecretFile(dir.Write("c", "\nsecond line\n", 0600), why));
  CHECK(why.find("empty first line") != std::string::npos);
  CHECK_FALSE(ReadSecretFile(dir.Write("d", "s3cret-value\n", 0604), why));
  CHECK(why.find("mode 0604") != std::string::npos);
  // The secret itself is never part of a message, also where the file was read.
  CHECK(why.find("s3cret") == std::string::npos);
  CHECK_FALSE(ReadSecretFile(dir.Write("e", "s3cret-value\x01\n", 0600), why));
  CHECK(why.find("control character") != std::string::npos);
  CHECK(why.find("s3cret") == std::string::npos);
}
