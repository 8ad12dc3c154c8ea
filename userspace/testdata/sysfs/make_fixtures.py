#!/usr/bin/env python3
"""Writes the recorded sysfs trees the live-state unit tests read.

The layout copies what Debian's 6.1 kernel shows in the lab (iscsi_tcp hosts under
/sys/devices/platform, e1000e NICs on q35 root ports) and, for the offload case that the
lab cannot build, what qla4xxx creates: one Scsi_Host per PCI function, its iscsi_host
showing the card's own hwaddress and ipaddress and no netdev. Only the attributes
iscsictl reads are recorded. An attribute whose read fails in the kernel (a connection's
`address` while it is in recovery: -ENOTCONN) is recorded as a directory, whose read
fails too (EISDIR). Run it from this directory to regenerate; the output is committed.
"""
import os
import shutil
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def write(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    mode = "wb" if isinstance(text, bytes) else "w"
    with open(path, mode) as f:
        f.write(text if isinstance(text, bytes) else text + "\n")


def unreadable(root, rel):
    write(root, rel + "/.unreadable", "read() of this attribute fails in the kernel")


def link(root, rel, target):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if os.path.lexists(path):
        return
    os.symlink(os.path.relpath(os.path.join(root, target), os.path.dirname(path)), path)


def attrs(root, base, values):
    for k, v in values.items():
        if v is None:
            unreadable(root, f"{base}/{k}")
        else:
            write(root, f"{base}/{k}", str(v))


def host(root, parent, n, driver, values, module=None):
    dev = f"{parent}/host{n}"
    attrs(root, f"{dev}/iscsi_host/host{n}", values)
    if module is not None:
        attrs(root, f"{dev}/iscsi_host/host{n}", module)
    write(root, f"{dev}/scsi_host/host{n}/proc_name", driver)
    link(root, f"sys/class/iscsi_host/host{n}", f"{dev}/iscsi_host/host{n}")
    link(root, f"sys/class/scsi_host/host{n}", f"{dev}/scsi_host/host{n}")
    return dev


SESSION_PARAMS = {
    "recovery_tmo": 120, "initial_r2t": 0, "immediate_data": 1, "first_burst_len": 262144,
    "max_burst_len": 16776192, "max_outstanding_r2t": 1, "erl": 0,
}
CONN_PARAMS = {
    "max_recv_dlength": 262144, "max_xmit_dlength": 262144, "header_digest": "None",
    "data_digest": "None",
}


def session(root, hostdev, hn, sid, target, state, ifacename, conn, disks, module=None):
    dev = f"{hostdev}/session{sid}"
    values = {"targetname": target, "tpgt": 1, "state": state, "ifacename": ifacename}
    values.update(SESSION_PARAMS)
    attrs(root, f"{dev}/iscsi_session/session{sid}", values)
    link(root, f"sys/class/iscsi_session/session{sid}", f"{dev}/iscsi_session/session{sid}")
    cdir = f"{dev}/connection{sid}:0/iscsi_connection/connection{sid}:0"
    cvalues = dict(CONN_PARAMS)
    cvalues.update(conn)
    attrs(root, cdir, cvalues)
    if module is not None:
        attrs(root, cdir, module)
    link(root, f"sys/class/iscsi_connection/connection{sid}:0", cdir)
    for lun, (sd, dstate, holders) in enumerate(disks):
        ludev = f"{dev}/target{hn}:0:0/{hn}:0:0:{lun}"
        write(root, f"{ludev}/state", dstate)
        bdev = f"{ludev}/block/{sd}"
        write(root, f"{bdev}/dev", f"8:{16 * (ord(sd[-1]) - ord('a'))}")
        link(root, f"sys/class/block/{sd}", bdev)
        for h in holders:
            write(root, f"sys/devices/virtual/block/{h}/dm/name", "mpath-" + h)
            link(root, f"sys/class/block/{h}", f"sys/devices/virtual/block/{h}")
            link(root, f"{bdev}/holders/{h}", f"sys/devices/virtual/block/{h}")


def dsn_config(serial):
    """A 4 KiB PCIe config space whose only extended capability is the DSN."""
    cfg = bytearray(4096)
    cfg[0:4] = struct.pack("<HH", 0x8086, 0x10D3)
    # Extended capability header at 0x100: ID 0x0003 (DSN), version 1, next 0.
    cfg[0x100:0x104] = struct.pack("<I", 0x0003 | (1 << 16))
    cfg[0x104:0x10C] = struct.pack("<Q", serial)
    return bytes(cfg)


def nic(root, name, mac, pci=None, driver=None, serial=None, operstate="up"):
    if pci:
        pdev = f"sys/devices/pci0000:00/0000:00:1{pci[6]}.0/{pci}"
        dev = f"{pdev}/net/{name}"
        # As the kernel writes it (os.path.relpath would shorten it to "../..").
        os.makedirs(os.path.join(root, dev), exist_ok=True)
        os.symlink(f"../../../{pci}", os.path.join(root, dev, "device"))
        link(root, f"{pdev}/driver", f"sys/bus/pci/drivers/{driver}")
        os.makedirs(os.path.join(root, f"sys/bus/pci/drivers/{driver}"), exist_ok=True)
        if serial is not None:
            write(root, f"{pdev}/config", dsn_config(serial))
    else:
        dev = f"sys/devices/virtual/net/{name}"
    write(root, f"{dev}/address", mac)
    write(root, f"{dev}/operstate", operstate)
    write(root, f"{dev}/carrier", "1" if operstate == "up" else "0")
    link(root, f"sys/class/net/{name}", dev)


IQN = "iqn.2026-11.lab.target:status"


def software(root, module):
    """Three iscsi_tcp sessions: two LOGGED_IN over veth NICs (both LUs under one
    multipath map), one FAILED over an e1000e NIC whose connection is in recovery."""
    if module:
        write(root, "sys/module/iscsi_iface_attrs/refcnt", "0")
    nic(root, "ve0", "02:00:00:00:05:00")
    nic(root, "ve1", "02:00:00:00:05:01")
    nic(root, "enp2s0", "52:54:00:0b:00:01", pci="0000:02:00.0", driver="e1000e",
        serial=0x525400FFFF0B0001)
    plat = "sys/devices/platform"
    rows = [
        # host, netdev, ip, sid, state, portal, local port, NIC MAC, disk
        (2, "ve0", "10.33.0.101", 1, "LOGGED_IN", "10.33.0.10", 40001, "02:00:00:00:05:00",
         ("sda", "running", ["dm-0"])),
        (3, "ve1", "10.33.0.102", 2, "LOGGED_IN", "10.33.0.11", 40002, "02:00:00:00:05:01",
         ("sdb", "running", ["dm-0"])),
        (4, "enp2s0", "10.33.0.103", 3, "FAILED", "10.33.0.10", None, "52:54:00:0b:00:01",
         ("sdc", "blocked", [])),
    ]
    for hn, netdev, ip, sid, state, portal, lport, mac, disk in rows:
        up = lport is not None
        hmod = None
        if module:
            hmod = {"hba_hwaddress": mac if up else "",
                    "hba_serial": "52-54-00-ff-ff-0b-00-01" if up and netdev == "enp2s0" else "",
                    "hba_pci_slot": "0000:02:00.0" if up and netdev == "enp2s0" else ""}
        # iscsid pushes its iface record's netdev; hwaddress stays "default" when the
        # record binds by name.
        hdev = host(root, plat, hn, "iscsi_tcp",
                    {"netdev": netdev, "hwaddress": "default", "ipaddress": ip}, hmod)
        conn = {"persistent_address": portal, "persistent_port": 3260,
                "address": portal if up else None, "port": 3260 if up else None,
                "local_port": lport if up else None, "state": "up" if up else "failed"}
        cmod = None
        if module:
            cmod = {"iface": netdev if up else "", "iface_hwaddress": mac if up else ""}
        session(root, hdev, hn, sid, IQN, state, "if-" + netdev, conn, [disk], cmod)


def qla4xxx(root):
    """A dual-port qla4xxx: one iscsi_host per PCI function, hwaddress from the card;
    one session on the second port, the first port idle. No module attributes."""
    parent = "sys/devices/pci0000:00/0000:00:1c.0"
    macs = {5: ("0000:03:00.0", "00:0e:1e:00:00:01", "10.33.0.201"),
            6: ("0000:03:00.1", "00:0e:1e:00:00:02", "10.33.0.202")}
    devs = {}
    for hn, (slot, mac, ip) in macs.items():
        devs[hn] = host(root, f"{parent}/{slot}", hn, "qla4xxx",
                        {"hwaddress": mac, "ipaddress": ip, "port_state": "LINK UP"})
    conn = {"persistent_address": "10.33.0.10", "persistent_port": 3260,
            "address": "10.33.0.10", "port": 3260, "local_port": 61001, "state": "up"}
    session(root, devs[6], 6, 7, "iqn.2026-11.lab.target:hba", "LOGGED_IN",
            "qla4xxx.00:0e:1e:00:00:02.ipv4.0", conn, [("sdd", "running", [])])


def main():
    for name, build in (("software", lambda r: software(r, True)),
                        ("software-nomodule", lambda r: software(r, False)),
                        ("qla4xxx", qla4xxx)):
        root = os.path.join(HERE, name)
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(root)
        build(root)


if __name__ == "__main__":
    main()
