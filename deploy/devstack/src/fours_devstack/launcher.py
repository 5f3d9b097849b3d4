"""``make dev``: the whole platform on one machine with embedded defaults.

Starts an embedded PostgreSQL (data in ``.data/postgres``, kept across restarts, one database per
service) unless ``FOURS_POSTGRES_URL`` names a server, a broker unless ``KAFKA_BOOTSTRAP`` names a
Kafka (tansu in memory, or with ``FOURS_KAFKA=apache`` — ``make dev KAFKA=apache`` — Apache Kafka
with its data in ``.data/broker/kafka``), runs every service's migrations, starts the five services and the gateway with
uvicorn, prints their URLs and stops everything cleanly on Ctrl-C. The staff console (``web/``) is
built first when its sources changed (``FOURS_CONSOLE=off`` skips it), and served by the gateway at
``/console/``. With ``--demo`` (``make demo``) it loads a month of a store once (``fours_devstack.demo``).
"""

import importlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from servicekit.migrations import upgrade

from fours_devstack import DATABASES, SERVICES, console, demo
from fours_devstack.broker import LocalBroker, free_port, free_port_block, local_broker, wait_for_port
from fours_devstack.keys import ensure_key_files
from fours_devstack.postgres import EmbeddedPostgres, database_url, ensure_databases

ROOT = Path(__file__).resolve().parents[4]


def _say(message: str) -> None:
    print(f"[fours] {message}", flush=True)


