#include "config/schema.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "model/config_error.h"

namespace iscsictl {

extern const std::string_view kConfigSchemaJson;

namespace {

using nlohmann::json;

// Valijson context ("<root>", "[targets]", "[0]", ...) -> JSON pointer, using the
// document to tell array indices from object keys.
std::string ContextToPointer(const std::vector<std::string>& context, const json& doc) {
  std::string pointer;
  const json* node = &doc;
  for (const std::string& c : context) {
    if (c == "<root>" || c.size() < 2 || c.front() != '[' || c.back() != ']') {
      continue;
    }
    std::string token = c.substr(1, c.size() - 2);
    pointer = JoinPointer(pointer, token);
    if (node == nullptr) {
      continue;
    }
    if (node->is_array()) {
      size_t i = std::stoul(token);
      node = i < node->size() ? &(*node)[i] : nullptr;
    } else if (node->is_object() && node->contains(token)) {
      node = &(*node)[token];
    } else {
      node = nullptr;
    }
  }
  return pointer;
}

const json* Deref(const json& root, const json* node) {
  for (int depth = 0; node != nullptr && depth < 16 && node->contains("$ref"); ++depth) {
    std::string ref = (*node)["$ref"].get<std::string>();
    if (!ref.starts_with("#")) {
      return nullptr;
    }
    json::json_pointer p(ref.substr(1));
    node = root.contains(p) ? &root.at(p) : nullptr;
  }
  return node;
}

// The subschema describing the value at `pointer`, and the closest "x-expected" on the way.
struct SchemaSite {
  const json* schema = nullptr;
  std::string expected;
};

void NoteExpected(const json* node, SchemaSite& site) {
  if (node != nullptr && node->contains("x-expected")) {
    site.expected = (*node)["x-expected"].get<std::string>();
  }
}

SchemaSite FindSchema(const json& root, const std::string& pointer) {
  SchemaSite site;
  const json* node = &root;
  json::json_pointer p(pointer);
  std::vector<std::string> tokens;
  for (json::json_pointer q = p; !q.empty(); q = q.parent_pointer()) {
    tokens.insert(tokens.begin(), q.back());
  }
  for (const std::string& t : tokens) {
    NoteExpected(node, site);
    node = Deref(root, node);
    if (node == nullptr) {
      return site;
    }
    site.expected.clear();
    if (node->contains("properties") && (*node)["properties"].contains(t)) {
      node = &(*node)["properties"][t];
    } else if (node->contains("items")) {
      node = &(*node)["items"];
    } else {
      return {};
    }
  }
  NoteExpected(node, site);
  node = Deref(root, node);
  NoteExpected(node, site);
  site.schema = node;
  return site;
}

std::string TypeName(const json& v) {
  switch (v.type()) {
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    case json::value_t::string:
      return "a string";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::null:
      return "null";
    case json::value_t::number_float:
      return "a number";
    default:
      return "an integer";
  }
}

// Whether the value at `pointer` may hold a secret (anything inside an "auth" object): its
// text never appears in a message.
bool IsSecretPointer(const std::string& pointer) {
  return pointer.find("/auth/") != std::string::npos || pointer.ends_with("/auth");
}

std::string Excerpt(const std::string& pointer, const json& v) {
  if (IsSecretPointer(pointer) && !v.is_object()) {
    return "the value (not shown: it may be a secret)";
  }
  if (v.is_object()) {
    return "{...}";
  }
  if (v.is_array()) {
    return "[...]";
  }
  std::string s = v.dump();
  if (s.size() > 60) {
    s = s.substr(0, 57) + "...";
  }
  return s;
}

std::string KnownKeys(const json* schema) {
  if (schema == nullptr || !schema->contains("properties")) {
    return {};
  }
  std::vector<std::string> keys;
  for (const auto& [k, v] : (*schema)["properties"].items()) {
    if (k != "$schema") {
      keys.push_back(k);
    }
  }
  return fmt::format(" (known keys: {})", fmt::join(keys, ", "));
}

class Rewriter {
 public:
  Rewriter(const json& schema, const json& doc) : schema_(schema), doc_(doc) {}

