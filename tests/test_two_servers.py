"""Two app servers behind one TLS proxy, sharing one PostgreSQL and one Redis: limits hold across
them, a lockout follows the attacker's address and not the editor's, and a change saved through
one server shows on the other at once.

Runs the real thing: gunicorn with the production settings, on two ports, against a fresh
PostgreSQL database made for this module and the machine's Redis. Requests carry what the proxy
would add (X-Forwarded-For, X-Forwarded-Proto) and the site's host name, as they would behind it.
Skipped, with the reason, where PostgreSQL, Redis or gunicorn is missing; never under CI=true.
"""

import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest

from tests.helpers.forms import ENQUIRY
from tests.helpers.services import require_service

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
HOST = "directory.example"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
REDIS_URL = "redis://127.0.0.1:6379/15"
DEMO_PASSWORD = "mk-demo-password"  # create_demo_accounts' password for demo-editor and demo-staff


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _run(args, env):
    result = subprocess.run(
        [str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"


def _admin_sql(statement: str) -> None:
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(statement)


class Server:
    """One gunicorn serving the site on its own port."""

    def __init__(self, env, log_path: Path):
        self.port = _free_port()
        self.log = log_path.open("w")
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "mkdirectory.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", "1"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_until_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"gunicorn exited; see {self.log.name}"
            try:
                if Visitor("192.0.2.250").get(self, "/accounts/login/").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise AssertionError(f"gunicorn on port {self.port} did not answer within {timeout} s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


class Response:
    def __init__(self, status: int, headers: http.client.HTTPMessage, body: str):
        self.status, self.headers, self.body = status, headers, body


class Visitor:
    """A browser at one network address, reaching the servers through the proxy: its own cookies,
    the proxy's headers, and what a forger might add in front of X-Forwarded-For."""

    def __init__(self, address: str, forged: str = ""):
        self.address = address
        self.forged = forged
        self.cookies: dict[str, str] = {}

    def _request(self, server: Server, method: str, path: str, body: str | None = None) -> Response:
        headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": f"{self.forged}, {self.address}" if self.forged else self.address,
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{HOST}"
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            response = Response(answer.status, answer.headers, answer.read().decode())
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response

    def get(self, server: Server, path: str) -> Response:
        return self._request(server, "GET", path)

    def post(self, server: Server, path: str, data: dict) -> Response:
        """A form sent from the page it is on: the page is fetched first for its CSRF cookie."""
        if "csrftoken" not in self.cookies:
            self.get(server, path)
        return self._request(
            server, "POST", path, urlencode({**data, "csrfmiddlewaretoken": self.cookies["csrftoken"]})
        )

    def sign_in(self, server: Server, username: str, password: str) -> Response:
        return self.post(server, "/accounts/login/", {"username": username, "password": password})


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """Servers A and B on one fresh database with the demo data and logins, and one Redis."""
    require_service("PostgreSQL", "127.0.0.1", 5432)
    require_service("Redis", "127.0.0.1", 6379)

    database = f"mk_two_servers_{uuid.uuid4().hex[:8]}"
    folder = tmp_path_factory.mktemp("two-servers")
    _admin_sql(f"CREATE DATABASE {database}")
    base = {**os.environ, "DATABASE_URL": f"{PG_SERVER}/{database}", "DJANGO_LOG_LEVEL": "WARNING"}
    base.pop("REDIS_URL", None)
    setup = {**base, "DJANGO_SETTINGS_MODULE": "mkdirectory.settings.dev"}
    production = {
        **base,
        "DJANGO_SETTINGS_MODULE": "mkdirectory.settings.prod",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(45),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "REDIS_URL": REDIS_URL,
        "MK_CACHE_KEY_PREFIX": database,  # this run's keys only, removed afterwards
        "MK_PROXY_COUNT": "1",
    }
    started = []
    try:
        _run(["migrate", "--noinput"], setup)
        _run(["load_demo"], setup)
        _run(["create_demo_accounts"], setup)
        _run(["collectstatic", "--noinput"], production)
        started = [Server(production, folder / "a.log"), Server(production, folder / "b.log")]
        for server in started:
            server.wait_until_ready()
        yield Deployment(*started, database_url=base["DATABASE_URL"])
    finally:
        for server in started:
            server.stop()
        _forget_redis_keys(prefix=database)
        _admin_sql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


class Deployment:
    """The two servers and their database."""

    def __init__(self, a: Server, b: Server, *, database_url: str):
        self.a, self.b, self.database_url = a, b, database_url

    def alternate(self, attempt: int) -> Server:
        return (self.a, self.b)[attempt % 2]

    def published_service(self) -> tuple[int, str, str]:
        """The first published demo service: its id, slug and name."""
        with psycopg.connect(self.database_url) as connection:
            return connection.execute(
                "SELECT id, slug, name FROM initiatives_service "
                "WHERE publication_state = 'published' ORDER BY id LIMIT 1"
            ).fetchone()


def _forget_redis_keys(*, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)


def test_eight_enquiries_from_one_address_across_both_servers_let_exactly_five_through(servers):
    resident = Visitor("203.0.113.7")
    url = f"/services/{servers.published_service()[1]}/get-in-touch/"

    statuses = [resident.post(servers.alternate(n), url, ENQUIRY).status for n in range(8)]

    assert statuses == [302] * 5 + [429] * 3
    # Another address is not held back, even one that names the first in a made-up entry.
    neighbour = Visitor("198.51.100.9", forged="203.0.113.7")
    assert neighbour.post(servers.b, url, ENQUIRY).status == 302


def test_wrong_passwords_lock_the_attackers_address_on_both_servers_not_the_editor(servers):
    attacker = Visitor("203.0.113.66")
    statuses = [
        attacker.sign_in(servers.alternate(n), "demo-editor", "wrong-password").status for n in range(5)
    ]
    assert statuses == [200] * 4 + [429]  # the fifth wrong password starts the pause

    editor = Visitor("198.51.100.20")
    signed_in = editor.sign_in(servers.b, "demo-editor", DEMO_PASSWORD)

    assert signed_in.status == 302
    assert signed_in.headers["Location"] == "/manage/"
    assert editor.get(servers.a, "/manage/").status == 200
    for server in (servers.a, servers.b):
        assert attacker.sign_in(server, "demo-editor", DEMO_PASSWORD).status == 429


def test_a_change_saved_through_one_server_shows_on_the_other_at_once(servers):
    service_id, slug, name = servers.published_service()
    staff = Visitor("198.51.100.30")
    assert staff.sign_in(servers.a, "demo-staff", DEMO_PASSWORD).status == 302
    publication = f"/admin/initiatives/service/{service_id}/publication/"
    search = "/services/?" + urlencode({"q": name})
    resident = Visitor("198.51.100.31")

    assert staff.post(servers.a, publication, {"action": "withdraw"}).status == 302
    assert f"/services/{slug}/" not in resident.get(servers.b, search).body  # B now holds this search

    assert staff.post(servers.a, publication, {"action": "publish"}).status == 302
    assert f"/services/{slug}/" in resident.get(servers.b, search).body
