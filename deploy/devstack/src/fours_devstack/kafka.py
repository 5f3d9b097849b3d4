"""Apache Kafka for the tests, the benchmarks and ``make dev KAFKA=apache``: the pinned broker's jars
from Maven Central (``deploy/kafka/artifacts.lock``, each checked against its SHA-256) and a
single-node KRaft broker on the machine's Java (17 or newer).

    python -m fours_devstack.kafka fetch     # download (once) into the cache, verify
    python -m fours_devstack.kafka run       # a broker on 127.0.0.1:9092 until Ctrl-C

The jars are kept in ``FOURS_KAFKA_HOME`` (default ``~/.cache/fours/kafka-<version>``); a file
whose checksum differs is refused and fetched again. ``MAVEN_REPOSITORY`` names a mirror.
"""

import argparse
import base64
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx

from fours_devstack.broker import free_port, stop_process, wait_for_port

LOCK = Path(__file__).resolve().parents[3] / "kafka" / "artifacts.lock"
MAVEN_CENTRAL = "https://repo1.maven.org/maven2"
JAVA_MIN = 17


@dataclass(frozen=True)
class Artifact:
    group: str
    name: str
    version: str
    sha256: str

    @property
    def filename(self) -> str:
        return f"{self.name}-{self.version}.jar"

    def url(self, repository: str) -> str:
        return f"{repository.rstrip('/')}/{self.group.replace('.', '/')}/{self.name}/{self.version}/{self.filename}"


def artifacts(lock: Path = LOCK) -> list[Artifact]:
    found = []
    for line in lock.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            coordinates, sha256 = line.split()
            group, name, version = coordinates.split(":")
            found.append(Artifact(group, name, version, sha256))
    return found


def version(lock: Path = LOCK) -> str:
    return next(a.version for a in artifacts(lock) if a.name.startswith("kafka_"))


def home() -> Path:
    return Path(os.environ.get("FOURS_KAFKA_HOME") or Path.home() / ".cache" / "fours" / f"kafka-{version()}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def fetch(target: Path | None = None, repository: str | None = None) -> Path:
    """The broker's jars in ``target``/lib, downloading what is missing; returns that folder."""
    lib = (target or home()) / "lib"
    lib.mkdir(parents=True, exist_ok=True)
    repository = repository or os.environ.get("MAVEN_REPOSITORY") or MAVEN_CENTRAL
    wanted = artifacts()

    def one(artifact: Artifact) -> None:
        path = lib / artifact.filename
        if path.exists() and _sha256(path) == artifact.sha256:
            return
        with (
            tempfile.NamedTemporaryFile(dir=lib, delete=False, suffix=".part") as part,
            httpx.stream("GET", artifact.url(repository), timeout=60, follow_redirects=True) as response,
        ):
            response.raise_for_status()
            for chunk in response.iter_bytes(1 << 16):
                part.write(chunk)
        got = _sha256(Path(part.name))
        if got != artifact.sha256:
            os.unlink(part.name)
            raise RuntimeError(f"{artifact.filename}: SHA-256 {got}, the lock says {artifact.sha256}")
        os.replace(part.name, path)

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(one, wanted))
    names = {a.filename for a in wanted}
    for stray in lib.glob("*.jar"):  # another version's leftovers would join the classpath
        if stray.name not in names:
            stray.unlink()
    return lib


def java() -> str:
    """The ``java`` of ``JAVA_HOME`` or the PATH, refused when older than 17."""
    java_home = os.environ.get("JAVA_HOME")
    path = str(Path(java_home) / "bin" / "java") if java_home else shutil.which("java")
    if not path or not Path(path).exists():
        raise FileNotFoundError("Apache Kafka needs Java 17 or newer: install a JDK or set JAVA_HOME")
    shown = subprocess.run([path, "-version"], capture_output=True, text=True, check=True).stderr
    match = re.search(r'version "(\d+)', shown)
    if not match or int(match.group(1)) < JAVA_MIN:
        raise RuntimeError(f"Apache Kafka needs Java {JAVA_MIN} or newer; {path} is: {shown.splitlines()[0]}")
    return path


