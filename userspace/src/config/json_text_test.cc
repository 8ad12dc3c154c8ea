#include "config/json_text.h"

#include <doctest/doctest.h>

using namespace iscsictl;

TEST_CASE("JSON syntax errors are located") {
  struct Case {
    const char* text;
    const char* pointer;
    int line;
    int column;
  };
  const Case cases[] = {
      {"{\"a\": 1,}", "/a", 1, 9},
      {"{\n  \"targets\": [\n    {\"name\": x}\n  ]\n}", "/targets/0/name", 3, 14},
      {"{\n  \"a\": [1, 2,, 3]\n}", "/a/2", 2, 14},
      {"{\"a\": \"unterminated", "/a", 1, 20},
      {"{\"a\": {\"b\": 1}", "/a", 1, 15},
  };
  for (const auto& c : cases) {
    CAPTURE(std::string(c.text));
    ParsedJson p = ParseJsonText(c.text);
    REQUIRE(p.error);
    CHECK(p.error->pointer == c.pointer);
    CHECK(p.error->line == c.line);
    CHECK(p.error->column == c.column);
    CHECK(p.error->message.starts_with("syntax error"));
  }
}

TEST_CASE("empty text, duplicate keys, valid text") {
  CHECK(ParseJsonText("  \n").error->message.find("empty") != std::string::npos);
  ParsedJson dup = ParseJsonText(R"({"targets": [{"name": "a", "tpgt": 1, "name": "b"}]})");
  REQUIRE(dup.error);
  CHECK(dup.error->pointer == "/targets/0/name");
  CHECK(dup.error->message == "duplicate key");
  ParsedJson ok = ParseJsonText(R"({"a": [1, {"b": null}]})");
  CHECK_FALSE(ok.error);
  CHECK(ok.value["a"][1].contains("b"));
}

TEST_CASE("line and column") {
  CHECK(LineColumn("ab\ncd", 0) == std::pair{1, 1});
  CHECK(LineColumn("ab\ncd", 3) == std::pair{2, 1});
  CHECK(LineColumn("ab\ncd", 4) == std::pair{2, 2});
  CHECK(LineColumn("ab", 99) == std::pair{1, 3});
}
