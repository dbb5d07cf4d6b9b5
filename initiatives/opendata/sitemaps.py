"""The sitemap search engines read: every published public page, with when it last changed."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.urls import reverse

from indicators.models import Indicator
from initiatives.models import Need, Organisation, Service


class Sitemap(DjangoSitemap):
    """Addresses start with SITE_URL, never the request's Host header: the sitemap is kept in the
    shared cache for everyone (initiatives/page_cache.py)."""

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme


class ListingSitemap(Sitemap):
    """Published records of one model, in a stable order, with their last change."""

    model = None

    def items(self):
        return self.model.objects.published().order_by("pk").only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class ServiceSitemap(ListingSitemap):
    model = Service


class OrganisationSitemap(ListingSitemap):
    model = Organisation


class IndicatorSitemap(ListingSitemap):
    model = Indicator


class NeedSitemap(Sitemap):
    def items(self):
        return Need.objects.order_by("pk").only("slug")


class PageSitemap(Sitemap):
    """The fixed pages: home, the lists, the contact form, and about, privacy and accessibility."""

    def items(self):
        return [
            "initiatives:home",
            "initiatives:service_list",
            "initiatives:organisation_list",
            "indicators:indicator_list",
            "enquiries:contact",
            "initiatives:about",
            "initiatives:privacy",
            "initiatives:accessibility",
        ]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": PageSitemap,
    "services": ServiceSitemap,
    "organisations": OrganisationSitemap,
    "needs": NeedSitemap,
    "indicators": IndicatorSitemap,
}
