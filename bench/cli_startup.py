"""CLI start-up benchmark: `custodian --help` and `custodian legal validate` against a bare interpreter.

Each command runs as a fresh process in this virtualenv, alternating with `python -c pass` so the machine's
load falls on both alike; the figure is the median of the runs, divided by the bare interpreter's median.

    python bench/cli_startup.py            # 10 runs of each
    CUSTODIAN_BENCH_RUNS=30 python bench/cli_startup.py
Targets (issue 14): --help <= 15x the bare interpreter; `legal validate` on a small file <= 25x.
Exits 1 when a target is missed.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sample_request import law_enforcement_request

ROOT = Path(__file__).resolve().parents[1]
POLICY = ROOT / "examples" / "policies" / "002-spectrumvoip.yaml"
RUNS = int(os.environ.get("CUSTODIAN_BENCH_RUNS", "10"))
CUSTODIAN = str(Path(sys.executable).with_name("custodian"))
REQUEST = law_enforcement_request(received_on="2026-03-02", requested_response_on="2026-03-20")  # valid
TARGETS = {"--help": 15.0, "legal validate": 25.0}


def seconds(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def main() -> int:
    # Measure the installed state: bytecode compiled once (pip does this for a wheel; `make install` for the
    # editable checkout), not recompiled at every start when PYTHONDONTWRITEBYTECODE is set.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src" / "custodian")],
                   stdout=subprocess.DEVNULL, check=True)
    with tempfile.TemporaryDirectory() as folder:
        request = Path(folder) / "request.json"
        request.write_text(json.dumps(REQUEST), encoding="utf-8")
        commands = {
            "--help": [CUSTODIAN, "--help"],
            "legal validate": [CUSTODIAN, "legal", "validate", str(request), "--policy", str(POLICY)],
        }
        bare: list[float] = []
        timings: dict[str, list[float]] = {name: [] for name in commands}
        for command in commands.values():  # warm the file cache once
            seconds(command)
        for _ in range(RUNS):
            for name, command in commands.items():
                bare.append(seconds([sys.executable, "-c", "pass"]))
                timings[name].append(seconds(command))
    base = statistics.median(bare)
    print(f"bare interpreter: {base * 1000:.1f} ms (median of {len(bare)})")
    missed = 0
    for name, values in timings.items():
        ratio = statistics.median(values) / base
        verdict = "ok" if ratio <= TARGETS[name] else "MISSED"
        missed += verdict == "MISSED"
        print(f"custodian {name}: {statistics.median(values) * 1000:.1f} ms = {ratio:.1f}x bare "
              f"(target <= {TARGETS[name]:.0f}x) {verdict}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
