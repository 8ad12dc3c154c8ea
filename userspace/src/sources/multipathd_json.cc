#include "sources/multipathd_json.h"

#include <nlohmann/json.hpp>

namespace iscsictl {
namespace {

std::string Text(const nlohmann::json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : "";
}

int Number(const nlohmann::json& o, const char* key) {
  auto it = o.find(key);
  if (it != o.end() && it->is_number_integer()) {
    return it->get<int>();
  }
  return -1;
}

MpathMap* FindMap(MultipathState& state, const std::string& sysfs, const std::string& name) {
  for (MpathMap& m : state.maps) {
    if ((!sysfs.empty() && m.dm == sysfs) || (!name.empty() && m.name == name)) {
      return &m;
    }
  }
  return nullptr;
}

}  // namespace

bool MergeMultipathdJson(const std::string& json, MultipathState& state, std::string& error) {
  nlohmann::json doc = nlohmann::json::parse(json, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("maps") || !doc["maps"].is_array()) {
    error = "multipathd: not the JSON of `show maps json`";
    return false;
  }
  for (const nlohmann::json& m : doc["maps"]) {
    if (!m.is_object()) {
      continue;
    }
    MpathMap* map = FindMap(state, Text(m, "sysfs"), Text(m, "name"));
    auto groups = m.find("path_groups");
    if (map == nullptr || groups == m.end() || !groups->is_array()) {
      continue;
    }
    for (const nlohmann::json& g : *groups) {
      auto paths = g.is_object() ? g.find("paths") : g.end();
      if (!g.is_object() || paths == g.end() || !paths->is_array()) {
        continue;
      }
      for (const nlohmann::json& p : *paths) {
        if (!p.is_object()) {
          continue;
        }
        for (MpathPath& path : map->paths) {
          if (!path.dev.empty() && path.dev == Text(p, "dev")) {
            path.checker = Text(p, "chk_st");
            path.priority = Number(p, "pri");
          }
        }
      }
    }
  }
  return true;
}

}  // namespace iscsictl
