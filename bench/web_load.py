"""Web load benchmark: `custodian serve --workers 2` driven by 50 concurrent clients on 127.0.0.1.

A scratch instance (a fresh PostgreSQL database beside CUSTODIAN_BENCH_DATABASE_URL, and a SQLite file in a
temporary data directory) gets the SpectrumVoIP policy in force, one account and support representatives who
sign in through the real login and second factor and open a ticket each. Then `--clients` clients, each with
its own connection, loop for `--seconds` over the four routes: a legal intake POST (the JSON API), the status
check of a request the client submitted, the privacy notice, and the representative's ticket page. The
figures: requests per second, p50/p95/p99 latency per route, errors (anything but the expected status). Then
the server stops and every accepted intake (each 201) is looked up in the database: it must be there exactly
once, and no request that was not accepted may be there.

The scratch instance raises the per-address limits of intake and sign-in through its own environment
(CUSTODIAN_INTAKE_PER_ADDRESS_PER_HOUR, CUSTODIAN_SIGN_IN_PER_ADDRESS_PER_MINUTE): every client comes from
127.0.0.1, which production's defaults would rightly refuse after 20 submissions an hour.

    python bench/web_load.py --seconds 10                                  # SQLite, quick
    CUSTODIAN_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test python bench/web_load.py
Targets (issue 19 §2): no errors, no lost or duplicated request, p95 < 250 ms for intake and notice reads.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import httpx
from sample_request import law_enforcement_request
from scratch_db import scratch_server
from sqlalchemy import select

from custodian.access.in_force import rules_in_force
from custodian.crypto.envelope import new_key
from custodian.crypto.keyring import Keyring
from custodian.crypto.master import load_master_key, write_key_file
from custodian.db import schema
from custodian.db.engine import make_engine, transaction
from custodian.kernel.clock import utcnow
from custodian.legal.tables import legal_request
from custodian.policy import store as policy_store
from custodian.records import store as records
from custodian.records.types import NewAccount
from custodian.staff import credentials
from custodian.staff import service as staff_service

ROOT = Path(__file__).resolve().parents[1]
POLICY = ROOT / "examples" / "policies" / "002-spectrumvoip.yaml"
PG_URL = os.environ.get("CUSTODIAN_BENCH_DATABASE_URL", "")
PASSWORD = "load bench staff pass phrase"
MEMBERS = 5  # representatives signed in; clients share their sessions as a member's browser tabs would
ROUTES = ("intake", "status", "notice", "ticket")
REQUEST = law_enforcement_request(requested_response_on="2099-01-01", expedite=False)


@dataclass
class Tally:
    """What the clients saw: latencies per route, errors, accepted tracking numbers."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: {route: [] for route in ROUTES})
    errors: Counter[str] = field(default_factory=Counter)
    accepted: list[str] = field(default_factory=list)


def prepare(url: str, data_dir: Path) -> None:
    """The scratch instance: schema, master key, the policy in force, an account and the representatives."""
    write_key_file(data_dir / "master.key", new_key())
    master_key = load_master_key(None, data_dir / "master.key")
    engine = make_engine(url)
    schema.upgrade(engine)
    now = utcnow()
    with transaction(engine) as conn:
        policy_store.activate(conn, POLICY.read_text(encoding="utf-8"), actor="bench",
                              effective_at=now - timedelta(days=1), now=now)
        rules = rules_in_force(conn, now)
        assert rules is not None
        records.create_account(conn, Keyring(master_key), NewAccount(
            ref="ACC-LOAD", kind="residential", profile="standard", status="active", first_name="Load",
            last_name="Bench", email="load@example.net", contact_phone="+15125550100"), now)
    with transaction(engine) as conn:
        for n in range(MEMBERS):
            made = staff_service.add_staff(conn, master_key, username=f"rep{n}", display_name=f"Rep {n}",
                                           role="support_representative", roles=rules.staff_roles(), actor="bench",
                                           channel="shell", now=now)
            member = staff_service.staff_store.staff_by_id(conn, made.staff_id)
            assert member is not None
            staff_service.set_password(conn, member, PASSWORD, now)
            (data_dir / f"rep{n}.totp").write_text(made.totp_secret)
    engine.dispose()


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def sign_in(base: str, data_dir: Path, n: int) -> tuple[httpx.Cookies, str]:
    """Sign representative `n` in (password, second factor, acknowledgement), open a ticket; its cookies and path."""
    with httpx.Client(base_url=base, follow_redirects=True, timeout=30) as http:
        page = http.get("/console/login")
        answer = http.post("/console/login", data={"username": f"rep{n}", "password": PASSWORD,
                                                   "csrf_token": _csrf(page.text)})
        code = credentials.totp_code((data_dir / f"rep{n}.totp").read_text(), utcnow())
        answer = http.post("/console/totp", data={"code": code, "csrf_token": _csrf(answer.text)})
        if "/console/acknowledge" in str(answer.url):
            answer = http.post("/console/acknowledge", data={"csrf_token": _csrf(answer.text)})
        opened = http.post("/console/tickets", data={"account_ref": "ACC-LOAD", "topic": "billing",
                                                     "channel": "email", "csrf_token": _csrf(answer.text)})
        assert opened.status_code == 200 and "/console/tickets/" in str(opened.url), opened.text[:300]
        return http.cookies, opened.url.path


