#include "plan/record_fields.h"

#include <doctest/doctest.h>

namespace iscsictl {

TEST_CASE("records: node fields carry every parameter in open-iscsi's spelling") {
  DesiredSession d;
  d.target = "iqn.2003-01.org.x:t";
  d.startup = "manual";
  d.params = BuiltinSessionParams();
  d.params.authmethod = "CHAP";
  d.params.password = Secret{"inline", ""};
  d.params.password_in = Secret{"", "/s/in"};
  d.conns = {BuiltinConnParams()};
  d.conns[0].address = "10.0.0.1";
  NodeKey k{d.target, "10.0.0.1", 3260, 1, "ictl-5254000b0001"};
  RecordFields f =
      NodeFields(d, k, IfaceFields(k.iface, "52:54:00:0b:00:01"), {{"/s/in", "fromfile"}});
  CHECK(f.at("node.name") == d.target);
  CHECK(f.at("node.tpgt") == "1");
  CHECK(f.at("iface.iscsi_ifacename") == "ictl-5254000b0001");
  CHECK(f.at("iface.hwaddress") == "52:54:00:0b:00:01");
  CHECK(f.at("node.session.iscsi.InitialR2T") == "No");
  CHECK(f.at("node.session.iscsi.ImmediateData") == "Yes");
  CHECK(f.at("node.session.initial_login_retry_max") == "8");
  CHECK(f.at("node.conn[0].iscsi.MaxRecvDataSegmentLength") == "262144");
  CHECK(f.at("node.session.auth.password") == "inline");
  CHECK(f.at("node.session.auth.password_in") == "fromfile");
  CHECK(IsSecretKey("node.session.auth.password_in"));
  CHECK_FALSE(IsSecretKey("node.session.auth.username"));
}

TEST_CASE("records: keys open-iscsi 2.1 refuses are never written, and a record with one differs") {
  DesiredSession d;
  d.target = "iqn.2003-01.org.x:t";
  d.startup = "manual";
  d.params = BuiltinSessionParams();
  d.conns = {BuiltinConnParams()};  // sets active, idle and ping timeouts, as the request did
  NodeKey k{d.target, "10.0.0.1", 3260, 1, "ictl-default"};
  RecordFields f = NodeFields(d, k, IfaceFields(k.iface, ""), {});
  for (const char* key : {"node.conn[0].timeo.active_timeout", "node.conn[0].timeo.idle_timeout",
                          "node.conn[0].timeo.ping_timeout"}) {
    CAPTURE(key);
    CHECK(IsObsoleteKey(key));
    CHECK(f.count(key) == 0);
  }
  CHECK(f.at("node.conn[0].timeo.noop_out_timeout") == "5");
  CHECK_FALSE(IsObsoleteKey("node.conn[0].timeo.login_timeout"));
  RecordFields old = f;  // what earlier versions wrote
  old["node.conn[0].timeo.idle_timeout"] = "60";
  CHECK(ChangedKeys(f, f).empty());
  CHECK(ChangedKeys(f, old) == std::vector<std::string>{"node.conn[0].timeo.idle_timeout"});
}

}  // namespace iscsictl
