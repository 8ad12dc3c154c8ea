#include "report/plan_text.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "base/portal.h"

namespace iscsictl {

std::string FormatPlan(const Plan& plan) {
  std::string out;
  if (plan.actions.empty() && plan.Blocked()) {
    out += "plan: nothing to do now, not converged (see the notes)\n";
  } else if (plan.actions.empty()) {
    out += "plan: nothing to do\n";
  } else {
    out += fmt::format("plan: {} action{}\n", plan.actions.size(),
                       plan.actions.size() == 1 ? "" : "s");
  }
  for (const Action& a : plan.actions) {
    out += fmt::format("  {:<12} {}\n", ActionName(a.kind), a.Subject());
    out += fmt::format("  {:<12}   why: {}\n", "", a.reason);
    if (!a.changed.empty() && a.changed.size() <= 4) {
      std::string keys;
      for (const std::string& k : a.changed) {
        keys += (keys.empty() ? "" : ", ") + k;
      }
      out += fmt::format("  {:<12}   sets: {}\n", "", keys);
    } else if (!a.changed.empty()) {
      out += fmt::format("  {:<12}   sets: {} keys\n", "", a.changed.size());
    }
  }
  for (const Note& n : plan.notes) {
    out += fmt::format("  note ({}): {}{}\n", NoteName(n.kind),
                       n.key.target.empty() ? "" : n.key.ToString() + ": ", n.text);
  }
  return out;
}

std::string PlanToJson(const Plan& plan) {
  using json = nlohmann::ordered_json;
  auto key_json = [](const NodeKey& k) {
    json j = json::object();
    if (!k.target.empty()) {
      j["target"] = k.target;
      j["portal"] = FormatPortal(k.address, k.port);
      j["tpgt"] = k.tpgt;
    }
    j["iface"] = k.iface;
    return j;
  };
  json actions = json::array();
  for (const Action& a : plan.actions) {
    json j = {{"action", ActionName(a.kind)}};
    j.update(key_json(a.key));
    if (a.sid >= 0) {
      j["sid"] = a.sid;
    }
    j["reason"] = a.reason;
    if (!a.changed.empty()) {
      j["changed"] = a.changed;  // key names only, never values
    }
    actions.push_back(j);
  }
  json notes = json::array();
  for (const Note& n : plan.notes) {
    json j = {{"note", NoteName(n.kind)}};
    if (!n.key.target.empty()) {
      j.update(key_json(n.key));
    }
    if (n.sid >= 0) {
      j["sid"] = n.sid;
    }
    j["text"] = n.text;
    notes.push_back(j);
  }
  json out = {{"converged", plan.actions.empty() && !plan.Blocked()},
              {"actions", actions},
              {"notes", notes}};
  return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace iscsictl