  void Add(const std::string& pointer, const std::string& description) {
    json::json_pointer jp(pointer);
    const json* value = doc_.contains(jp) ? &doc_.at(jp) : nullptr;
    SchemaSite site = FindSchema(schema_, pointer);
    const json* s = site.schema;
    if (description.starts_with("Object contains a property that could not be validated")) {
      UnknownKeys(pointer, description, value, s);
    } else if (description.starts_with("Missing required property '")) {
      std::string key = description.substr(27, description.rfind('\'') - 27);
      Put(pointer, 3, fmt::format("missing required key \"{}\"", key));
    } else if (value == nullptr) {
      Put(pointer, 1, description);
    } else if (description.starts_with("Value type not permitted")) {
      WrongType(pointer, *value, s);
    } else if (description.starts_with("Expected number")) {
      std::string range = "range";
      if (s != nullptr && s->contains("minimum") && s->contains("maximum")) {
        range = fmt::format("range {}..{}", (*s)["minimum"].dump(), (*s)["maximum"].dump());
      }
      Put(pointer, 3, fmt::format("{} is out of {}", Excerpt(pointer, *value), range));
    } else if (description.starts_with("Failed to match against any enum values")) {
      Put(pointer, 3,
          fmt::format("{} is not one of {}", Excerpt(pointer, *value), s ? EnumList(*s) : std::string()));
    } else if (description.find("anyOf") != std::string::npos ||
               description.find("oneOf") != std::string::npos ||
               description.starts_with("Failed to match regex")) {
      NoMatch(pointer, description, *value, site);
    } else if (description.starts_with("Failed to validate") ||
               description.starts_with("Target should not validate")) {
      Put(pointer, 0, description);  // wrappers around errors reported at a deeper location
    } else {
      Put(pointer, 2, fmt::format("{}: {}", Excerpt(pointer, *value), Lower(description)));
    }
  }

  std::vector<SchemaError> Result() const {
    std::vector<SchemaError> out;
    for (const auto& [pointer, e] : errors_) {
      if (e.rank == 0) {
        continue;
      }
      // Inside an anyOf, only the summary counts.
      bool covered =
          std::any_of(any_of_.begin(), any_of_.end(), [&p = pointer](const std::string& a) {
            return p != a && (p.starts_with(a + "/") || p == a);
          });
      bool summary = std::find(any_of_.begin(), any_of_.end(), pointer) != any_of_.end();
      if ((covered && e.rank != 5) || (summary && e.rank != 4)) {
        continue;
      }
      out.push_back({pointer, e.message});
    }
    return out;
  }

 private:
  // Keys the schema does not know, each at its own pointer, with the keys it knows.
  void UnknownKeys(const std::string& pointer, const std::string& description, const json* value,
                   const json* s) {
    if (value == nullptr || !value->is_object() || s == nullptr || !s->contains("properties")) {
      Put(pointer, 3, description);
      return;
    }
    for (const auto& [k, v] : value->items()) {
      if (!(*s)["properties"].contains(k)) {
        Put(JoinPointer(pointer, k), 3, fmt::format("unknown key \"{}\"{}", k, KnownKeys(s)));
      }
    }
  }

  void WrongType(const std::string& pointer, const json& value, const json* s) {
    std::string want = "another type";
    if (s != nullptr && s->contains("type") && (*s)["type"].is_string()) {
      std::string t = (*s)["type"].get<std::string>();
      want = (t == "object" || t == "array" || t == "integer") ? "an " + t : "a " + t;
    }
    if (s != nullptr && s->contains("enum")) {
      want += " (one of " + EnumList(*s) + ")";
    }
    Put(pointer, 3, fmt::format("expected {}, got {} {}", want, TypeName(value), Excerpt(pointer, value)));
  }

  // What a string in an iface position was meant to be.
  static std::string ExpectedAt(const std::string& pointer, const json& value,
                                const std::string& expected) {
    // A string with colons in an iface position can only be meant as a MAC address.
    if (value.is_string() && value.get<std::string>().find(':') != std::string::npos &&
        (pointer.ends_with("/iface") || pointer.ends_with("/mac"))) {
      return "a MAC address (six hex octets, e.g. 00:0E:0C:C2:C3:BB)";
    }
    if (value.is_string() && pointer.ends_with("/iface")) {
      return "a network interface name (1 to 15 characters, no '/', ':' or spaces)";
    }
    return expected.empty() ? "valid here" : expected;
  }

