#!/usr/bin/env python3
"""Two helpers for run.sh, standard library + PyYAML only.

  measure.py same KUBECTL.yaml OURS.yaml      same objects (order-insensitive, by value)? also says if byte-equal
  measure.py time RUNS DIR 'CMD A' 'CMD B'    runs A and B in turn (A B A B ...) as whole processes in DIR after
                                              one warm-up each; prints wall and CPU medians and the ratio B/A
                                              taken pair by pair, so drift in the machine's speed cancels out.
"""
import os
import shlex
import statistics
import subprocess
import sys
import time


def same(kubectl_path, ours_path):
    import yaml

    def index(path):
        with open(path, encoding="utf-8") as f:
            return {(d["apiVersion"], d["kind"], d["metadata"].get("namespace"), d["metadata"]["name"]): d
                    for d in yaml.safe_load_all(f) if d}

    a, b = index(kubectl_path), index(ours_path)
    if a != b:
        print(f"OUTPUTS DIFFER ({len(a)} objects from kubectl, {len(b)} from gitops)")
        return 1
    with open(kubectl_path, "rb") as f1, open(ours_path, "rb") as f2:
        identical = f1.read() == f2.read()
    print(f"{len(a)} objects, equal to kubectl kustomize" + (" (byte for byte)" if identical else
          " (as objects; the text differs)"))
    return 0


def run_once(cmd, cwd):
    start = time.perf_counter()
    proc = subprocess.Popen(shlex.split(cmd), cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {cmd}")
    return wall, usage.ru_utime + usage.ru_stime


def timing(runs, cwd, cmd_a, cmd_b):
    run_once(cmd_a, cwd), run_once(cmd_b, cwd)  # warm-up: file cache, page cache of the binaries
    a, b = [], []
    for _ in range(runs):
        a.append(run_once(cmd_a, cwd))
        b.append(run_once(cmd_b, cwd))
    med = lambda xs: statistics.median(xs)
    wall_ratio = med([y[0] / x[0] for x, y in zip(a, b)])
    cpu_ratio = med([y[1] / x[1] for x, y in zip(a, b)])
    print(f"  {cmd_a}: wall median {med([x[0] for x in a]) * 1000:.0f} ms, cpu median {med([x[1] for x in a]) * 1000:.0f} ms")
    print(f"  {cmd_b}: wall median {med([x[0] for x in b]) * 1000:.0f} ms, cpu median {med([x[1] for x in b]) * 1000:.0f} ms")
    print(f"  ratio (second / first, median of {runs} pairs): wall {wall_ratio:.1f}x, cpu {cpu_ratio:.1f}x")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "same":
        sys.exit(same(sys.argv[2], sys.argv[3]))
    if len(sys.argv) == 6 and sys.argv[1] == "time":
        sys.exit(timing(int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]))
    sys.exit(__doc__)
