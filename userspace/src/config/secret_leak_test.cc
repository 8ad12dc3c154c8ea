// Issue 14: no secret in any message. Each error class is fed a secret-looking value and all
// output (stdout and stderr of `validate`, the errors' text) is searched for it.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cli/cli.h"
#include "config/config_load.h"
#include "config/secret_file.h"
#include "testing/test_util.h"

using namespace iscsictl;
using iscsictl::testing::CliResult;
using iscsictl::testing::RunCliForTest;
using iscsictl::testing::TempDir;

namespace {

const std::string kSecret = "S3cretPassw0rdXYZ";

std::string WithAuth(const std::string& auth) {
  return R"({"targets": [{"name": "iqn.2001-05.com.x:t", "portal": {"address": "10.0.0.1"},
             "sessions": [{"iface": "eth1"}], "session_defaults": {"auth": )" +
         auth + "}}]}";
}

}  // namespace

TEST_CASE("no secret in any error: syntax, schema, semantics, secret files, --resolved") {
  TempDir dir;
  struct Case {
    const char* what;
    std::string text;
    bool valid;
  };
  const std::string chap = R"("authmethod": "CHAP", "username": "u", )";
  std::vector<Case> cases = {
      {"a raw tab in the password (JSON syntax: nlohmann's last read)",
       WithAuth("{" + chap + R"("password": ")" + kSecret + "\t" + kSecret + R"("})"), false},
      {"an unterminated password string",
       WithAuth("{" + chap + R"("password": ")" + kSecret), false},
      {"a password cut by a raw newline",
       WithAuth("{" + chap + R"("password": ")" + kSecret + "\n" + R"(x"})"), false},
      {"an over-long password (schema maxLength)",
       WithAuth("{" + chap + R"("password": ")" + kSecret + std::string(300, 'x') + R"("})"),
       false},
      {"a password of another type",
       WithAuth("{" + chap + R"("password": [")" + kSecret + R"("]})"), false},
      {"an escaped newline in the password (record-line injection)",
       WithAuth("{" + chap + R"("password": ")" + kSecret + R"(\nnode.startup = automatic"})"),
       false},
      {"an escaped newline in password_in",
       WithAuth("{" + chap + R"("password": "p", "username_in": "t", "password_in": ")" +
                kSecret + R"(\u0000"})"),
       false},
      {"an over-long username_in",
       WithAuth("{" + chap + R"("password": "p", "password_in": "q", "username_in": ")" + kSecret +
                std::string(300, 'y') + R"("})"),
       false},
      {"a multi-megabyte password (bounded before any regex)",
       WithAuth("{" + chap + R"("password": ")" + kSecret + std::string(3 << 20, 'z') + R"("})"),
       false},
      {"a password under authmethod None",
       WithAuth(R"({"authmethod": "None", "password": ")" + kSecret + R"("})"), false},
      {"a misspelt key holding the password",
       WithAuth("{" + chap + R"("pasword": ")" + kSecret + R"("})"), false},
      {"auth as a string", WithAuth(R"(")" + kSecret + R"(")"), false},
      // fuzz_config found this one: a secret where a key belongs is in the syntax error's pointer.
      {"a secret in key position (no key before it)",
       WithAuth("{" + chap + R"(")" + kSecret + R"(", "x": 1})"), false},
      {"a secret in key position in a nested object",
       WithAuth("{" + chap + R"("password": {")" + kSecret + R"(", 1}})"), false},
      {"a valid inline password (--resolved hides it)",
       WithAuth("{" + chap + R"("password": ")" + kSecret + R"("})"), true},
  };
  int n = 0;
  for (const Case& c : cases) {
    CAPTURE(c.what);
    std::string path = dir.Write("c" + std::to_string(n++) + ".json", c.text, 0600);
    LoadedConfig loaded = LoadConfigFile(path);
    CHECK(loaded.ok() == c.valid);
    for (const ConfigError& e : loaded.errors) {
      CHECK(e.ToString().find(kSecret) == std::string::npos);
    }
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"validate", path},
          std::vector<std::string>{"validate", "--resolved", path}}) {
      CliResult r = RunCliForTest(args);
      CHECK(r.status == (c.valid ? kExitOk : kExitBadInput));
      CHECK(r.out.find(kSecret) == std::string::npos);
      CHECK(r.err.find(kSecret) == std::string::npos);
      if (!c.valid) {
        CHECK(r.err.find(path) != std::string::npos);  // located
      }
    }
  }

  // A secret file whose first line cannot be a record value: read, refused, not shown.
  std::string secret_file = dir.Write("tab.secret", kSecret + "\t" + kSecret + "\n", 0600);
  std::string why;
  CHECK_FALSE(ReadSecretFile(secret_file, why));
  CHECK(why.find("control character") != std::string::npos);
  CHECK(why.find(kSecret) == std::string::npos);
}
