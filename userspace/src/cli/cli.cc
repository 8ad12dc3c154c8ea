#include "cli/cli.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "base/core_dumps.h"
#include "base/version.h"
#include "cli/cmd_daemon.h"
#include "cli/cmd_doctor.h"
#include "cli/cmd_import.h"
#include "cli/cmd_monitor.h"
#include "cli/cmd_reconcile.h"
#include "cli/cmd_status.h"
#include "cli/multipath_advice.h"
#include "config/config_json.h"
#include "config/config_load.h"

namespace iscsictl {
namespace {

nlohmann::ordered_json DescribeSession(const DesiredSession& d) {
  using ojson = nlohmann::ordered_json;
  ojson j = SessionParamsToJson(d.params);
  // Never show a secret: a file reference stays, an inline value is hidden.
  for (const char* key : {"password", "password_in"}) {
    if (j.contains("auth") && j["auth"].contains(key)) {
      j["auth"][key] = "(inline, hidden)";
    }
  }
  ojson conns = ojson::array();
  for (const ConnParams& c : d.conns) {
    conns.push_back(ConnParamsToJson(c));
  }
  ojson out = ojson::object();
  out["defined_at"] = d.pointer;
  out["target"] = d.target;
  out["tpgt"] = d.tpgt ? ojson(*d.tpgt) : ojson();
  out["transport"] = d.transport;
  out["startup"] = d.startup;
  out["iface"] = IfaceToJson(d.iface);
  out["session"] = j;
  out["conns"] = conns;
  return out;
}

int Validate(const std::string& path, bool resolved, std::ostream& out, std::ostream& err) {
  LoadedConfig loaded = LoadConfigFile(path);
  if (!loaded.ok()) {
    for (const ConfigError& e : loaded.errors) {
      err << e.ToString() << "\n";
    }
    return kExitBadInput;
  }
  for (const std::string& w : loaded.warnings) {
    err << "iscsictl: " << w << "\n";
  }
  // Warnings only: the file is valid whatever multipathd says.
  (void)PrintMultipathAdvice(loaded.sessions, RealMultipathIo(), err);
  if (resolved) {
    nlohmann::ordered_json sessions = nlohmann::ordered_json::array();
    for (const DesiredSession& d : loaded.sessions) {
      sessions.push_back(DescribeSession(d));
    }
    out << sessions.dump(2) << "\n";
  } else {
    out << fmt::format("{}: OK ({} targets, {} sessions)\n", path, loaded.config.targets.size(),
                       loaded.sessions.size());
  }
  return kExitOk;
}

}  // namespace

int RunCli(int argc, char** argv) {
  return RunCli(argc, argv, std::cout, std::cerr);
}

namespace {

int RunCliUnchecked(int argc, char** argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"iscsictl: declarative control plane for multi-NIC iSCSI", "iscsictl"};
  app.set_version_flag("--version", std::string(Version()));
  std::string config_path = kDefaultConfigPath;
  app.add_option("-c,--config", config_path, "Configuration file")->capture_default_str();
  app.require_subcommand(0, 1);

  CLI::App* validate = app.add_subcommand(
      "validate", "Check a configuration file (syntax, schema, semantics); exit 2 if it is bad");
  std::string validate_file;
  bool resolved = false;
  validate->add_option("FILE", validate_file, "File to check (default: the -c file)");
  validate->add_flag("--resolved", resolved,
                     "Print the resolved sessions with every parameter (secrets redacted)");

  CLI::App* import = app.add_subcommand(
      "import", "Print a config equivalent to existing open-iscsi node and iface records");
  ImportOptions import_options;
  import->add_option("--root", import_options.root,
                     "Directory holding the open-iscsi database (default /etc/iscsi)");
  import->add_flag("--stdin", import_options.from_stdin,
                   "Read `iscsiadm -m node -o show` output from standard input");
  import
      ->add_option("--secrets-dir", import_options.secrets_dir,
                   "Where the config refers to CHAP secret files")
      ->capture_default_str();
  import->add_flag("--write-secrets", import_options.write_secrets,
                   "Create the referenced secret files (mode 600, never overwritten)");

  StatusCommands status_commands(app, config_path);
  ReconcileCommands reconcile_commands(app, config_path);
  MonitorCommand monitor_command(app);
  DaemonCommand daemon_command(app, config_path);
  DoctorCommand doctor_command(app, config_path);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e, out, err) == 0 ? kExitOk : kExitBadInput;
  }
  if (validate->parsed()) {
    return Validate(validate_file.empty() ? config_path : validate_file, resolved, out, err);
  }
  if (import->parsed()) {
    return RunImport(import_options, std::cin, out, err);
  }
  if (std::optional<int> status = daemon_command.Run()) {
    return *status;
  }
  if (std::optional<int> status = reconcile_commands.Run(status_commands.mode(), out, err)) {
    return *status;
  }
  if (std::optional<int> status = status_commands.Run(out, err)) {
    return *status;
  }
  if (std::optional<int> status = doctor_command.Run(out, err)) {
    return *status;
  }
  if (std::optional<int> status = monitor_command.Run(out, err)) {
    return *status;
  }
  out << app.help();
  return kExitOk;
}

}  // namespace

int RunCli(int argc, char** argv, std::ostream& out, std::ostream& err) {
  // Before any config (and so any secret) is read, whatever the command (docs/security.md).
  (void)DisableCoreDumps();
  // No exception ends the process: input nothing else caught (bytes that are not UTF-8 in a
  // foreign record, a JSON library refusal) is bad input, exit 2, with what was refused.
  try {
    return RunCliUnchecked(argc, argv, out, err);
  } catch (const nlohmann::json::exception& e) {
    std::string what = e.what();
    if (auto p = what.find("] "); what.starts_with("[json.exception") && p != std::string::npos) {
      what = what.substr(p + 2);
    }
    err << fmt::format("iscsictl: refused input: {}\n", what);
  } catch (const std::exception& e) {
    err << fmt::format("iscsictl: error: {}\n", e.what());
  }
  return kExitBadInput;
}

}  // namespace iscsictl
