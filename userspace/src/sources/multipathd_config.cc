#include "sources/multipathd_config.h"

#include <map>
#include <sstream>
#include <vector>

namespace iscsictl {
namespace {

// "key value", "key \"quoted value\"", "name {" or "}" of one line; comments dropped.
struct Line {
  std::string key;
  std::string value;
  bool open = false;
  bool close = false;
};

Line Split(std::string text) {
  Line line;
  size_t b = text.find_first_not_of(" \t\r");
  if (b == std::string::npos || text[b] == '#' || text[b] == '!') {
    return line;
  }
  text = text.substr(b);
  text.erase(text.find_last_not_of(" \t\r") + 1);
  if (text == "}") {
    line.close = true;
    return line;
  }
  size_t sp = text.find_first_of(" \t");
  line.key = text.substr(0, sp);
  std::string rest = sp == std::string::npos ? "" : text.substr(text.find_first_not_of(" \t", sp));
  if (rest == "{") {
    line.open = true;
    return line;
  }
  if (rest.size() >= 2 && rest.front() == '"') {
    size_t q = rest.find('"', 1);
    rest = rest.substr(1, q == std::string::npos ? std::string::npos : q - 1);
  }
  line.value = rest;
  return line;
}

void SetDeviceKey(MultipathdDevice& d, const Line& line) {
  if (line.key == "vendor") {
    d.vendor = line.value;
  } else if (line.key == "product") {
    d.product = line.value;
  } else if (line.key == "revision") {
    d.revision = line.value;
  } else {
    d.attrs[line.key] = line.value;
  }
}

}  // namespace

bool ParseMultipathdConfig(const std::string& text, MultipathdConfig& config, std::string& error) {
  std::vector<std::string> path;  // open sections, outermost first
  std::map<std::string, std::string> protocol;  // of overrides, while open
  auto in_protocol = [&] { return path.size() == 2 && path[0] == "overrides" && path[1] == "protocol"; };
  std::istringstream in(text);
  std::string raw;
  while (std::getline(in, raw)) {
    Line line = Split(raw);
    if (line.close) {
      if (path.empty()) {
        error = "multipathd show config: unbalanced '}'";
        return false;
      }
      if (in_protocol() && protocol["type"] == "scsi:iscsi") {
        protocol.erase("type");
        config.overrides_iscsi.insert(protocol.begin(), protocol.end());
      }
      protocol.clear();
      path.pop_back();
    } else if (line.open) {
      path.push_back(line.key);
      if (path.size() == 2 && path[0] == "devices" && line.key == "device") {
        config.devices.emplace_back();
      }
    } else if (line.key.empty()) {
      continue;
    } else if (path.size() == 1 && path[0] == "defaults") {
      config.defaults[line.key] = line.value;
    } else if (path.size() == 1 && path[0] == "overrides") {
      config.overrides[line.key] = line.value;
    } else if (in_protocol()) {
      protocol[line.key] = line.value;
    } else if (path.size() == 2 && path[0] == "devices" && path[1] == "device") {
      SetDeviceKey(config.devices.back(), line);
    }
  }
  if (!path.empty()) {
    error = "multipathd show config: section " + path.back() + " not closed";
    return false;
  }
  return true;
}

MultipathdFacts ReadMultipathdFacts(const MultipathIo& io) {
  MultipathdFacts facts;
  if (!io.multipathd) {
    facts.error = "multipathd not asked";
    return facts;
  }
  std::optional<std::string> reply = io.multipathd("show config", facts.error);
  if (!reply) {
    // Only a missing socket means it is not running; it answered otherwise.
    facts.running = facts.error.find("not running") == std::string::npos;
    return facts;
  }
  facts.running = true;
  MultipathdConfig config;
  if (ParseMultipathdConfig(*reply, config, facts.error)) {
    facts.config = std::move(config);
  }
  return facts;
}

}  // namespace iscsictl
