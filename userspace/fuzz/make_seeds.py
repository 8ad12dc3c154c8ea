#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora (committed in corpus/): configs from the schema's
examples and the unit tests' shapes, records and iscsiadm listings from testdata, and
netlink dump messages encoded as the module sends them (attribute numbers read from
kmod/uapi). Run from anywhere: python3 userspace/fuzz/make_seeds.py"""
import glob, os, re, struct

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.dirname(os.path.dirname(here))
corpus = os.path.join(here, "corpus")


def put(target, name, data):
    d = os.path.join(corpus, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


# Configs.
for p in glob.glob(os.path.join(repo, "json-schema/examples/*.json")):
    for t in ("fuzz_config", "fuzz_config_roundtrip"):
        put(t, os.path.basename(p), open(p, "rb").read())
chap = ('{"targets": [{"name": "iqn.2001-05.com.x:t", "portal": {"address": "10.0.0.1"}, '
        '"sessions": [{"iface": "eth1"}, {"iface": {"match": {"subnet": "10.0.0.0/24"}}}], '
        '"session_defaults": {"auth": {"authmethod": "CHAP", "username": "u", '
        '"password": "FUZZSECRET1", "username_in": "t", "password_in": "FUZZSECRET2"}}}]}')
for t in ("fuzz_config", "fuzz_config_roundtrip"):
    put(t, "chap.json", chap)
    put(t, "bad-tab.json", chap.replace("FUZZSECRET1", "FUZZSECRET1\t"))
    put(t, "ipv6.json", '{"version": 1, "conn_defaults": {"timeo": {"login_timeout": 5}}, '
        '"targets": [{"name": "iqn.2001-05.com.x", "tpgt": 1, "portal": {"address": "fe80::1%eth0", '
        '"port": 3261}, "sessions": [{"iface": "00:0E:0C:C2:C1:63", "conns": [{"address": "10.0.0.2"}]}]}]}')

# Records and iscsiadm listings.
show = open(os.path.join(repo, "userspace/testdata/import/iscsiadm-node-show.txt"), "rb").read()
for t in ("fuzz_record", "fuzz_import"):
    put(t, "iscsiadm-node-show.txt", show)
for i, p in enumerate(sorted(p for p in glob.glob(os.path.join(repo, "userspace/testdata/import/etc-iscsi/**"), recursive=True) if os.path.isfile(p))):
    put("fuzz_record", "etc-iscsi-%d" % i, open(p, "rb").read())

# Netlink: nlmsghdr + genlmsghdr + attributes.
uapi = open(glob.glob(os.path.join(repo, "kmod/uapi/*.h"))[0]).read()
enum = uapi[uapi.index("IIA_A_UNSPEC"):uapi.index("__IIA_A_MAX")]
A = {n: i for i, n in enumerate(re.findall(r"\b(IIA_A_[A-Z0-9_]+)\s*,", enum))}


def attr(name, payload, nested=False):
    t = A[name] | (0x8000 if nested else 0)
    n = 4 + len(payload)
    return struct.pack("HH", n, t) + payload + b"\0" * ((4 - n % 4) % 4)


def s(name, v): return attr(name, v.encode() + b"\0")
def u32(name, v): return attr(name, struct.pack("I", v))


def msg(body):
    genl = struct.pack("BBH", 1, 1, 0)  # IIA_CMD_GET, version 1
    n = 16 + len(genl) + len(body)
    return struct.pack("IHHII", n, 0x20, 2, 1, 0) + genl + body


host = attr("IIA_A_HOST", u32("IIA_A_HOST_NO", 3) + s("IIA_A_DRIVER", "iscsi_tcp") +
            s("IIA_A_HOST_NETDEV", "eth1") + s("IIA_A_HOST_HWADDRESS", "52:54:00:0b:00:01") +
            attr("IIA_A_HBA_HWADDR", bytes.fromhex("5254000b0001")) + s("IIA_A_HBA_SERIAL", "00-11-22"),
            nested=True)
conn = attr("IIA_A_CONN", u32("IIA_A_CID", 0) + s("IIA_A_CONN_STATE", "up") +
            s("IIA_A_ADDRESS", "10.0.0.1") + u32("IIA_A_PORT", 3260) +
            s("IIA_A_PERSISTENT_ADDRESS", "10.0.0.1") + u32("IIA_A_PERSISTENT_PORT", 3260) +
            s("IIA_A_LOCAL_ADDRESS", "10.0.0.101") + s("IIA_A_IFACE", "eth1") +
            u32("IIA_A_IFINDEX", 3) + attr("IIA_A_IFACE_HWADDR", bytes.fromhex("5254000b0001")),
            nested=True)
dev = attr("IIA_A_DEV", s("IIA_A_DEV_HCTL", "3:0:0:1") + s("IIA_A_DEV_STATE", "running") +
           s("IIA_A_DEV_BLOCK", "sda"), nested=True)
session = attr("IIA_A_SESSION", u32("IIA_A_SID", 1) + u32("IIA_A_HOST_NO", 3) +
               s("IIA_A_SESSION_STATE", "LOGGED_IN") + s("IIA_A_TARGET_NAME", "iqn.2003-01.org.x:t") +
               u32("IIA_A_TPGT", 1) + s("IIA_A_IFACE_NAME", "ictl-5254000b0001") +
               attr("IIA_A_RECOVERY_TMO", struct.pack("i", 120)) + s("IIA_A_INITIAL_R2T", "Yes") +
               conn + dev, nested=True)
put("fuzz_netlink", "host", msg(host))
put("fuzz_netlink", "session", msg(session))
put("fuzz_netlink", "session-bad-utf8", msg(session.replace(b"org.x:t", b"org.x:\xff")))

# multipathd's `show config local` (the unit test's lab text) and shapes around it.
with open(os.path.join(repo, "userspace/src/sources/multipathd_config_test.cc")) as f:
    put("fuzz_multipathd_config", "show-config-local-lab",
        re.search(r'kShowConfig\[\] = R"cfg\((.*?)\)cfg";', f.read(), re.S).group(1))
put("fuzz_multipathd_config", "comments-quotes",
    '# a comment\ndefaults{\n no_path_retry queue ! trailing\n alias "say ""hi"" # not a comment"\n}\n'
    'overrides {\n no_path_retry fail\n}\n')
put("fuzz_multipathd_config", "unclosed", 'defaults {\n\tfast_io_fail_tmo 5\ndevices {\n\tdevice {\n\t\tvendor "X"\n')
put("fuzz_multipathd_config", "not-config", "fail\n")
