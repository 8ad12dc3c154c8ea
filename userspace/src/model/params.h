// Field tables of SessionParams / ConnParams: the one place that names every
// parameter (JSON path and open-iscsi key), used by merge, JSON conversion and import.
#pragma once

#include <string_view>
#include <tuple>

#include "model/config.h"

namespace iscsictl {

template <class S, class T>
struct Field {
  std::string_view json;  // slash-separated path inside the params object
  std::string_view key;   // open-iscsi node record key
  std::optional<T> S::*member;
};

template <class S, class T>
constexpr Field<S, T> MakeField(std::string_view json, std::string_view key,
                                std::optional<T> S::*member) {
  return {json, key, member};
}

inline constexpr auto kSessionFields = std::make_tuple(
    MakeField("initial_cmdsn", "node.session.initial_cmdsn", &SessionParams::initial_cmdsn),
    MakeField("initial_login_retry_max", "node.session.initial_login_retry_max",
              &SessionParams::initial_login_retry_max),
    MakeField("auth/authmethod", "node.session.auth.authmethod", &SessionParams::authmethod),
    MakeField("auth/username", "node.session.auth.username", &SessionParams::username),
    MakeField("auth/password", "node.session.auth.password", &SessionParams::password),
    MakeField("auth/username_in", "node.session.auth.username_in", &SessionParams::username_in),
    MakeField("auth/password_in", "node.session.auth.password_in", &SessionParams::password_in),
    MakeField("timeo/replacement_timeout", "node.session.timeo.replacement_timeout",
              &SessionParams::replacement_timeout),
    MakeField("err_timeo/abort_timeout", "node.session.err_timeo.abort_timeout",
              &SessionParams::abort_timeout),
    MakeField("err_timeo/lu_reset_timeout", "node.session.err_timeo.lu_reset_timeout",
              &SessionParams::lu_reset_timeout),
    MakeField("err_timeo/tgt_reset_timeout", "node.session.err_timeo.tgt_reset_timeout",
              &SessionParams::tgt_reset_timeout),
    MakeField("err_timeo/host_reset_timeout", "node.session.err_timeo.host_reset_timeout",
              &SessionParams::host_reset_timeout),
    MakeField("iscsi/InitialR2T", "node.session.iscsi.InitialR2T", &SessionParams::initial_r2t),
    MakeField("iscsi/ImmediateData", "node.session.iscsi.ImmediateData",
              &SessionParams::immediate_data),
    MakeField("iscsi/FirstBurstLength", "node.session.iscsi.FirstBurstLength",
              &SessionParams::first_burst_length),
    MakeField("iscsi/MaxBurstLength", "node.session.iscsi.MaxBurstLength",
              &SessionParams::max_burst_length),
    MakeField("iscsi/DefaultTime2Retain", "node.session.iscsi.DefaultTime2Retain",
              &SessionParams::default_time2retain),
    MakeField("iscsi/DefaultTime2Wait", "node.session.iscsi.DefaultTime2Wait",
              &SessionParams::default_time2wait),
    MakeField("iscsi/MaxConnections", "node.session.iscsi.MaxConnections",
              &SessionParams::max_connections),
    MakeField("iscsi/MaxOutstandingR2T", "node.session.iscsi.MaxOutstandingR2T",
              &SessionParams::max_outstanding_r2t),
    MakeField("iscsi/ERL", "node.session.iscsi.ERL", &SessionParams::erl));

inline constexpr auto kConnFields = std::make_tuple(
    MakeField("address", "node.conn[0].address", &ConnParams::address),
    MakeField("port", "node.conn[0].port", &ConnParams::port),
    MakeField("startup", "node.conn[0].startup", &ConnParams::startup),
    MakeField("tcp/window_size", "node.conn[0].tcp.window_size", &ConnParams::window_size),
    MakeField("tcp/type_of_service", "node.conn[0].tcp.type_of_service",
              &ConnParams::type_of_service),
    MakeField("timeo/login_timeout", "node.conn[0].timeo.login_timeout",
              &ConnParams::login_timeout),
    MakeField("timeo/logout_timeout", "node.conn[0].timeo.logout_timeout",
              &ConnParams::logout_timeout),
    MakeField("timeo/auth_timeout", "node.conn[0].timeo.auth_timeout", &ConnParams::auth_timeout),
    MakeField("timeo/active_timeout", "node.conn[0].timeo.active_timeout",
              &ConnParams::active_timeout),
    MakeField("timeo/idle_timeout", "node.conn[0].timeo.idle_timeout", &ConnParams::idle_timeout),
    MakeField("timeo/ping_timeout", "node.conn[0].timeo.ping_timeout", &ConnParams::ping_timeout),
    MakeField("timeo/noop_out_interval", "node.conn[0].timeo.noop_out_interval",
              &ConnParams::noop_out_interval),
    MakeField("timeo/noop_out_timeout", "node.conn[0].timeo.noop_out_timeout",
              &ConnParams::noop_out_timeout),
    MakeField("iscsi/MaxRecvDataSegmentLength", "node.conn[0].iscsi.MaxRecvDataSegmentLength",
              &ConnParams::max_recv_data_segment_length),
    MakeField("iscsi/HeaderDigest", "node.conn[0].iscsi.HeaderDigest", &ConnParams::header_digest),
    MakeField("iscsi/DataDigest", "node.conn[0].iscsi.DataDigest", &ConnParams::data_digest),
    MakeField("iscsi/IFMarker", "node.conn[0].iscsi.IFMarker", &ConnParams::if_marker),
    MakeField("iscsi/OFMarker", "node.conn[0].iscsi.OFMarker", &ConnParams::of_marker));

// Calls f(field) for every Field of the tuple.
template <class Fields, class F>
constexpr void ForEachField(const Fields& fields, F&& f) {
  std::apply([&](const auto&... field) { (f(field), ...); }, fields);
}

// Fields set in `over` replace those in `base`.
SessionParams Merge(const SessionParams& base, const SessionParams& over);
ConnParams Merge(const ConnParams& base, const ConnParams& over);

// True if every field is set.
bool IsComplete(const SessionParams& p);
bool IsComplete(const ConnParams& p);

}  // namespace iscsictl
