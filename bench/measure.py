#!/usr/bin/env python3
"""Fallback for /usr/bin/time -v: run a command, write "wall_s peak_rss_kib exit" to the
file named first. Peak RSS is the child's ru_maxrss (KiB on Linux)."""

import resource
import subprocess
import sys
import time

t = time.perf_counter()
rc = subprocess.call(sys.argv[2:])
wall = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
with open(sys.argv[1], "w") as f:
    f.write(f"{wall:.2f} {rss} {rc}\n")
sys.exit(rc)