async def client(base: str, number: int, deadline: float, session: tuple[httpx.Cookies, str], tally: Tally) -> None:
    """One client: intake, status of its last accepted request, notice, ticket page, until the deadline."""
    cookies, ticket = session
    receipt: tuple[str, str] | None = None
    async with httpx.AsyncClient(base_url=base, timeout=60, cookies=cookies,
                                 limits=httpx.Limits(max_connections=1)) as http:
        turn = number
        while time.monotonic() < deadline:
            route = ROUTES[turn % len(ROUTES)]
            turn += 1
            if route == "status" and receipt is None:
                continue
            started = time.perf_counter()
            try:
                if route == "intake":
                    answer = await http.post("/api/v1/legal/requests", json=REQUEST)
                elif route == "status":
                    assert receipt is not None
                    answer = await http.get(f"/api/v1/legal/requests/{receipt[0]}",
                                            headers={"X-Request-Secret": receipt[1]})
                elif route == "notice":
                    answer = await http.get("/privacy")
                else:
                    answer = await http.get(ticket)
            except httpx.HTTPError as exc:
                tally.errors[f"{route}: {type(exc).__name__}"] += 1
                continue
            tally.latencies[route].append(time.perf_counter() - started)
            expected = 201 if route == "intake" else 200
            if answer.status_code != expected:
                tally.errors[f"{route}: HTTP {answer.status_code}"] += 1
            elif route == "intake":
                body = answer.json()
                receipt = (body["tracking_number"], body["secret"])
                tally.accepted.append(body["tracking_number"])


