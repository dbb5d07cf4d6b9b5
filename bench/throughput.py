"""Benchmark throughput: requests per second of the public pages from gunicorn, beside a static file.

    .venv/bin/python bench/throughput.py                      # build the database; 2 minutes of load
    .venv/bin/python bench/throughput.py --reuse --seconds 5  # keep the database of the last run
    .venv/bin/python bench/throughput.py --postgres postgres://postgres@127.0.0.1:5432/any

Builds bench/run.py's database of 10,000 fake services on PostgreSQL (`mkdirectory_bench`, or
`mkdirectory_bench_<name>` with MK_BENCH_NAME=<name>) with bench/run.py's own code, and keeps it;
`--reuse` keeps one already built. Collects the static files into a temporary folder and serves the
site as production does: gunicorn with two workers, the production settings, the cache in Redis
(database 14 of the local Redis unless `--redis` says otherwise; emptied first). Each page is asked
for once (it must answer 200), loaded for 2 seconds to warm both workers and the cache, then loaded
by wrk with 16 connections for 10 seconds (`--seconds`); where wrk is missing, by a small Python
client, which is itself slower, so its figures are lower. It prints requests per second for each
page, and its share of the rate of a static file served by the same server (WhiteNoise), measured
just before and after each page: on a shared machine the ratio moves less than the rates. Run on
demand; `make test` never runs it.
"""

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import run  # bench/run.py: its database, names and pages

ROOT = run.ROOT
WARM_UP_SECONDS = 2
# wrk's threads: one a CPU would leave none for gunicorn; two keep 16 connections busy.
WRK_THREADS = 2
# As a TLS-terminating proxy sends them (docs/deploy.md). The forwarded scheme, rather than turning
# the HTTPS redirect off, keeps the production settings exactly as deployed, HSTS header included.
# Browsers ask for compressed files, which WhiteNoise serves from its precompressed copies.
HEADERS = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip, br"}
PAGES = [
    ("home page", "/"),
    ("whole list", dict(run.PAGES)["whole list"]),
    ("filtered list", dict(run.PAGES)["filtered list"]),
    ("text search", dict(run.PAGES)["text search"]),
    ("service page", None),  # bench/run.py's choice, known once the database is built
    ("API list", "/api/services"),
    ("open now", "/services/?open_now=on"),
]
STATIC_FILE = "css/site.css"


