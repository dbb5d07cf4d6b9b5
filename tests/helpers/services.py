"""Tests that need a real server of the machine's (PostgreSQL, Redis) skip, saying why, where it is
not running; under CI=true, where it must be, they fail instead."""

import os
import socket

import pytest


def require_service(name: str, host: str, port: int) -> None:
    try:
        socket.create_connection((host, port), timeout=2).close()
    except OSError:
        reason = f"{name} is not running at {host}:{port}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}, and CI must run these tests")
        pytest.skip(reason)