  // An anyOf/oneOf or pattern failure: what was expected there.
  void NoMatch(const std::string& pointer, const std::string& description, const json& value,
               const SchemaSite& site) {
    bool is_any_of = !description.starts_with("Failed to match regex");
    // {"mac": ...}, {"netdev": ...}: name the inner value, not the whole object.
    if (is_any_of && value.is_object() && value.size() == 1) {
      static const std::map<std::string, std::string> kInner = {
          {"mac", "a MAC address (six hex octets, e.g. 00:0E:0C:C2:C3:BB)"},
          {"netdev", "a network interface name (1 to 15 characters, no '/', ':' or spaces)"},
          {"record", "an open-iscsi iface record name (1 to 64 characters, no '/' or spaces)"},
          {"match",
           "a NIC rule: an object with one or more of \"subnet\" (CIDR), \"name\" "
           "(glob), \"driver\""}};
      const std::string k = value.begin().key();
      if (auto it = kInner.find(k); it != kInner.end()) {
        Put(JoinPointer(pointer, k), 5,
            fmt::format("{} is not {}", Excerpt(pointer, value.begin().value()), it->second));
        any_of_.push_back(pointer);
        Put(pointer, 0, description);
        return;
      }
    }
    // An anyOf failure summarises its branches: it replaces their noise.
    Put(pointer, is_any_of ? 4 : 2,
        fmt::format("{} is not {}", Excerpt(pointer, value), ExpectedAt(pointer, value, site.expected)));
    if (is_any_of) {
      any_of_.push_back(pointer);
    }
  }

  struct Entry {
    int rank;
    std::string message;
  };
  void Put(const std::string& pointer, int rank, const std::string& message) {
    auto it = errors_.find(pointer);
    if (it == errors_.end() || it->second.rank < rank) {
      errors_[pointer] = Entry{rank, message};
    }
  }
  static std::string EnumList(const json& s) {
    std::vector<std::string> items;
    for (const auto& e : s["enum"]) {
      items.push_back(e.dump());
    }
    return fmt::format("{}", fmt::join(items, ", "));
  }
  static std::string Lower(std::string s) {
    if (!s.empty()) {
      s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
    }
    if (!s.empty() && s.back() == '.') {
      s.pop_back();
    }
    return s;
  }

  const json& schema_;
  const json& doc_;
  std::map<std::string, Entry> errors_;
  std::vector<std::string> any_of_;
};

// Strings (values and keys) longer than this are refused before any pattern runs: the
// schema library matches patterns with std::regex, which recurses per character.
constexpr size_t kMaxStringBytes = 4096;

bool HasControl(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    unsigned char u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

// Strings that are too long, or (with `controls`) hold a control character; messages name
// the place only, never the text.
void CheckStrings(const json& v, const std::string& pointer, bool controls,
                  std::vector<SchemaError>& out) {
  auto check = [&](const std::string& s, const std::string& at, const char* what) {
    if (s.size() > kMaxStringBytes) {
      out.push_back({at, fmt::format("{} is longer than {} bytes", what, kMaxStringBytes)});
    } else if (controls && HasControl(s)) {
      out.push_back({at, fmt::format("{} holds a control character (newline, tab, NUL...): "
                                     "open-iscsi records cannot hold one",
                                     what)});
    }
  };
  if (v.is_string()) {
    check(v.get_ref<const std::string&>(), pointer, "the string");
  } else if (v.is_object()) {
    for (const auto& [k, item] : v.items()) {
      std::string at = JoinPointer(pointer, k);
      check(k, pointer, "a key");
      CheckStrings(item, at, controls, out);
    }
  } else if (v.is_array()) {
    for (size_t i = 0; i < v.size(); ++i) {
      CheckStrings(v[i], JoinPointer(pointer, std::to_string(i)), controls, out);
    }
  }
}

}  // namespace

std::string_view ConfigSchemaText() {
  return kConfigSchemaJson;
}

const nlohmann::json& ConfigSchema() {
  static const json kSchema = json::parse(kConfigSchemaJson);
  return kSchema;
}

std::vector<SchemaError> ValidateAgainst(const nlohmann::json& schema_doc,
                                         const nlohmann::json& doc) {
  std::vector<SchemaError> too_long;
  CheckStrings(doc, "", false, too_long);
  if (!too_long.empty()) {
    return too_long;
  }
  valijson::Schema schema;
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
  valijson::adapters::NlohmannJsonAdapter schema_adapter(schema_doc);
  parser.populateSchema(schema_adapter, schema);

  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter doc_adapter(doc);
  if (validator.validate(schema, doc_adapter, &results)) {
    return {};
  }
  Rewriter rewriter(schema_doc, doc);
  valijson::ValidationResults::Error e;
  while (results.popError(e)) {
    rewriter.Add(ContextToPointer(e.context, doc), e.description);
  }
  std::vector<SchemaError> out = rewriter.Result();
  if (out.empty()) {
    out.push_back({"", "does not match the schema"});
  }
  return out;
}

std::vector<SchemaError> ValidateConfigSchema(const nlohmann::json& doc) {
  // No config string may hold a control character: each may reach a record line.
  std::vector<SchemaError> bad;
  CheckStrings(doc, "", true, bad);
  if (!bad.empty()) {
    return bad;
  }
  return ValidateAgainst(ConfigSchema(), doc);
}

}  // namespace iscsictl