async def drive(base: str, clients: int, seconds: float, sessions: list[tuple[httpx.Cookies, str]]) -> Tally:
    tally = Tally()
    deadline = time.monotonic() + seconds
    await asyncio.gather(*(client(base, n, deadline, sessions[n % len(sessions)], tally) for n in range(clients)))
    return tally


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(url: str, data_dir: Path, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    """`custodian serve` on a free port with the scratch instance's environment; waits until it answers."""
    port = _free_port()
    env = {**os.environ, "CUSTODIAN_DATABASE_URL": url, "CUSTODIAN_DATA_DIR": str(data_dir),
           "CUSTODIAN_LOG_LEVEL": "WARNING", "CUSTODIAN_INTAKE_PER_ADDRESS_PER_HOUR": "1000000",
           "CUSTODIAN_SIGN_IN_PER_ADDRESS_PER_MINUTE": "1000", "CUSTODIAN_MASTER_KEY": ""}
    command = [str(Path(sys.executable).parent / "custodian"), "serve", "--port", str(port), "--workers", str(workers)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        if process.poll() is not None:
            raise SystemExit(f"custodian serve exited with {process.returncode}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return process, base
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.terminate()
    raise SystemExit("custodian serve did not answer within 30 s")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server and its workers (SIGINT: uvicorn's graceful shutdown)."""
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def stored_once(url: str, accepted: list[str]) -> tuple[int, int, int]:
    """Accepted requests missing from the database, accepted more than once (or stored twice), and stored
    requests no client was told were accepted."""
    engine = make_engine(url)
    with engine.connect() as conn:
        stored = Counter(conn.execute(select(legal_request.c.tracking_number)).scalars())
    engine.dispose()
    told = Counter(accepted)
    lost = sum(1 for number in told if stored[number] == 0)
    duplicated = sum(1 for number, n in told.items() if n > 1 or stored[number] > 1)
    unexpected = sum(1 for number in stored if number not in told)
    return lost, duplicated, unexpected


def _cpu_seconds(root: int) -> float:
    """User and system CPU seconds of `root` and its descendants (Linux /proc), 0.0 elsewhere."""
    tick, total = os.sysconf("SC_CLK_TCK"), 0.0
    try:
        stats = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                stats[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    except OSError:
        return 0.0
    family, grew = {root}, True
    while grew:
        more = {pid for pid, (parent, _) in stats.items() if parent in family} - family
        family |= more
        grew = bool(more)
    for pid in family:
        if pid in stats:
            total += stats[pid][1] / tick
    return total


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")


def run(label: str, url: str, data_dir: Path, args: argparse.Namespace) -> bool:
    """Prepare, serve, load, stop, check; print the figures; True when every target is met."""
    prepare(url, data_dir)
    process, base = serve(url, data_dir, args.workers)
    try:
        sessions = [sign_in(base, data_dir, n) for n in range(MEMBERS)]
        began, server_cpu, client_cpu = time.perf_counter(), _cpu_seconds(process.pid), time.process_time()
        tally = asyncio.run(drive(base, args.clients, args.seconds, sessions))
        elapsed = time.perf_counter() - began
        server_cpu, client_cpu = _cpu_seconds(process.pid) - server_cpu, time.process_time() - client_cpu
    finally:
        stop(process)
    lost, duplicated, unexpected = stored_once(url, tally.accepted)
    total = sum(len(v) for v in tally.latencies.values())
    load = os.getloadavg()
    print(f"[{label}] {args.clients} clients, {args.workers} workers, {elapsed:.0f} s: {total:,} requests, "
          f"{total / elapsed:,.0f} requests/s; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    if total:
        print(f"[{label}] CPU per request: server {server_cpu / total * 1000:.2f} ms, load client "
              f"{client_cpu / total * 1000:.2f} ms (of {os.cpu_count()} cores for {elapsed:.0f} s)")
    print(f"[{label}] {'route':8} {'requests':>9} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for route in ROUTES:
        times = tally.latencies[route]
        print(f"[{label}] {route:8} {len(times):9,} {len(times) / elapsed:7,.1f} {_quantile(times, .5):8.1f} "
              f"{_quantile(times, .95):8.1f} {_quantile(times, .99):8.1f}")
    print(f"[{label}] errors: {sum(tally.errors.values())} {dict(tally.errors) or ''}")
    print(f"[{label}] accepted intakes {len(tally.accepted):,}: lost {lost}, duplicated {duplicated}, "
          f"stored but not accepted {unexpected}")
    fast = all(_quantile(tally.latencies[r], .95) < 250 for r in ("intake", "notice"))
    met = not tally.errors and not (lost or duplicated or unexpected) and fast and bool(tally.accepted)
    print(f"[{label}] targets (no errors, none lost or duplicated, p95 < 250 ms for intake and notice): "
          f"{'met' if met else 'NOT MET'}")
    return met


def postgres(args: argparse.Namespace, work: Path) -> bool:
    """The run on a scratch database created beside CUSTODIAN_BENCH_DATABASE_URL (dropped afterwards)."""
    with scratch_server(PG_URL) as server:
        url = server.create("custodian_load")
        data_dir = work / "postgresql"
        data_dir.mkdir()
        return run("postgresql", url, data_dir, args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60, help="how long the clients run (default 60)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes (default 2)")
    parser.add_argument("--database", choices=("both", "postgresql", "sqlite"), default="both",
                        help="PostgreSQL needs CUSTODIAN_BENCH_DATABASE_URL")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="custodian-web-load-"))
    ok = True
    try:
        if args.database != "postgresql":
            data_dir = work / "sqlite"
            data_dir.mkdir()
            ok &= run("sqlite", f"sqlite:///{data_dir / 'custodian.db'}", data_dir, args)
        if args.database != "sqlite":
            if PG_URL:
                ok &= postgres(args, work)
            else:
                print("[postgresql] skipped: set CUSTODIAN_BENCH_DATABASE_URL")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(0 if ok or not os.environ.get("CUSTODIAN_BENCH_STRICT") else 1)


if __name__ == "__main__":
    main()
