"""`custodian serve --workers N`: N uvicorn processes, each listening on its own socket of the same port.

uvicorn's own multi-process mode hands one listening socket to every worker; each worker's event loop accepts
as many waiting connections as it can when it wakes, so a burst of new connections (a browser opening several,
a load balancer's pool, a load test's clients) lands mostly on one worker, which then does most of the work
while the other idles. Here every worker gets its own socket, bound with SO_REUSEPORT to the same address, and
the kernel spreads new connections over them evenly. Supervision (restart of a dead or hung worker, SIGHUP to
replace all, shutdown) is uvicorn's, with each replacement given its slot's socket.
"""

from __future__ import annotations

import logging
import socket

from uvicorn.config import STARTUP_FAILURE, Config
from uvicorn.supervisors.multiprocess import Multiprocess, Process

logger = logging.getLogger("uvicorn.error")


def reuse_port_sockets(host: str, port: int, count: int) -> list[socket.socket]:
    """`count` TCP sockets bound to host:port with SO_REUSEPORT (inheritable by the worker processes)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    made: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.socket(family, socket.SOCK_STREAM)
            made.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind((host, port))
            sock.set_inheritable(True)
    except OSError:
        for sock in made:
            sock.close()
        raise
    return made


class BalancedWorkers(Multiprocess):
    """uvicorn's supervisor, giving worker slot i the socket `sockets[i]` only."""

    def __init__(self, config: Config, sockets: list[socket.socket]) -> None:
        super().__init__(config, sockets=[])
        self.slot_sockets = sockets

    def _spawn(self, slot: int) -> Process:
        process = Process(self.config, [self.slot_sockets[slot]])
        process.start()
        return process

    def init_processes(self) -> None:
        self.processes = [self._spawn(slot) for slot in range(self.processes_num)]

    def restart_all(self) -> None:
        """Replace each worker, bringing its replacement into service before retiring the old one."""
        for slot, old in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            new = self._spawn(slot)
            if not new.wait_until_ready(self.config.timeout_worker_healthcheck, self.should_exit):
                new.kill()
                new.join()
                if not self.should_exit.is_set():
                    logger.error("a new worker was not ready in time; keeping the old one")
                return
            old.terminate()
            old.join()
            self.processes[slot] = new

    def keep_subprocess_alive(self) -> None:
        """Restart a worker that died or stopped answering; stop when one failed before it started serving."""
        if self.should_exit.is_set():
            return
        for slot, process in enumerate(self.processes):
            if process.is_alive(timeout=self.config.timeout_worker_healthcheck):
                continue
            process.kill()
            process.join()
            if process.exitcode == STARTUP_FAILURE:
                logger.error("a worker failed to start; stopping")
                self.should_exit.set()
                return
            if self.should_exit.is_set():
                return
            logger.info("a worker died; starting another")
            self.processes[slot] = self._spawn(slot)


def run(config: Config) -> None:
    """Serve `config` (its app an import string, `workers` > 1) until interrupted."""
    sockets = reuse_port_sockets(config.host, config.port, config.workers)
    try:
        BalancedWorkers(config, sockets).run()
    finally:
        for sock in sockets:
            sock.close()
