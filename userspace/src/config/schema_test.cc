#include "config/schema.h"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "testing/test_util.h"

using namespace iscsictl;
using iscsictl::testing::SourcePath;

using iscsictl::testing::ReadText;

namespace {}  // namespace

TEST_CASE("the embedded schema is the one in json-schema/") {
  CHECK(nlohmann::json::parse(ConfigSchemaText()) ==
        nlohmann::json::parse(ReadText(SourcePath("json-schema/iscsictl.schema.json"))));
  CHECK(ConfigSchema()["$schema"] == "http://json-schema.org/draft-07/schema#");
}

TEST_CASE("schema errors are rewritten and located") {
  struct Case {
    const char* doc;
    const char* pointer;
    const char* message;
  };
  const Case cases[] = {
      {R"({"targets": 1})", "/targets", "expected an array, got an integer 1"},
      {R"({"targets": [], "a": 1, "b": 2})", "/a", "unknown key \"a\""},
      {R"({"targets": [{"name": "iqn.2001-05.com.x", "sessions": [{"iface": {"netdev": "a/b"}}]}]})",
       "/targets/0/sessions/0/iface/netdev", "\"a/b\" is not a network interface name"},
      {R"({"targets": [{"name": "iqn.2001-05.com.x", "transport": "TCP"}]})",
       "/targets/0/transport", "\"TCP\" is not \"tcp\" or an offload driver name"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.doc);
    auto errors = ValidateConfigSchema(nlohmann::json::parse(c.doc));
    REQUIRE_FALSE(errors.empty());
    CHECK(errors.front().pointer == c.pointer);
    CHECK(errors.front().message.find(c.message) != std::string::npos);
  }
  // Every unknown key is reported, not only the first.
  auto errors = ValidateConfigSchema(nlohmann::json::parse(R"({"targets": [], "a": 1, "b": 2})"));
  CHECK(errors.size() == 2);
}

TEST_CASE("docs/config.md shows the example file and names every key") {
  std::string doc = ReadText(SourcePath("docs/config.md"));
  size_t start = doc.find("```json\n");
  REQUIRE(start != std::string::npos);
  start += 8;
  size_t end = doc.find("```", start);
  CHECK(nlohmann::json::parse(doc.substr(start, end - start)) ==
        nlohmann::json::parse(ReadText(SourcePath("json-schema/examples/equallogic.json"))));

  const auto& defs = ConfigSchema()["definitions"];
  int keys = 0;
  for (const char* params : {"session_params", "conn_params"}) {
    // Named copies, not structured bindings: CAPTURE's lambda cannot capture a binding
    // with clang 14 (the sanitizer and fuzz build).
    for (const auto& item : defs[params]["properties"].items()) {
      const std::string key = item.key();
      const nlohmann::json& sub = item.value();
      std::string ref = sub.value("$ref", "");
      const nlohmann::json& target = ref.empty() ? sub : defs[ref.substr(ref.rfind('/') + 1)];
      if (target.value("type", "") == "object" && target.contains("properties")) {
        for (const auto& inner_item : target["properties"].items()) {
          const std::string inner = inner_item.key();
          CAPTURE(key + "." + inner);
          CHECK(doc.find("`" + key + "." + inner + "`") != std::string::npos);
          ++keys;
        }
      } else {
        CAPTURE(key);
        CHECK(doc.find("`" + key + "`") != std::string::npos);
        ++keys;
      }
    }
  }
  CHECK(keys >= 40);
}
