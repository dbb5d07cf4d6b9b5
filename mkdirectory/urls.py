from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from mkdirectory.health import healthz

urlpatterns = [
    # For load balancers; exempt from the HTTPS redirect in production (settings/prod.py).
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # Sign in, sign out and passwords (Django's views), then joining by invitation.
    path("accounts/", include("initiatives.accounts.auth_urls")),
    path("accounts/", include("initiatives.accounts.urls")),
    path("", include("initiatives.editing.urls")),  # /manage/ and /images/
    path("", include("initiatives.public.urls")),
    path("", include("indicators.urls")),
    path("", include("initiatives.enquiries.urls")),
    path("", include("initiatives.opendata.urls")),
    path("", include("initiatives.feedback.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
