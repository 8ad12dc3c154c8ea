// The configuration model: plain data, as read from iscsictl.json.
//
// Every parameter is optional in a layer (file-wide defaults, target defaults,
// session override, connection override); resolving merges the layers over
// BuiltinSessionParams()/BuiltinConnParams() so that a resolved session has every
// field set. Field names follow open-iscsi's node record keys.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace iscsictl {

// A CHAP secret: inline, or (better) the path of a root-only file holding it.
struct Secret {
  std::string value;  // inline secret; empty if `file` is set
  std::string file;   // absolute path; empty if inline
  bool operator==(const Secret&) const = default;
};

// open-iscsi node.session.*
struct SessionParams {
  std::optional<int64_t> initial_cmdsn;
  std::optional<int64_t> initial_login_retry_max;
  std::optional<std::string> authmethod;  // auth.: "None" or "CHAP"
  std::optional<std::string> username;
  std::optional<Secret> password;
  std::optional<std::string> username_in;  // mutual CHAP
  std::optional<Secret> password_in;
  std::optional<int64_t> replacement_timeout;  // timeo.
  std::optional<int64_t> abort_timeout;        // err_timeo.
  std::optional<int64_t> lu_reset_timeout;
  std::optional<int64_t> tgt_reset_timeout;
  std::optional<int64_t> host_reset_timeout;
  std::optional<bool> initial_r2t;  // iscsi.
  std::optional<bool> immediate_data;
  std::optional<int64_t> first_burst_length;
  std::optional<int64_t> max_burst_length;
  std::optional<int64_t> default_time2retain;
  std::optional<int64_t> default_time2wait;
  std::optional<int64_t> max_connections;
  std::optional<int64_t> max_outstanding_r2t;
  std::optional<int64_t> erl;
  bool operator==(const SessionParams&) const = default;
};

// open-iscsi node.conn[x].*
struct ConnParams {
  std::optional<std::string> address;
  std::optional<int64_t> port;
  std::optional<std::string> startup;  // manual / automatic / onboot
  std::optional<int64_t> window_size;  // tcp.
  std::optional<int64_t> type_of_service;
  std::optional<int64_t> login_timeout;  // timeo.
  std::optional<int64_t> logout_timeout;
  std::optional<int64_t> auth_timeout;
  std::optional<int64_t> active_timeout;
  std::optional<int64_t> idle_timeout;
  std::optional<int64_t> ping_timeout;
  std::optional<int64_t> noop_out_interval;
  std::optional<int64_t> noop_out_timeout;
  std::optional<int64_t> max_recv_data_segment_length;  // iscsi.
  std::optional<std::string> header_digest;  // None, CRC32C, "CRC32C,None", "None,CRC32C"
  std::optional<std::string> data_digest;
  std::optional<bool> if_marker;
  std::optional<bool> of_marker;
  bool operator==(const ConnParams&) const = default;
};

// Which NIC(s) a session goes through.
struct Iface {
  enum class Kind {
    kDefault,  // no binding: the default route (open-iscsi iface "default")
    kMac,      // value: lower-case MAC
    kNetdev,   // value: interface name
    kRecord,   // value: open-iscsi iface record name (/etc/iscsi/ifaces/<value>)
    kRule,     // subnet / name_glob / driver, all given ones must match
  };
  Kind kind = Kind::kDefault;
  std::string value;
  std::string subnet;
  std::string name_glob;
  std::string driver;
  bool operator==(const Iface&) const = default;
};

// A stable text form of an iface, used as identity ("mac=00:0e:..", "rule=subnet=..,name=..").
std::string IfaceKey(const Iface& iface);

struct SessionConfig {
  std::string pointer;  // JSON pointer of this session in the file
  Iface iface;
  SessionParams params;
  ConnParams conn_defaults;
  std::vector<ConnParams> conns;  // overrides by connection index
};

struct TargetConfig {
  std::string pointer;
  std::string name;
  std::optional<std::string> portal_address;
  std::optional<int64_t> portal_port;
  std::optional<int64_t> tpgt;
  std::string transport = "tcp";
  std::string startup = "manual";
  int64_t active_conn = 1;
  SessionParams session_defaults;
  ConnParams conn_defaults;
  bool sessions_given = false;  // false: one session over the default route
  std::vector<SessionConfig> sessions;
};

// "multipath": how apply and the daemon treat dm-multipath (docs/multipath.md).
struct MultipathConfig {
  // Seconds to wait after logins until each new session's disks are active paths of a
  // multipath map (0: no wait); unset: kDefaultPathWaitSeconds when multipathd runs.
  std::optional<int64_t> path_wait;
  bool operator==(const MultipathConfig&) const = default;
};
inline constexpr int64_t kDefaultPathWaitSeconds = 15;

struct Config {
  std::string file;  // path the config came from (for messages)
  MultipathConfig multipath;
  SessionParams session_defaults;
  ConnParams conn_defaults;
  std::vector<TargetConfig> targets;
};

// A session the host should have, with every parameter resolved.
struct DesiredSession {
  std::string pointer;  // where it was defined (target or session)
  std::string target;   // iSCSI name as written
  std::optional<int64_t> tpgt;
  std::string transport;
  std::string startup;
  Iface iface;
  SessionParams params;           // every field set
  std::vector<ConnParams> conns;  // active_conn entries, every field set

  // "<target>,<address>,<port>,<iface key>": identity used to find duplicates.
  std::string Key() const;
};

// open-iscsi's defaults (iscsid.conf / idbm) for every field.
SessionParams BuiltinSessionParams();
ConnParams BuiltinConnParams();

}  // namespace iscsictl
