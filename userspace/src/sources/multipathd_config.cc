#include "sources/multipathd_config.h"

#include <fmt/format.h>

#include <vector>

namespace iscsictl {
namespace {

struct Token {
  std::string text;
  bool quoted = false;
  bool Is(char c) const { return !quoted && text.size() == 1 && text[0] == c; }
};

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

// One line's tokens: words, "quoted strings" ("" inside one is a quote), { and }; a # or !
// where a token would start begins a comment.
bool Tokenize(std::string_view line, std::vector<Token>& out, std::string& error) {
  size_t i = 0;
  while (i < line.size()) {
    char c = line[i];
    if (IsSpace(c)) {
      ++i;
    } else if (c == '#' || c == '!') {
      return true;
    } else if (c == '{' || c == '}') {
      out.push_back({std::string(1, c), false});
      ++i;
    } else if (c == '"') {
      Token t{"", true};
      for (++i;; ++i) {
        if (i >= line.size()) {
          error = "unterminated quoted string";
          return false;
        }
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            t.text += '"';
            ++i;
            continue;
          }
          ++i;
          break;
        }
        t.text += line[i];
      }
      out.push_back(std::move(t));
    } else {
      size_t start = i;
      while (i < line.size() && !IsSpace(line[i]) && line[i] != '"' && line[i] != '{' &&
             line[i] != '}') {
        ++i;
      }
      out.push_back({std::string(line.substr(start, i - start)), false});
    }
  }
  return true;
}

class Parser {
 public:
  explicit Parser(MultipathdSettings& out) : out_(out) {}

  bool Line(const std::vector<Token>& tokens, std::string& error) {
    if (tokens.empty()) {
      return true;
    }
    if (tokens.size() == 1 && tokens[0].Is('}')) {
      if (stack_.empty()) {
        error = "unbalanced '}'";
        return false;
      }
      stack_.pop_back();
      return true;
    }
    if (tokens.back().Is('{')) {
      if (tokens.size() != 2 || tokens[0].quoted) {
        error = "a section is a name and '{'";
        return false;
      }
      return Open(tokens[0].text, error);
    }
    for (const Token& t : tokens) {
      if (t.Is('{') || t.Is('}')) {
        error = "a brace inside a statement";
        return false;
      }
    }
    std::string value;
    for (size_t i = 1; i < tokens.size(); ++i) {
      value += (i > 1 ? " " : "") + tokens[i].text;
    }
    if (value.size() > kMaxMultipathdValue) {
      error = fmt::format("a value longer than {} bytes", kMaxMultipathdValue);
      return false;
    }
    if (MultipathdSection* s = Current()) {
      if (s->keys.size() < kMaxMultipathdKeys || s->keys.count(tokens[0].text) != 0) {
        s->keys[tokens[0].text] = std::move(value);
      }
    }
    return true;
  }

  bool Done(std::string& error) const {
    if (!stack_.empty()) {
      error = fmt::format("section '{}' not closed", stack_.back());
      return false;
    }
    return true;
  }

 private:
  bool Open(const std::string& name, std::string& error) {
    if (stack_.size() >= kMaxMultipathdDepth) {
      error = fmt::format("sections nested deeper than {}", kMaxMultipathdDepth);
      return false;
    }
    stack_.push_back(name);
    if (stack_.size() == 2 && stack_[0] == "devices" && name == "device") {
      device_ = out_.devices.size() < kMaxMultipathdDevices;
      if (device_) {
        out_.devices.emplace_back();
      }
    }
    return true;
  }

  // The section whose keys are kept here, nullptr for the others.
  MultipathdSection* Current() {
    if (stack_.size() == 1 && stack_[0] == "defaults") {
      return &out_.defaults;
    }
    if (stack_.size() == 1 && stack_[0] == "overrides") {
      return &out_.overrides;
    }
    if (stack_.size() == 2 && stack_[0] == "devices" && stack_[1] == "device" && device_) {
      return &out_.devices.back();
    }
    return nullptr;
  }

  MultipathdSettings& out_;
  std::vector<std::string> stack_;
  bool device_ = false;
};

}  // namespace

bool ParseMultipathdConfig(std::string_view text, MultipathdSettings& out, std::string& error) {
  out = MultipathdSettings{};
  if (text.size() > kMaxMultipathdConfig) {
    error = fmt::format("longer than {} bytes", kMaxMultipathdConfig);
    return false;
  }
  Parser parser(out);
  size_t pos = 0;
  for (size_t n = 1; pos < text.size(); ++n) {
    size_t end = text.find('\n', pos);
    std::string_view line =
        text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    pos = end == std::string_view::npos ? text.size() : end + 1;
    std::vector<Token> tokens;
    std::string why;
    if (!Tokenize(line, tokens, why) || !parser.Line(tokens, why)) {
      error = fmt::format("line {}: {}", n, why);
      out = MultipathdSettings{};
      return false;
    }
  }
  if (!parser.Done(error)) {
    out = MultipathdSettings{};
    return false;
  }
  return true;
}

std::optional<MultipathdSettings> ReadMultipathdSettings(const MultipathIo& io,
                                                         std::string& error) {
  if (!io.multipathd) {
    error = "multipathd not asked";
    return std::nullopt;
  }
  // `show config local` (multipath-tools 0.8.5 on): the device entries of the devices present.
  for (const char* command : {"show config local", "show config"}) {
    std::optional<std::string> reply = io.multipathd(command, error);
    if (!reply) {
      return std::nullopt;  // not running: the other command would not answer either
    }
    MultipathdSettings settings;
    std::string why;
    if (ParseMultipathdConfig(*reply, settings, why) && !settings.defaults.keys.empty()) {
      return settings;
    }
    error = fmt::format("multipathd: `{}` did not answer with a configuration{}", command,
                        why.empty() ? "" : " (" + why + ")");
  }
  return std::nullopt;
}

MultipathdFacts ReadMultipathdFacts(const MultipathIo& io) {
  MultipathdFacts facts;
  facts.config = ReadMultipathdSettings(io, facts.error);
  // Only a missing socket means it is not running (or nobody asked); it answered otherwise.
  facts.running = facts.config.has_value() ||
                  (io.multipathd && facts.error.find("not running") == std::string::npos);
  return facts;
}

}  // namespace iscsictl
