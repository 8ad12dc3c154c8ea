#include "report/doctor_report.h"

#include <fmt/format.h>

#include "report/text_escape.h"

namespace iscsictl {
namespace {

std::string Count(size_t n, const char* one, const char* many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string Checked(const DoctorChecked& c) {
  std::string s = fmt::format("{} of {}, {}", Count(c.nics, "NIC", "NICs"),
                              Count(c.targets, "target", "targets"),
                              Count(c.probes, "NIC-portal pair", "NIC-portal pairs"));
  s += c.multipathd ? ", multipathd" : "";
  if (c.unbound > 0) {
    s += fmt::format("; {} not bound to a NIC, not checked",
                     Count(c.unbound, "session", "sessions"));
  }
  if (c.absent > 0) {
    s += fmt::format("; {} with no NIC present", Count(c.absent, "session", "sessions"));
  }
  return s;
}

}  // namespace

std::string FormatDoctor(const std::vector<DoctorFinding>& findings, const DoctorChecked& checked) {
  std::string out;
  for (const DoctorFinding& f : findings) {
    out += EscapeUnprintable(fmt::format("doctor: {}: {}\n", f.check, f.what));
    for (const std::string& line : f.fix) {
      out += EscapeUnprintable(fmt::format("  fix: {}\n", line));
    }
  }
  if (findings.empty()) {
    out += fmt::format("doctor: OK (checked {})\n", Checked(checked));
  } else {
    out += fmt::format("doctor: {} (checked {})\n", Count(findings.size(), "finding", "findings"),
                       Checked(checked));
  }
  return out;
}

nlohmann::ordered_json DoctorToJson(const std::vector<DoctorFinding>& findings,
                                    const DoctorChecked& checked) {
  using ojson = nlohmann::ordered_json;
  ojson list = ojson::array();
  for (const DoctorFinding& f : findings) {
    list.push_back(ojson{{"check", f.check}, {"what", f.what}, {"fix", f.fix}});
  }
  return ojson{{"schema_version", 1},
               {"ok", findings.empty()},
               {"findings", list},
               {"checked",
                {{"targets", checked.targets},
                 {"nics", checked.nics},
                 {"probes", checked.probes},
                 {"multipathd", checked.multipathd},
                 {"unbound_sessions", checked.unbound},
                 {"absent_sessions", checked.absent}}}};
}

}  // namespace iscsictl
