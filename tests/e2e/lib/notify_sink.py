#!/usr/bin/env python3
"""A stand-in for systemd's notify socket: appends every sd_notify datagram received on
the unix socket SOCKET (one line, newlines as spaces) to FILE. Used by daemon-config.sh."""
import os
import socket
import sys

path, out = sys.argv[1], sys.argv[2]
if os.path.exists(path):
    os.unlink(path)
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(path)
with open(out, "a") as f:
    while True:
        data = sock.recv(4096)
        f.write(data.decode(errors="replace").replace("\n", " ") + "\n")
        f.flush()
