"""Email in production: the mail server from the environment, waits on it cut short, and residents'
forms that never fail, or lose an email, because the mail server is down, refusing or silent."""

import io
import logging
import runpy
import smtplib
import socket
import sys
import threading
import time

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command

from initiatives.enquiries.models import Enquiry, EnquiryNotice
from initiatives.feedback.models import ProblemReport, ProblemReportNotice
from mkdirectory.settings.email import email_server
from tests.factories import MembershipFactory, ServiceFactory, UserFactory
from tests.helpers.forms import ENQUIRY

SMTP = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_VARIABLES = [
    f"DJANGO_EMAIL_{name}"
    for name in ("URL", "HOST", "PORT", "HOST_USER", "HOST_PASSWORD", "USE_TLS", "USE_SSL", "BACKEND")
]


# The mail server's settings ----------------------------------------------------------------------


@pytest.fixture
def environ(monkeypatch):
    """The environment with none of the email variables set; set some with `environ.setenv`."""
    for name in EMAIL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def server(host="localhost", port=25, user="", password="", tls=False, ssl=False) -> dict:
    return {
        "EMAIL_HOST": host,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": user,
        "EMAIL_HOST_PASSWORD": password,
        "EMAIL_USE_TLS": tls,
        "EMAIL_USE_SSL": ssl,
    }


@pytest.mark.parametrize(
    "variables, expected",
    [
        pytest.param({}, server(), id="nothing-set-is-a-relay-on-this-machine"),
        pytest.param(
            {"DJANGO_EMAIL_URL": "smtp+tls://apikey:s3cr%40t%2Fpass@smtp.example.net:2525"},
            server("smtp.example.net", 2525, "apikey", "s3cr@t/pass", tls=True),
            id="url-starttls-percent-encoded-password",
        ),
        pytest.param(
            {"DJANGO_EMAIL_URL": "smtp+tls://user@smtp.example.net"},
            server("smtp.example.net", 587, "user", tls=True),
            id="url-starttls-default-port",
        ),
        pytest.param(
            {"DJANGO_EMAIL_URL": "smtps://mail.example.net"},
            server("mail.example.net", 465, ssl=True),
            id="url-tls-from-the-start",
        ),
        pytest.param(
            {"DJANGO_EMAIL_URL": "smtp://relay.internal"}, server("relay.internal"), id="url-plain-relay"
        ),
        pytest.param(
            {
                "DJANGO_EMAIL_HOST": "smtp.example.net",
                "DJANGO_EMAIL_USE_TLS": "true",
                "DJANGO_EMAIL_HOST_USER": "user",
                "DJANGO_EMAIL_HOST_PASSWORD": "pass:word@",
            },
            server("smtp.example.net", 587, "user", "pass:word@", tls=True),
            id="separate-starttls-default-port",
        ),
        pytest.param(
            {
                "DJANGO_EMAIL_HOST": "smtp.example.net",
                "DJANGO_EMAIL_USE_SSL": "1",
                "DJANGO_EMAIL_PORT": "2465",
            },
            server("smtp.example.net", 2465, ssl=True),
            id="separate-ssl-own-port",
        ),
    ],
)
def test_the_mail_server_is_read_from_the_environment(environ, variables, expected):
    for name, value in variables.items():
        environ.setenv(name, value)

    assert email_server() == expected


@pytest.mark.parametrize(
    "variables, message",
    [
        pytest.param({"DJANGO_EMAIL_URL": "https://smtp.example.net"}, "must look like", id="web-address"),
        pytest.param(
            {"DJANGO_EMAIL_URL": "smtp+tls://smtp.example.net:port"}, "must look like", id="bad-port"
        ),
        pytest.param({"DJANGO_EMAIL_URL": "smtp+tls://"}, "must name a host", id="no-host"),
        pytest.param({"DJANGO_EMAIL_URL": "smtp://host/path"}, "must name a host", id="path-after-host"),
        pytest.param(
            {"DJANGO_EMAIL_URL": "smtp://one.example", "DJANGO_EMAIL_HOST": "two.example"},
            "DJANGO_EMAIL_URL or DJANGO_EMAIL_HOST, not both",
            id="url-and-host",
        ),
        pytest.param(
            {"DJANGO_EMAIL_USE_TLS": "true", "DJANGO_EMAIL_USE_SSL": "true"}, "not both", id="tls-and-ssl"
        ),
        pytest.param({"DJANGO_EMAIL_URL": "smtp+tls://h?ssl=1"}, "must name a host", id="query"),
        pytest.param({"DJANGO_EMAIL_PORT": "five"}, "must be a number", id="port-in-words"),
    ],
)
def test_settings_that_cannot_work_stop_the_site_saying_why(environ, variables, message):
    for name, value in variables.items():
        environ.setenv(name, value)

    with pytest.raises(ImproperlyConfigured, match=message):
        email_server()


def test_production_sends_by_smtp_and_waits_on_it_ten_seconds_at_most(environ):
    # Run afresh, not the copy another test imported (runpy warns when it finds one in sys.modules).
    environ.delitem(sys.modules, "mkdirectory.settings.prod", raising=False)
    environ.setenv("DJANGO_SECRET_KEY", "x" * 60)
    environ.setenv("DJANGO_ALLOWED_HOSTS", "example.org")
    environ.setenv("MK_ALLOW_LOCAL_CACHE", "true")
    environ.delenv("DJANGO_EMAIL_TIMEOUT", raising=False)

    production = runpy.run_module("mkdirectory.settings.prod")

    assert production["EMAIL_BACKEND"] == SMTP
    assert production["EMAIL_TIMEOUT"] == 10


