"""The staff CSV export and import pages work under the site's CSP: no inline script or handler.

The CSP (script-src 'self'; style-src 'self') blocks inline <script> blocks, on*="..." attributes
and style="..." attributes, so anything the pages need runs from a script file.
"""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<[^>]+\sstyle\s*=", re.I)


def admin_page(client, url_name: str) -> str:
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    return response.content.decode()


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:initiatives_service_export",
        "admin:initiatives_organisation_export",
        "admin:initiatives_location_export",
        "admin:initiatives_need_export",
        "admin:initiatives_audience_export",
        "admin:initiatives_service_import",
    ],
)
def test_export_and_import_pages_have_no_inline_script_handler_or_style(staff_client, url_name):
    page = admin_page(staff_client, url_name)

    assert INLINE_SCRIPT.findall(page) == []
    assert INLINE_HANDLER.findall(page) == []
    assert INLINE_STYLE.findall(page) == []


def test_select_all_is_a_labelled_checkbox_wired_by_a_script_file(staff_client):
    page = admin_page(staff_client, "admin:initiatives_service_export")

    toggle = re.search(r'<input type="checkbox" class="select-toggle" id="([^"]+)"', page)
    assert toggle, "the export page has its Select all box"
    assert f'<label for="{toggle.group(1)}"><strong>Select all</strong></label>' in page
    assert re.search(r'<script src="/static/js/admin-export-select-all\.js"', page)
