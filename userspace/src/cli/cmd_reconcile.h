// `iscsictl plan | apply | reload | login | logout | discover`, and the original request's
// spellings `iscsictl -m node -T IQN -p IP --reload` and `... -I MAC --login|--logout`.
#pragma once

#include <CLI/CLI.hpp>
#include <iosfwd>
#include <optional>
#include <string>

#include "base/process.h"
#include "exec/reconcile.h"

namespace iscsictl {

class ReconcileCommands {
 public:
  ReconcileCommands(CLI::App& app, const std::string& config_path);
  ReconcileCommands(const ReconcileCommands&) = delete;
  ReconcileCommands& operator=(const ReconcileCommands&) = delete;

  // After parsing: the exit status if one of these commands was given, else nullopt.
  // `mode` is the top-level -m value ("node" selects the request's spellings).
  std::optional<int> Run(const std::string& mode, std::ostream& out, std::ostream& err);

 private:
  int RunPlan(std::ostream& out, std::ostream& err);
  int RunApply(const Scope& scope, std::ostream& err);
  int RunLogin(std::ostream& err);
  int RunLogout(std::ostream& err);
  int RunDiscover(std::ostream& out, std::ostream& err);
  int RunNodeMode(std::ostream& err);
  int CarryOutAndReport(ReconcileRun& run, std::ostream& err);
  // -T/-p/-I as a scope; nullopt, or why they are bad.
  std::optional<std::string> MakeScope(const Gathered& in, Scope& scope) const;

  const std::string& config_path_;
  ReconcileEnv env_;
  RealCommandRunner runner_;
  CLI::App* plan_ = nullptr;
  CLI::App* apply_ = nullptr;
  CLI::App* reload_ = nullptr;
  CLI::App* login_ = nullptr;
  CLI::App* logout_ = nullptr;
  CLI::App* discover_ = nullptr;
  bool json_ = false;
  bool force_ = false;
  int jobs_ = 8;
  int path_wait_s_ = -1;  // --path-wait; -1: not given
  std::string target_, portal_, iface_, host_;
  // -m node spellings
  bool m_login_ = false, m_logout_ = false, m_reload_ = false;
};

}  // namespace iscsictl