def test_sendtestemail_checks_the_settings_end_to_end(settings, capsys):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

    call_command("sendtestemail", "you@example.org")

    printed = capsys.readouterr().out
    assert "To: you@example.org" in printed
    assert "Test email from" in printed


# Residents' forms while the mail server refuses ------------------------------------------------------


class RefusingBackend(BaseEmailBackend):
    """A mail server that fails every message with `error`."""

    error: Exception = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    def send_messages(self, email_messages):
        raise self.error


@pytest.fixture(
    params=[
        pytest.param(smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), id="disconnected"),
        pytest.param(smtplib.SMTPRecipientsRefused({"x@example.test": (550, b"No")}), id="refused"),
        pytest.param(smtplib.SMTPAuthenticationError(535, b"Bad credentials"), id="wrong-password"),
        pytest.param(ConnectionRefusedError(111, "Connection refused"), id="server-down"),
        pytest.param(TimeoutError("timed out"), id="timeout"),
    ]
)
def refusing_mail_server(request, settings, monkeypatch):
    monkeypatch.setattr(RefusingBackend, "error", request.param)
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    settings.STAFF_NOTIFICATION_EMAILS = ["staff@directory.test"]
    return request.param


def mail_server_back(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def service(db):
    service = ServiceFactory()
    MembershipFactory(organisation=service.organisation, user__email="editor@example.test")
    return service


REPORT = {"text": "The phone number is wrong.", "contact_email": "sam@example.test", "website": ""}


@pytest.mark.parametrize("to", ["service", "directory"])
def test_an_enquiry_is_taken_and_its_emails_kept_for_the_retry_command(
    client, service, refusing_mail_server, settings, to
):
    url = f"/services/{service.slug}/get-in-touch/" if to == "service" else "/contact/"

    response = client.post(url, ENQUIRY)

    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    assert Enquiry.objects.count() == 1
    assert EnquiryNotice.objects.to_retry().count() == 2

    mail_server_back(settings)
    call_command("send_enquiry_notices", stdout=io.StringIO())

    assert len(mail.outbox) == 2
    assert not EnquiryNotice.objects.unsent().exists()


def test_a_problem_report_is_taken_and_its_emails_kept_for_the_retry_command(
    client, service, refusing_mail_server, settings
):
    response = client.post(f"/services/{service.slug}/report-a-problem/", REPORT)

    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    assert ProblemReport.objects.count() == 1
    assert ProblemReportNotice.objects.to_retry().count() == 3

    mail_server_back(settings)
    out = io.StringIO()
    call_command("send_problem_report_notices", stdout=out)

    assert out.getvalue() == "3 sent, 0 not sent; 0 given up in all (see the admin).\n"
    assert sorted(message.to[0] for message in mail.outbox) == [
        "editor@example.test",
        "sam@example.test",
        "staff@directory.test",
    ]
    assert not ProblemReportNotice.objects.unsent().exists()


def test_a_password_reset_still_says_check_your_email_and_the_failure_is_logged(
    client, db, refusing_mail_server, caplog
):
    UserFactory(username="known", email="known@example.test")

    with caplog.at_level(logging.ERROR):
        response = client.post("/accounts/password_reset/", {"email": "known@example.test"})

    assert response["Location"] == "/accounts/password_reset/done/"
    assert "Failed to send password reset email" in caplog.text


# Residents' forms while the mail server says nothing at all ------------------------------------------


@pytest.fixture
def silent_mail_server(settings):
    """A mail server that takes the connection and never answers: without a timeout, a form hangs."""
    listener = socket.create_server(("127.0.0.1", 0))
    held, stop = [], threading.Event()

    def hold_connections():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=hold_connections, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = SMTP
    settings.EMAIL_HOST, settings.EMAIL_PORT = listener.getsockname()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 1
    settings.STAFF_NOTIFICATION_EMAILS = ["staff@directory.test"]
    yield
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    listener.close()


def timed_post(client, url, data) -> tuple[int, float]:
    started = time.monotonic()
    response = client.post(url, data)
    return response.status_code, time.monotonic() - started


def test_a_problem_report_waits_one_timeout_at_most_and_keeps_every_email(
    client, service, silent_mail_server
):
    status, seconds = timed_post(client, f"/services/{service.slug}/report-a-problem/", REPORT)

    assert status == 302
    assert seconds < 2.5, "one wait of EMAIL_TIMEOUT (1 s), not one for each of the three emails"
    assert ProblemReportNotice.objects.to_retry().count() == 3


def test_an_enquiry_waits_a_bounded_time_and_keeps_its_emails(client, service, silent_mail_server):
    status, seconds = timed_post(client, f"/services/{service.slug}/get-in-touch/", ENQUIRY)

    assert status == 302
    assert seconds < 4
    assert EnquiryNotice.objects.to_retry().count() == 2


def test_a_password_reset_waits_a_bounded_time(client, db, silent_mail_server):
    UserFactory(username="known", email="known@example.test")

    status, seconds = timed_post(client, "/accounts/password_reset/", {"email": "known@example.test"})

    assert status == 302
    assert seconds < 2.5
