"""Chromium reads the site's Permissions-Policy header: every feature is one it knows, and it is off."""

import re

import pytest

pytestmark = pytest.mark.browser

# Chromium for Linux has no Web Share, so it calls the feature unknown; on Android, Windows and in
# Safari it is real, and off.
NOT_IN_EVERY_BUILD = {"web-share"}


@pytest.fixture
def site_url(live_server):
    """The live server alone: the header is the same on every page."""
    return live_server.url


def test_chromium_knows_every_feature_the_header_turns_off(open_page, transactional_db):
    page, watch = open_page()
    messages = []
    page.on("console", lambda message: messages.append(message.text))

    page.goto("/")

    unknown = {
        match.group(1)
        for message in messages
        if (match := re.search(r"Permissions-Policy header: Unrecognized feature: '([\w-]+)'", message))
    }
    other_errors = [
        message for message in messages if "Permissions-Policy" in message and "Unrecognized" not in message
    ]
    assert unknown <= NOT_IN_EVERY_BUILD
    assert other_errors == []
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert page.evaluate("(feature) => document.featurePolicy.allowsFeature(feature)", feature) is False
    watch.assert_clean()
