#include "config/json_text.h"

#include <fmt/format.h>

#include <set>
#include <vector>

#include "model/config_error.h"

namespace iscsictl {
namespace {

using nlohmann::json;

// SAX handler that only tracks where the parser is, to name the pointer of a
// syntax error and to find duplicate keys.
class PathTracker : public nlohmann::json_sax<json> {
 public:
  bool null() override { return Value(); }
  bool boolean(bool /*val*/) override { return Value(); }
  bool number_integer(number_integer_t /*val*/) override { return Value(); }
  bool number_unsigned(number_unsigned_t /*val*/) override { return Value(); }
  bool number_float(number_float_t /*val*/, const string_t& /*s*/) override { return Value(); }
  bool string(string_t& /*val*/) override { return Value(); }
  bool binary(binary_t& /*val*/) override { return Value(); }
  bool start_object(std::size_t /*elements*/) override {
    frames_.push_back(Frame{false, 0, {}, {}, false});
    return true;
  }
  bool key(string_t& val) override {
    Frame& f = frames_.back();
    f.key = val;
    f.has_key = true;
    if (!f.keys.insert(val).second && !duplicate_) {
      duplicate_ = Pointer();
    }
    return true;
  }
  bool end_object() override {
    frames_.pop_back();
    return Value();
  }
  bool start_array(std::size_t /*elements*/) override {
    frames_.push_back(Frame{true, 0, {}, {}, false});
    return true;
  }
  bool end_array() override {
    frames_.pop_back();
    return Value();
  }
  bool parse_error(std::size_t position, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& ex) override {
    error_pointer_ = Pointer();
    error_position_ = position;
    error_message_ = ex.what();
    return false;
  }

  std::string Pointer() const {
    std::string p;
    for (const Frame& f : frames_) {
      if (f.is_array) {
        p = JoinPointer(p, std::to_string(f.index));
      } else if (f.has_key) {
        p = JoinPointer(p, f.key);
      }
    }
    return p;
  }

  std::optional<std::string> duplicate_;
  std::string error_pointer_;
  std::size_t error_position_ = 0;
  std::string error_message_;

 private:
  struct Frame {
    bool is_array;
    size_t index;
    std::string key;
    std::set<std::string> keys;
    bool has_key;
  };
  bool Value() {
    if (!frames_.empty() && frames_.back().is_array) {
      ++frames_.back().index;
    }
    return true;
  }
  std::vector<Frame> frames_;
};

// "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error ..." ->
// "syntax error ...".
std::string CleanMessage(const std::string& what) {
  std::string m = what;
  if (auto p = m.find("] "); m.starts_with("[json.exception") && p != std::string::npos) {
    m = m.substr(p + 2);
  }
  if (m.starts_with("parse error")) {
    if (auto p = m.find(": "); p != std::string::npos) {
      m = m.substr(p + 2);
    }
  }
  return m;
}

// A syntax error's pointer, with what may be a secret taken out: inside an "auth" object a
// key the schema does not know may be a secret the parser read as a key (`{"auth":
// {"username": "u", "S3cret"}}`, found by fuzz_config); the line and column still say where.
std::string SafePointer(const std::string& pointer) {
  size_t auth = pointer.find("/auth/");
  if (auth == std::string::npos) {
    return pointer;
  }
  size_t start = auth + 6;
  size_t end = pointer.find('/', start);
  std::string key = pointer.substr(start, end == std::string::npos ? end : end - start);
  static const char* const kKnown[] = {"authmethod",      "username",    "password",
                                       "password_file",   "username_in", "password_in",
                                       "password_in_file"};
  for (const char* k : kKnown) {
    if (key == k) {
      return pointer.substr(0, end);  // auth values are scalars: nothing below is a key
    }
  }
  return pointer.substr(0, auth + 5);
}

std::string SyntaxMessage(const std::string& what) {
  std::string m = CleanMessage(what);
  // nlohmann ends with "; last read: '<the bytes read>'": the text of the file, which may be
  // a secret (a password with a tab, a missing quote). The line and column say where.
  if (auto p = m.find("; last read:"); p != std::string::npos) {
    m.erase(p);
  }
  return m.starts_with("syntax error") ? m : "syntax error: " + m;
}

}  // namespace

std::pair<int, int> LineColumn(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  int line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, static_cast<int>(offset - line_start) + 1};
}

ParsedJson ParseJsonText(std::string_view text) {
  ParsedJson out;
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    out.error = JsonSyntaxError{"", 1, 1, "the file is empty (expected a JSON object)"};
    return out;
  }
  PathTracker tracker;
  if (!json::sax_parse(text, &tracker)) {
    // nlohmann's position counts the bytes read, the offending one included.
    size_t pos = tracker.error_position_ > 0 ? tracker.error_position_ - 1 : 0;
    auto [line, col] = LineColumn(text, pos);
    out.error = JsonSyntaxError{SafePointer(tracker.error_pointer_), line, col,
                                SyntaxMessage(tracker.error_message_)};
    return out;
  }
  if (tracker.duplicate_) {
    out.error = JsonSyntaxError{SafePointer(*tracker.duplicate_), 0, 0, "duplicate key"};
    return out;
  }
  out.value = json::parse(text);
  return out;
}

}  // namespace iscsictl
