#include "store/record_text.h"

#include <fmt/format.h>

#include <algorithm>

namespace iscsictl {
namespace {

// The open-iscsi release whose record layout iscsictl writes.
constexpr std::string_view kRecordVersion = "2.1.8";

std::string_view Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) {
    return {};
  }
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

bool HasControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    unsigned char u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

}  // namespace

std::optional<std::string> RecordFieldsError(const RecordFields& fields) {
  for (const auto& [k, v] : fields) {
    if (k.empty() || HasControl(k) || k.find_first_of("= ") != std::string::npos) {
      return std::string("a record key is empty or holds a control character, '=' or a space");
    }
    if (HasControl(v)) {
      return fmt::format("the value of {} holds a newline or another control character", k);
    }
  }
  return std::nullopt;
}

RecordLines ParseRecord(std::string_view text) {
  RecordLines r;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = Trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line.empty() || line.front() == '#') {
      continue;
    }
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      continue;
    }
    std::string key(Trim(line.substr(0, eq)));
    std::string value(Trim(line.substr(eq + 1)));
    if (value == "<empty>") {
      value.clear();
    }
    r.emplace_back(std::move(key), std::move(value));
  }
  return r;
}

std::vector<RecordLines> ParseRecords(std::string_view text) {
  std::vector<RecordLines> out;
  RecordLines current;
  auto flush = [&] {
    if (!current.empty()) {
      out.push_back(std::move(current));
      current.clear();
    }
  };
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    std::string_view t = Trim(line);
    if (t.starts_with("# BEGIN RECORD") || t.starts_with("# END RECORD")) {
      flush();
      continue;
    }
    RecordLines one = ParseRecord(line);
    if (one.empty()) {
      continue;
    }
    if (one.front().first == "node.name" && Lookup(current, "node.name") != nullptr) {
      flush();
    }
    current.push_back(std::move(one.front()));
  }
  flush();
  return out;
}

std::string RenderRecord(const RecordFields& fields, const std::vector<std::string>& order) {
  std::string out = fmt::format("# BEGIN RECORD {}\n", kRecordVersion);
  auto line = [&](const std::string& k, const std::string& v) {
    out += fmt::format("{} = {}\n", k, v.empty() ? "<empty>" : v);
  };
  for (const std::string& k : order) {
    if (auto it = fields.find(k); it != fields.end()) {
      line(k, it->second);
    }
  }
  for (const auto& [k, v] : fields) {
    if (std::find(order.begin(), order.end(), k) == order.end()) {
      line(k, v);
    }
  }
  out += "# END RECORD\n";
  return out;
}

}  // namespace iscsictl