def main() -> None:
    arguments = _arguments()
    # A `kill` stops gunicorn too: SystemExit runs the clean-up below, the default action would not.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    load_before = os.getloadavg()[0]
    database = run._with_database_name(arguments.postgres, run.POSTGRES_NAME)
    print(f"Building {database} (bench/run.py) ...", file=sys.stderr, flush=True)
    service_page = _build(database, arguments.reuse)
    client = "wrk" if shutil.which("wrk") else "a Python client (wrk is missing)"
    with tempfile.TemporaryDirectory(prefix="mkdirectory_throughput_") as scratch:
        env = _production_environment(database, arguments.redis, Path(scratch))
        static = f"/static/{_collect_static(env, Path(scratch))}"
        _empty_redis(arguments.redis)
        server = _start_gunicorn(env, arguments.workers, Path(scratch) / "gunicorn.log")
        try:
            loads = []
            static_rates = [_measure(server, static, arguments)]
            rates = {}
            # The static file again after each page: a page is compared with the static runs just
            # before and after it, so a neighbour's work starting or stopping mid-run moves both.
            for name, path in PAGES:
                path = path or service_page
                print(f"Loading {path} ...", file=sys.stderr, flush=True)
                rates[name] = _measure(server, path, arguments)
                static_rates.append(_measure(server, static, arguments))
                rates[name]["static"] = (static_rates[-2]["per_second"] + static_rates[-1]["per_second"]) / 2
                loads.append(os.getloadavg()[0])
        finally:
            _stop(server)
    addresses = dict(PAGES, **{"service page": service_page})
    _print_table(rates, static_rates, addresses, static, arguments, client)
    print(
        f"Load average (1 minute) on {os.cpu_count()} CPUs: {load_before:.1f} before; "
        f"during the run {min(loads):.1f} to {max(loads):.1f} (this benchmark included)"
    )


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--postgres",
        metavar="URL",
        default=os.environ.get("DATABASE_URL", "")
        if os.environ.get("DATABASE_URL", "").startswith("postgres")
        else "postgres://postgres@127.0.0.1:5432/postgres",
        help="a PostgreSQL server (the database name is replaced; default DATABASE_URL or the local one)",
    )
    parser.add_argument("--reuse", action="store_true", help="keep the database if it is already built")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14", help="a Redis database, emptied")
    parser.add_argument("--seconds", type=int, default=10, help="load per page (default 10)")
    parser.add_argument("--connections", type=int, default=16, help="open at once (default 16)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    return parser.parse_args()


def _build(database: str, reuse: bool) -> str:
    """Build (or keep) the database with bench/run.py; return the service page it chose."""
    built = subprocess.run(
        [sys.executable, run.__file__, "--build-only", database, *(["--reuse"] if reuse else [])],
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return json.loads(built.stdout.strip().splitlines()[-1])["service page"]


def _production_environment(database: str, redis: str, scratch: Path) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mkdirectory.settings.prod",
        "DATABASE_URL": database,
        "REDIS_URL": redis,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_STATIC_ROOT": str(scratch / "static"),
    }


def _collect_static(env: dict, scratch: Path) -> str:
    """Collect the static files as a release does; return the hashed name the pages link to."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    manifest = json.loads((scratch / "static" / "staticfiles.json").read_text())
    return manifest["paths"][STATIC_FILE]


def _empty_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


class Server:
    def __init__(self, process: subprocess.Popen, port: int, log: Path):
        self.process, self.port, self.log = process, port, log


def _start_gunicorn(env: dict, workers: int, log: Path) -> Server:
    port = _free_port()
    with log.open("w") as output:  # gunicorn writes to its own copy of the file
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "mkdirectory.wsgi"]
            + ["--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", "30"]
            # First on the import path: this tree's code, even where another is installed in the venv.
            + ["--chdir", str(ROOT)],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches only this script, which then stops gunicorn in order
        )
    server = Server(process, port, log)
    try:
        _wait_until_ready(server)
    except BaseException:
        _stop(server)
        raise
    return server


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_ready(server: Server, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"gunicorn exited:\n{server.log.read_text()}")
        try:
            if _status(server, "/healthz") == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer /healthz within {timeout} s:\n{server.log.read_text()}")


def _stop(server: Server) -> None:
    server.process.terminate()  # gunicorn's graceful stop: workers finish their request
    try:
        server.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


def _status(server: Server, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request("GET", path, headers=HEADERS)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


# ---- the load ---------------------------------------------------------------------------------


def _measure(server: Server, path: str, arguments) -> dict:
    status = _status(server, path)
    if status != 200:
        raise SystemExit(f"{path} answered {status}:\n{server.log.read_text()[-3000:]}")
    load = _wrk if shutil.which("wrk") else _python_client
    load(server, path, WARM_UP_SECONDS, arguments.connections)
    return load(server, path, arguments.seconds, arguments.connections)


def _wrk(server: Server, path: str, seconds: int, connections: int) -> dict:
    headers = [option for name, value in HEADERS.items() for option in ("-H", f"{name}: {value}")]
    output = subprocess.run(
        ["wrk", "-t", str(WRK_THREADS), "-c", str(connections), "-d", f"{seconds}s", *headers]
        # gunicorn's limit, not wrk's 2 s: a slow page queued behind 15 others is slow, not lost.
        + ["--timeout", "30s"]
        + [f"http://127.0.0.1:{server.port}{path}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if not rate:
        raise SystemExit(f"wrk printed no rate:\n{output}")
    failed = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    timeouts = re.search(r"timeout (\d+)", output)
    return {
        "per_second": float(rate.group(1)),
        "failed": (int(failed.group(1)) if failed else 0) + (int(timeouts.group(1)) if timeouts else 0),
    }


def _python_client(server: Server, path: str, seconds: int, connections: int) -> dict:
    """Where wrk is missing: one thread a connection, each asking again as soon as it has an answer."""
    deadline = time.monotonic() + seconds
    counts = []  # (answered, failed) per thread; list.append is thread-safe

    def ask_until_deadline():
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        answered = failed = 0
        while time.monotonic() < deadline:
            try:
                connection.request("GET", path, headers=HEADERS)
                response = connection.getresponse()
                response.read()  # gunicorn closes the connection; http.client opens a new one
                failed += response.status >= 400
            except OSError:
                connection.close()
                failed += 1
            answered += 1
        counts.append((answered, failed))

    started = time.monotonic()
    threads = [threading.Thread(target=ask_until_deadline) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {
        "per_second": sum(answered for answered, _ in counts) / elapsed,
        "failed": sum(failed for _, failed in counts),
    }


# ---- the report -------------------------------------------------------------------------------


def _print_table(rates: dict, static_rates: list, addresses: dict, static: str, arguments, client) -> None:
    print(
        f"\nRequests per second at {run.SIZES[-1]:,} services on PostgreSQL: gunicorn with "
        f"{arguments.workers} workers and the production settings, loaded by {client} with "
        f"{arguments.connections} connections for {arguments.seconds} s a page, the cache warm."
    )
    static_per_second = [rate["per_second"] for rate in static_rates]
    print(
        f"static: {static} ({len(static_rates)} runs, one before and after each page: "
        f"{min(static_per_second):.0f} to {max(static_per_second):.0f} requests/s).\n"
        "share of static: the page's rate over the mean of the static runs just before and after it."
    )
    print(f"{'page':<15} {'requests/s':>10} {'static':>8} {'share of static':>16}  address")
    for name, rate in rates.items():
        failed = f"  {rate['failed']} FAILED OR TIMED OUT" if rate["failed"] else ""
        print(
            f"{name:<15} {rate['per_second']:>10.1f} {rate['static']:>8.0f} "
            f"{rate['per_second'] / rate['static']:>15.1%}  {addresses[name]}{failed}"
        )


if __name__ == "__main__":
    main()
