"""A Redis server of the test's own, to stop and start again without touching anyone else's."""

import shutil
import subprocess
import time

import pytest

from tests.conftest_worker import smtp_sink  # noqa: F401


class RedisServer:
    def __init__(self, directory):
        from bench.common import free_port

        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = directory
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while not self.answers():
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def answers(self) -> bool:
        import redis

        try:
            return redis.Redis.from_url(self.url, socket_connect_timeout=0.2).ping()
        except redis.RedisError:
            return False


@pytest.fixture
def own_redis(tmp_path):
    """A running redis-server on a free port, only for this test (stop and start it at will)."""
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server (make test installs it)")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()
