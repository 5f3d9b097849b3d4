"""The gateway's pooled HTTP/1.1 client against a real socket server that answers, or misbehaves,
as each request's path asks."""

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from gateway.routing.upstream import Pool, UpstreamError


@dataclass
class Server:
    url: str = ""
    connections: int = 0
    requests: list[dict[str, object]] = field(default_factory=list)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while head := await reader.readuntil(b"\r\n\r\n"):
                line, *lines = head.decode("latin-1").split("\r\n")[:-2]
                method, target, _ = line.split(" ")
                headers = dict(h.split(": ", 1) for h in lines)
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                seen = {"method": method, "target": target, "headers": headers, "body": body.decode()}
                self.requests.append(seen)
                if not await self.answer(target, seen, writer):
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def answer(self, target: str, seen: dict[str, object], writer: asyncio.StreamWriter) -> bool:
        """Writes the answer; whether the connection stays open."""
        if target == "/hangup":
            return False
        if target == "/garbage":
            writer.write(b"NOT HTTP AT ALL\r\n\r\n")
            return True
        if target == "/slow":
            await asyncio.sleep(1.0)
        content = json.dumps(seen).encode()
        if target == "/chunked":
            half = len(content) // 2
            chunks = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in (content[:half], content[half:]))
            writer.write(
                b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\nX-Kind: Chunked\r\n\r\n" + chunks + b"0\r\n\r\n"
            )
        else:
            close = target == "/close"
            writer.write(
                b'HTTP/1.1 201 Created\r\ncontent-type: application/json\r\nETag: "v1"\r\n'
                + (b"connection: close\r\n" if close else b"")
                + b"content-length: %d\r\n\r\n%s" % (len(content), content)
            )
            if close:
                await writer.drain()
                return False
        await writer.drain()
        return True


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    server = Server()
    listening = await asyncio.start_server(server.handle, "127.0.0.1", 0)
    server.url = f"http://127.0.0.1:{listening.sockets[0].getsockname()[1]}"
    async with listening:
        yield server


async def test_calls_reuse_one_keep_alive_connection_and_read_whole_answers(server: Server) -> None:
    pool = Pool(server.url)
    try:
        first = await pool.request("GET", "/ok?q=%E5%AE%A2", [("authorization", "Bearer t")], timeout=5)
        posted = await pool.request("POST", "/ok", [("content-type", "application/json")], b'{"a":1}', timeout=5)
        chunked = await pool.request("GET", "/chunked", timeout=5)
    finally:
        await pool.close()
    assert first.status_code == 201 and (b"etag", b'"v1"') in first.headers  # names lower-case
    sent = first.json()
    assert sent["target"] == "/ok?q=%E5%AE%A2" and sent["headers"]["authorization"] == "Bearer t"
    assert sent["headers"]["host"] == server.url.removeprefix("http://") and "content-length" not in sent["headers"]
    assert posted.json()["body"] == '{"a":1}' and posted.json()["headers"]["content-length"] == "7"
    assert chunked.status_code == 200 and chunked.json()["target"] == "/chunked"
    assert (b"x-kind", b"Chunked") in chunked.headers
    assert server.connections == 1


async def test_parallel_calls_open_at_most_the_pool_size(server: Server) -> None:
    pool = Pool(server.url, size=3)
    try:
        answers = await asyncio.gather(*(pool.request("GET", f"/ok?n={n}", timeout=5) for n in range(20)))
        assert sorted(answer.json()["target"] for answer in answers) == sorted(f"/ok?n={n}" for n in range(20))
        assert server.connections == 3 and pool.open_connections == 3
    finally:
        await pool.close()
    await asyncio.sleep(0.05)
    assert pool.open_connections == 0


async def test_a_connection_the_server_closes_or_kept_too_long_is_not_reused(server: Server) -> None:
    pool = Pool(server.url, keepalive_seconds=0.2)
    try:
        await pool.request("GET", "/close", timeout=5)
        await pool.request("GET", "/ok", timeout=5)
        assert server.connections == 2
        await asyncio.sleep(0.3)
        await pool.request("GET", "/ok", timeout=5)
        assert server.connections == 3
    finally:
        await pool.close()


async def test_a_hang_up_garbage_or_no_server_is_an_upstream_error_and_the_next_call_works(server: Server) -> None:
    pool = Pool(server.url)
    try:
        with pytest.raises(UpstreamError, match="closed before a whole answer"):
            await pool.request("GET", "/hangup", timeout=5)
        with pytest.raises(UpstreamError, match="malformed answer"):
            await pool.request("GET", "/garbage", timeout=5)
        assert (await pool.request("GET", "/ok", timeout=5)).status_code == 201
    finally:
        await pool.close()
    nobody = Pool("http://127.0.0.1:9")  # the discard port: nothing listens
    with pytest.raises(UpstreamError, match="could not connect"):
        await nobody.request("GET", "/ok", timeout=5)


async def test_a_slow_answer_times_out_and_its_connection_is_dropped(server: Server) -> None:
    pool = Pool(server.url, size=1)
    try:
        with pytest.raises(TimeoutError):
            await pool.request("GET", "/slow", timeout=0.2)
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(pool.request("GET", "/slow", timeout=5), 0.2)  # cancelled from outside
        assert (await pool.request("GET", "/ok", timeout=5)).status_code == 201  # its one slot is free again
        assert server.connections == 3 and pool.open_connections == 1  # the two cut off were closed
    finally:
        await pool.close()


async def test_each_call_times_out_at_its_own_timeout_also_while_waiting_for_a_connection(server: Server) -> None:
    pool = Pool(server.url, size=2)
    loop = asyncio.get_running_loop()

    async def timed_out_after(timeout: float) -> float:
        started = loop.time()
        with pytest.raises(TimeoutError):
            await pool.request("GET", "/slow", timeout=timeout)
        return loop.time() - started

    try:  # two take the connections, the third waits for one of them
        waited = await asyncio.gather(timed_out_after(0.15), timed_out_after(0.4), timed_out_after(0.25))
        for took, timeout in zip(waited, (0.15, 0.4, 0.25), strict=True):
            assert timeout <= took < timeout + Pool.TICK + 0.1, waited
        assert (await pool.request("GET", "/ok", timeout=5)).status_code == 201
    finally:
        await pool.close()


async def test_a_line_break_in_a_header_is_refused_before_anything_is_sent(server: Server) -> None:
    pool = Pool(server.url)
    with pytest.raises(ValueError, match="line break"):
        await pool.request("GET", "/ok", [("x-request-id", "a\r\nx-role: general_manager")], timeout=5)
    with pytest.raises(ValueError, match="not an http"):
        Pool("ftp://example.com")
    assert server.requests == []