@dataclass
class Platform:
    data_dir: Path
    gateway_port: int = 8000
    port_base: int = 8100
    postgres_url: str | None = None
    kafka_bootstrap: str | None = None
    db_prefix: str = ""
    admin_password: str | None = None
    log_level: str = "INFO"
    keep_database: bool = True
    """False for a throwaway platform: the embedded PostgreSQL's files go when it stops (the logs stay)."""
    kafka: str | None = None
    """The broker to start (``tansu`` or ``apache``) when ``kafka_bootstrap`` names none; else ``FOURS_KAFKA``."""
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    _pg: EmbeddedPostgres | None = None
    _broker: LocalBroker | None = None
    _keys: tuple[Path, Path, str] | None = None

    @classmethod
    def from_env(cls) -> "Platform":
        env = os.environ
        return cls(
            data_dir=Path(env.get("FOURS_DATA_DIR", ROOT / ".data")).resolve(),
            gateway_port=int(env.get("FOURS_GATEWAY_PORT", "8000")),
            port_base=int(env.get("FOURS_PORT_BASE", "8100")),
            postgres_url=env.get("FOURS_POSTGRES_URL") or None,
            kafka_bootstrap=env.get("KAFKA_BOOTSTRAP") or None,
            db_prefix=env.get("FOURS_DB_PREFIX", ""),
            admin_password=env.get("FOURS_ADMIN_PASSWORD") or None,
            log_level=env.get("LOG_LEVEL", "INFO"),
        )

    @classmethod
    def throwaway(cls, prefix: str, admin_password: str, kafka: str | None = None) -> "Platform":
        """A platform of its own in a fresh temporary folder on free ports, quiet (benchmarks, fault
        tests, `make fuzz`; ``FOURS_THROWAWAY_LOG_LEVEL=INFO`` to see more), on ``kafka``'s broker."""
        return cls(
            data_dir=Path(tempfile.mkdtemp(prefix=prefix)),
            gateway_port=free_port(),
            port_base=free_port_block(len(SERVICES) + 1),
            admin_password=admin_password,
            log_level=os.environ.get("FOURS_THROWAWAY_LOG_LEVEL", "WARNING"),
            keep_database=False,
            kafka=kafka,
        )

    def port_of(self, service: str) -> int:
        return self.gateway_port if service == "gateway" else self.port_base + 1 + SERVICES.index(service)

    def url_of(self, service: str) -> str:
        return f"http://127.0.0.1:{self.port_of(service)}"

    def start(self) -> None:
        """Start everything; on any failure, stop what was already started before raising."""
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self.postgres_url is None:
            self._pg = EmbeddedPostgres(self.data_dir / "postgres")
            self.postgres_url = self._pg.start()
            _say(f"PostgreSQL (embedded) data in {self.data_dir / 'postgres'}")
        ensure_databases(self.postgres_url, [self.db_prefix + name for name in DATABASES])
        if self.kafka_bootstrap is None:
            port = int(os.environ.get("FOURS_BROKER_PORT", "0")) or None
            self._broker = local_broker(self.data_dir / "broker", port, kind=self.kafka)
            self.kafka_bootstrap = self._broker.start()
            kept = "in memory" if self._broker.kind == "tansu" else f"data in {self.data_dir / 'broker' / 'kafka'}"
            _say(f"broker ({self._broker.kind}, {kept}) on {self.kafka_bootstrap}")
        private_key, public_key = ensure_key_files(self.data_dir / "keys")
        password = self._admin_password()
        self._keys = (public_key, private_key, password)
        self._migrate()
        for service in (*SERVICES, "gateway"):
            self._spawn(service, public_key, private_key, password)
        self._wait_ready()

    def kill(self, service: str) -> None:
        """SIGKILL one process, as a crash would (fault tests)."""
        process = self.processes.pop(service)
        process.kill()
        process.wait(10)

    def respawn(self, service: str, timeout: float = 60.0) -> None:
        """Start a killed process again and wait until it answers /readyz."""
        public_key, private_key, password = self._keys
        self._spawn(service, public_key, private_key, password)
        wait_for_port("127.0.0.1", self.port_of(service), timeout=timeout)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._check_alive()
            try:
                if httpx.get(f"{self.url_of(service)}/readyz", params={"self": "true"}, timeout=3).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"{service} did not become ready again")

    def _admin_password(self) -> str:
        if self.admin_password:
            return self.admin_password
        stored = self.data_dir / "admin-password"
        if stored.exists():
            return stored.read_text().strip()
        password = secrets.token_urlsafe(12)
        stored.write_text(password + "\n")
        stored.chmod(0o600)
        _say(f"generated the password of user 'admin' (kept in {stored}): {password}")
        return password

    def _env(self, service: str, public_key: Path) -> dict[str, str]:
        assert self.postgres_url and self.kafka_bootstrap
        env = {
            **os.environ,
            "DATABASE_URL": database_url(self.postgres_url, self.db_prefix + service),
            "KAFKA_BOOTSTRAP": self.kafka_bootstrap,
            "KAFKA_KIND": self._broker.kind if self._broker else os.environ.get("KAFKA_KIND", "apache"),
            "JWT_PUBLIC_KEY_FILE": str(public_key),
            "LOG_LEVEL": self.log_level,
        }
        return env

    def _migrate(self) -> None:
        assert self.postgres_url
        for service in (*SERVICES, "gateway"):
            spec = importlib.import_module(f"{service}.main").SPEC
            upgrade(database_url(self.postgres_url, self.db_prefix + service), spec.migrations, spec.metadata)
        _say("migrations applied")

    def _spawn(self, service: str, public_key: Path, private_key: Path, password: str) -> None:
        env = self._env(service, public_key)
        if service == "gateway":
            env |= {"JWT_PRIVATE_KEY_FILE": str(private_key), "FOURS_ADMIN_PASSWORD": password}
            env |= {f"GATEWAY_{name.upper()}_URL": self.url_of(name) for name in SERVICES}
        log = open(self.data_dir / f"{service}.log", "ab")  # noqa: SIM115 - lives as long as the process
        self.processes[service] = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                f"{service}.main:create_app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port_of(service)),
                "--no-access-log",
                "--timeout-keep-alive",
                "65",
                "--timeout-graceful-shutdown",
                "5",
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def _wait_ready(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        for service in (*SERVICES, "gateway"):
            wait_for_port("127.0.0.1", self.port_of(service), timeout=max(1.0, deadline - time.monotonic()))
        while time.monotonic() < deadline:
            self._check_alive()
            try:
                if httpx.get(f"{self.url_of('gateway')}/readyz", timeout=3).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise TimeoutError("the platform did not become ready; see the logs in " + str(self.data_dir))

    def _check_alive(self) -> None:
        for service, process in self.processes.items():
            if process.poll() is not None:
                raise RuntimeError(
                    f"{service} exited with {process.returncode}; see {self.data_dir / (service + '.log')}"
                )

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()
        if self._broker:
            self._broker.stop()
        if self._pg:
            self._pg.stop()
            if not self.keep_database:
                shutil.rmtree(self.data_dir / "postgres", ignore_errors=True)
        if self._broker and not self.keep_database:
            shutil.rmtree(self.data_dir / "broker" / "kafka", ignore_errors=True)


def main() -> int:
    platform = Platform.from_env()
    stopping = False

    def _stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        with_console = os.environ.get("FOURS_CONSOLE", "on") != "off"
        if with_console:
            try:
                console.ensure_built()
            except (OSError, subprocess.CalledProcessError) as exc:
                with_console = False
                _say(f"the console could not be built ({exc}); the API starts without it")
        platform.start()
        if "--demo" in sys.argv or os.environ.get("FOURS_DEMO") == "1":
            demo.load(platform.url_of("gateway"), platform._admin_password(), platform.data_dir)
        _say("FourS is up:")
        _say(f"  gateway   {platform.url_of('gateway')}  (the API: /api/v1/...)")
        if with_console:
            _say(f"  console   {platform.url_of('gateway')}/console/  (the staff console; sign in as admin)")
        for service in SERVICES:
            _say(f"  {service:<9} {platform.url_of(service)}  (internal)")
        _say(f"logs in {platform.data_dir}/*.log; Ctrl-C stops everything")
        while not stopping:
            platform._check_alive()
            time.sleep(0.5)
    except Exception as exc:
        _say(f"failed: {exc}")
        platform.stop()
        return 1
    _say("stopping")
    platform.stop()
    _say("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