LOG4J = """\
status = warn
appender.out.type = Console
appender.out.name = out
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = {level}
rootLogger.appenderRef.out.ref = out
logger.kafka.name = kafka
logger.kafka.level = {level}
logger.state.name = state.change.logger
logger.state.level = warn
"""


class ApacheKafka:
    """A single-node KRaft broker (broker and controller in one JVM) whose data lives in ``data_dir``:
    stopped and started again, it keeps its topics, events and consumer offsets, as production does.
    Same interface as ``TansuBroker``."""

    kind = "apache"

    def __init__(
        self,
        data_dir: Path,
        port: int | None = None,
        log_file: Path | None = None,
        *,
        heap: str = "512m",
        log_level: str = "WARN",
    ) -> None:
        self.data_dir = data_dir
        self.port = port or free_port()
        self.controller_port = free_port()
        self.log_file = log_file
        self.heap = heap
        self.log_level = log_level
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _config(self) -> Path:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        (self.data_dir / "log4j2.properties").write_text(LOG4J.format(level=self.log_level))
        config = self.data_dir / "server.properties"
        config.write_text(
            "\n".join(
                [
                    "process.roles=broker,controller",
                    "node.id=1",
                    f"controller.quorum.voters=1@127.0.0.1:{self.controller_port}",
                    f"listeners=PLAINTEXT://127.0.0.1:{self.port},CONTROLLER://127.0.0.1:{self.controller_port}",
                    f"advertised.listeners=PLAINTEXT://127.0.0.1:{self.port}",
                    "controller.listener.names=CONTROLLER",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "inter.broker.listener.name=PLAINTEXT",
                    f"log.dirs={self.data_dir / 'logs'}",
                    # as deploy/compose.yaml: one node, topics made by the services themselves
                    "offsets.topic.replication.factor=1",
                    "offsets.topic.num.partitions=5",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "auto.create.topics.enable=false",
                    "group.initial.rebalance.delay.ms=0",
                    "",
                ]
            )
        )
        return config

    def _classpath(self) -> str:
        return str(fetch() / "*")

    def start(self) -> str:
        java_bin, classpath, config = java(), self._classpath(), self._config()
        jvm = [java_bin, f"-Xmx{self.heap}", f"-Xms{self.heap}", "-XX:+UseG1GC", "-Djava.awt.headless=true"]
        jvm += [f"-Dlog4j2.configurationFile={self.data_dir / 'log4j2.properties'}", "-cp", classpath]
        if not (self.data_dir / "logs" / "meta.properties").exists():
            cluster = "-"
            while cluster.startswith("-"):  # the tool would read it as an option
                cluster = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
            subprocess.run(
                [*jvm, "kafka.tools.StorageTool", "format", "-t", cluster, "-c", str(config)],
                check=True,
                capture_output=True,
            )
        out = open(self.log_file, "ab") if self.log_file else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            [*jvm, "kafka.Kafka", str(config)], stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            wait_for_port("127.0.0.1", self.port, timeout=60)
        except TimeoutError:
            self.stop()
            raise
        return self.bootstrap

    def stop(self) -> None:
        """A controlled shutdown (SIGTERM), as an orchestrator stops it; killed after 30 s."""
        stop_process(self.process, grace=30)
        self.process = None


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m fours_devstack.kafka", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("fetch", help="download the pinned broker's jars into the cache and verify them")
    run = sub.add_parser("run", help="run a broker until Ctrl-C")
    run.add_argument("--port", type=int, default=9092)
    run.add_argument("--data", type=Path, default=Path(".data") / "kafka")
    args = parser.parse_args()
    if args.command == "fetch":
        lib = fetch()
        print(f"Apache Kafka {version()}: {len(artifacts())} jars verified in {lib}")
        return 0
    broker = ApacheKafka(args.data.resolve(), port=args.port, log_level="INFO")
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    broker.start()
    print(f"Apache Kafka {version()} on {broker.bootstrap}, data in {broker.data_dir}", flush=True)
    try:
        signal.sigwait({signal.SIGINT, signal.SIGTERM})
    finally:
        broker.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
