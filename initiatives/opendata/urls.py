from django.contrib.sitemaps.views import sitemap
from django.urls import path

from initiatives.page_cache import public_page, public_pages

from .api import api
from .sitemaps import SITEMAPS
from .views import robots_txt

urlpatterns = [
    path("api/", public_pages(api.urls)),
    path("sitemap.xml", public_page(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", public_page(robots_txt), name="robots_txt"),
]
