#!/usr/bin/env python3
"""Direct-I/O writer of the multipath scenarios (tests/e2e/lib/mpath.sh).

  mpath_writer.py write DEV STATE STOPFILE   write chunks round and round with O_DIRECT
      until STOPFILE exists; chunk k of pass p holds the text "k:p;" repeated. Every
      completed write is recorded in STATE (JSON: the pass each chunk holds, writes,
      errors, the longest write in ms), rewritten every second and at the end.
  mpath_writer.py verify DEV STATE           read every chunk back (O_DIRECT) and compare
      it with what STATE says it holds; prints "verified N chunks" or the first mismatch
      and exits 1.
"""
import json
import mmap
import os
import sys
import time

CHUNK = 256 * 1024
CHUNKS = 32  # 8 MiB


def pattern(k, p):
    unit = b"%d:%d;" % (k, p)
    return (unit * (CHUNK // len(unit) + 1))[:CHUNK]


def save(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(state, f)
    os.replace(tmp, path)


def write(dev, path, stop):
    buf = mmap.mmap(-1, CHUNK)  # page-aligned, as O_DIRECT wants
    fd = os.open(dev, os.O_WRONLY | os.O_DIRECT)
    state = {"held": [None] * CHUNKS, "writes": 0, "errors": 0, "max_ms": 0.0,
             "error_text": ""}
    p = 0
    last_save = time.monotonic()
    while not os.path.exists(stop):
        for k in range(CHUNKS):
            buf.seek(0)
            buf.write(pattern(k, p))
            t0 = time.monotonic()
            try:
                n = os.pwrite(fd, buf, k * CHUNK)
                if n != CHUNK:
                    raise OSError("short write %d" % n)
                state["held"][k] = p
                state["writes"] += 1
            except OSError as e:
                state["errors"] += 1
                state["held"][k] = -1  # unknown now
                state["error_text"] = str(e)
            ms = (time.monotonic() - t0) * 1000
            state["max_ms"] = max(state["max_ms"], round(ms, 1))
            if time.monotonic() - last_save > 1:
                save(path, state)
                last_save = time.monotonic()
        p += 1
    os.close(fd)
    save(path, state)


def verify(dev, path):
    with open(path) as f:
        state = json.load(f)
    buf = mmap.mmap(-1, CHUNK)
    fd = os.open(dev, os.O_RDONLY | os.O_DIRECT)
    n = 0
    for k, p in enumerate(state["held"]):
        if p is None or p < 0:
            continue
        if os.preadv(fd, [buf], k * CHUNK) != CHUNK or buf[:] != pattern(k, p):
            print("chunk %d: not pass %d's data (%r...)" % (k, p, bytes(buf[:16])))
            return 1
        n += 1
    print("verified %d chunks" % n)
    return 0 if n > 0 else 1


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "write":
        write(sys.argv[2], sys.argv[3], sys.argv[4])
        return 0
    if len(sys.argv) == 4 and sys.argv[1] == "verify":
        return verify(sys.argv[2], sys.argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
