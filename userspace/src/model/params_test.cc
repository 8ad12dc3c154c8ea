#include "model/params.h"

#include <doctest/doctest.h>

#include <set>
#include <string>

#include "config/schema.h"

using namespace iscsictl;

TEST_CASE("Merge: set fields of the override win, unset ones inherit") {
  SessionParams base = BuiltinSessionParams();
  SessionParams over;
  over.first_burst_length = 65536;
  over.password = Secret{{}, "/etc/iscsictl/chap"};
  SessionParams m = Merge(base, over);
  CHECK(*m.first_burst_length == 65536);
  CHECK(*m.max_burst_length == 16776192);
  CHECK(m.password->file == "/etc/iscsictl/chap");
  CHECK(Merge(base, SessionParams{}) == base);
  CHECK(Merge(SessionParams{}, base) == base);

  ConnParams cb = BuiltinConnParams();
  ConnParams co;
  co.port = 3261;
  ConnParams cm = Merge(cb, co);
  CHECK(*cm.port == 3261);
  CHECK(*cm.window_size == 524288);
  CHECK_FALSE(cm.address);
}

TEST_CASE("built-in defaults are complete") {
  CHECK(IsComplete(BuiltinSessionParams()));
  ConnParams c = BuiltinConnParams();
  CHECK_FALSE(IsComplete(c));  // the address has no default
  c.address = "10.0.0.1";
  CHECK(IsComplete(c));
}

// The schema documents the same defaults the code applies, and names every field.
TEST_CASE("schema defaults match the built-in defaults") {
  const nlohmann::json& schema = ConfigSchema();
  const auto& defs = schema["definitions"];
  auto schema_field = [&](const std::string& params_def, std::string_view path) {
    const nlohmann::json* node = &defs[params_def];
    size_t start = 0;
    std::string p(path);
    while (true) {
      size_t slash = p.find('/', start);
      std::string key = p.substr(start, slash == std::string::npos ? slash : slash - start);
      node = &(*node)["properties"][key];
      if (node->contains("$ref")) {
        std::string ref = (*node)["$ref"];
        const nlohmann::json* target = &defs[ref.substr(ref.rfind('/') + 1)];
        if (slash != std::string::npos || !node->contains("default")) {
          node = target;
        }
      }
      if (slash == std::string::npos) {
        return node;
      }
      start = slash + 1;
    }
  };
  SessionParams sp = BuiltinSessionParams();
  int checked = 0;
  ForEachField(kSessionFields, [&](const auto& f) {
    CAPTURE(f.json);
    const nlohmann::json* node = schema_field("session_params", f.json);
    REQUIRE(node->is_object());
    if (const auto& v = sp.*f.member) {
      using T = typename std::decay_t<decltype(*v)>;
      if constexpr (!std::is_same_v<T, Secret>) {
        REQUIRE(node->contains("default"));
        CHECK((*node)["default"].get<T>() == *v);
        ++checked;
      }
    }
  });
  ConnParams cp = BuiltinConnParams();
  ForEachField(kConnFields, [&](const auto& f) {
    CAPTURE(f.json);
    const nlohmann::json* node = schema_field("conn_params", f.json);
    REQUIRE(node->is_object());
    if (const auto& v = cp.*f.member) {
      using T = typename std::decay_t<decltype(*v)>;
      REQUIRE(node->contains("default"));
      CHECK((*node)["default"].template get<T>() == *v);
      ++checked;
    }
  });
  CHECK(checked >= 30);
}
