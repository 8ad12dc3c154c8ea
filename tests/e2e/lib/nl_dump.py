#!/usr/bin/env python3
"""Dump the iscsi_iface generic netlink family with nothing but the kernel ABI.

Used by the lab scenarios to test the module independently of iscsictl: prints one
JSON object per message ({"host": {...}} or {"session": {...}}, with "part" for the
continuation of a session), then {"done": ERRNO} with the error carried by
NLMSG_DONE (0 when the dump ended well) or {"error": ERRNO}. Attribute numbers are
read from kmod/uapi/iscsi_iface_nl.h, so they cannot drift from the module's.
"""
import json
import os
import re
import socket
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
UAPI = os.path.join(HERE, "..", "..", "..", "kmod", "uapi", "iscsi_iface_nl.h")

NLMSG_ERROR, NLMSG_DONE = 2, 3
NLM_F_REQUEST, NLM_F_DUMP = 0x1, 0x300
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
NLA_F_NESTED = 1 << 15


def enum_values(text, name):
    body = re.search(r"enum %s \{(.*?)\};" % name, text, re.S).group(1)
    out, n = {}, 0
    for line in body.splitlines():
        m = re.match(r"\s*(\w+)\s*(?:=\s*(\d+))?,", line)
        if m:
            if m.group(2):
                n = int(m.group(2))
            out[m.group(1)] = n
            n += 1
    return out


def attrs(buf):
    off = 0
    while off + 4 <= len(buf):
        ln, typ = struct.unpack_from("HH", buf, off)
        if ln < 4:
            break
        yield typ & ~NLA_F_NESTED, buf[off + 4:off + ln]
        off += (ln + 3) & ~3


BUFSIZE = 1 << 20


def msgs(sock):
    while True:
        data = sock.recv(BUFSIZE)
        off = 0
        while off + 16 <= len(data):
            ln, typ, flags, seq, pid = struct.unpack_from("IHHII", data, off)
            yield typ, data[off + 16:off + ln]
            off += (ln + 3) & ~3


def family_id(sock, name):
    payload = struct.pack("BBH", CTRL_CMD_GETFAMILY, 1, 0)
    nm = name.encode() + b"\0"
    payload += struct.pack("HH", 4 + len(nm), CTRL_ATTR_FAMILY_NAME) + nm
    payload += b"\0" * ((4 - len(payload) % 4) % 4)
    sock.send(struct.pack("IHHII", 16 + len(payload), GENL_ID_CTRL, NLM_F_REQUEST, 1, 0) + payload)
    for typ, body in msgs(sock):
        if typ == NLMSG_ERROR:
            err = struct.unpack_from("i", body)[0]
            if err:
                sys.exit("no family %s: errno %d" % (name, -err))
            continue
        for a, v in attrs(body[4:]):
            if a == CTRL_ATTR_FAMILY_ID:
                return struct.unpack_from("H", v)[0]


def main():
    global BUFSIZE
    # --bufsize N: receive with an N-byte buffer (the kernel sizes later dump
    # messages after it, so a small one makes a big session span messages).
    if len(sys.argv) > 2 and sys.argv[1] == "--bufsize":
        BUFSIZE = int(sys.argv[2])
    text = open(UAPI).read()
    cmds = enum_values(text, "iia_cmd")
    names = {v: k[len("IIA_A_"):].lower() for k, v in enum_values(text, "iia_attr").items()}
    nested = {"host", "session", "conn", "dev"}
    ints = {"host_no", "sid", "cid", "tpgt", "port", "persistent_port", "local_port",
            "ifindex", "session_part"}

    def decode(buf):
        obj = {}
        for a, v in attrs(buf):
            key = names.get(a, str(a))
            if key in nested:
                val = decode(v)
                obj.setdefault(key + "s", []).append(val) if key in ("conn", "dev") else obj.__setitem__(key, val)
            elif key in ints:
                obj[key] = struct.unpack_from("I", v)[0]
            elif key in ("iface_hwaddr", "hba_hwaddr"):
                obj[key] = ":".join("%02x" % b for b in v)
            elif key == "recovery_tmo":
                obj[key] = struct.unpack_from("i", v)[0]
            else:
                obj[key] = v.rstrip(b"\0").decode(errors="replace")
        return obj

    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
    sock.bind((0, 0))
    fam = family_id(sock, "iscsi_iface")
    hdr = struct.pack("BBH", cmds["IIA_CMD_GET"], 1, 0)
    sock.send(struct.pack("IHHII", 16 + len(hdr), fam, NLM_F_REQUEST | NLM_F_DUMP, 2, 0) + hdr)
    for typ, body in msgs(sock):
        if typ == NLMSG_DONE:
            err = struct.unpack_from("i", body)[0] if len(body) >= 4 else 0
            print(json.dumps({"done": -err}))
            return 0 if not err else 1
        if typ == NLMSG_ERROR:
            print(json.dumps({"error": -struct.unpack_from("i", body)[0]}))
            return 1
        print(json.dumps(decode(body[4:])), flush=True)


if __name__ == "__main__":
    sys.exit(main())
