"""Settings shared by every environment, read from environment variables."""

import datetime
import os
from pathlib import Path

import dj_database_url

from .email import email_server

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "simple_history",
    "axes",
    "import_export",
    # The shared core first; then the apps built on it (see docs/architecture.md). Admin modules load
    # in this order, so an app that extends another's admin comes after it.
    "initiatives",
    "indicators",
    "initiatives.search",
    "initiatives.accounts",
    "initiatives.editing",
    "initiatives.enquiries",
    "initiatives.feedback",
    "initiatives.opendata",
    "initiatives.public",
    "initiatives.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "mkdirectory.middleware.SecurityHeadersMiddleware",
    "initiatives.opendata.middleware.OpenApiCorsMiddleware",
    # A NUL in the address or a form is a 400 before any view or the database sees it.
    "mkdirectory.middleware.InvalidCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Public pages for visitors without a session, whole, from the shared cache (page_cache.py);
    # before the session middleware, so that it sees any cookie a page would set.
    "initiatives.page_cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # An ETag on every page drawn afresh, and 304 Not Modified when the visitor's copy is current.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records who made each change in an organisation's or service's history.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# django-axes checks every login (the site's and the admin's) before the usual password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "mkdirectory.urls"
WSGI_APPLICATION = "mkdirectory.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "initiatives.public.shortlist.saved_services",
                "initiatives.page_cache.site_url",
            ],
        },
    },
]

# A SQLite file next to the project unless DATABASE_URL points elsewhere
# (for example postgres://postgres@127.0.0.1:5432/mkdirectory).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Pages run short queries, which PostgreSQL's JIT compiler slows down: a nearest-first list of
    # 10,000 services is costed high enough to be compiled, and compiling took longer than running.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The cache holds the rate limits' counts, the directory's change counter, option counts and cached
# results. With several processes or servers they must share one cache, or each keeps its own
# counts: REDIS_URL (redis://127.0.0.1:6379/0) selects Django's Redis backend, which answers as an
# empty cache while Redis is unreachable (initiatives/shared_cache.py). Without it, local memory, which is
# right for one process only (dev, tests); production refuses it unless told (MK_ALLOW_LOCAL_CACHE,
# settings/prod.py). Room for many entries, so a flood of cached counts cannot soon evict a limit.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_KEY_PREFIX = os.environ.get("MK_CACHE_KEY_PREFIX", "mkdirectory")  # sites sharing one Redis
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "initiatives.shared_cache.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            # A page waits at most this long for Redis, then is drawn without it
            # (initiatives/shared_cache.py).
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    }
# Seconds that option counts, synonyms and search words are kept (initiatives/caching.py). A write
# clears them at once for every process sharing the cache; with local memory, other processes catch
# up within this time. 0: never kept.
DIRECTORY_CACHE_SECONDS = int(os.environ.get("MK_DIRECTORY_CACHE_SECONDS", "60"))
# Seconds a whole public page is kept for visitors without a session (initiatives/page_cache.py); a
# page is drawn afresh after any change and every minute anyway. 0: never kept (bench/run.py
# measures the pages drawn afresh this way).
PAGE_CACHE_SECONDS = int(os.environ.get("MK_PAGE_CACHE_SECONDS", "60"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded logos and photos live outside MEDIA_ROOT, so nothing serves them directly: the view at
# IMAGES_URL (initiatives.editing.image_views) shows a draft's image only to its editors and staff.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("DJANGO_PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
IMAGES_URL = "/images/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "images": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": IMAGES_URL},
    },
}
# Uploads larger than this, in bytes or in pixels (decompression bombs), are refused unread.
MAX_IMAGE_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
# Pixels a PNG, WebP or progressive JPEG may have. These are decoded whole, at 6 to 16 bytes a pixel,
# so the cap is a 12-megapixel phone photo (4032 x 3024 or 4080 x 3060): about 200 MB at most. A JPEG
# as cameras and phones save it is decoded at reduced scale, and may have MAX_IMAGE_PIXELS.
MAX_IMAGE_PIXELS_DECODED_WHOLE = int(os.environ.get("MK_MAX_IMAGE_PIXELS_DECODED_WHOLE", "12500000"))
# Images one server process works on at once; another upload waits up to this many seconds for a
# turn, then the editor is asked to try again shortly.
IMAGE_PROCESSING_AT_ONCE = int(os.environ.get("MK_IMAGE_PROCESSING_AT_ONCE", "2"))
IMAGE_PROCESSING_WAIT_SECONDS = float(os.environ.get("MK_IMAGE_PROCESSING_WAIT_SECONDS", "10"))

# Email: printed to the console in development, sent by SMTP in production (settings/prod.py).
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "MK Directory <directory@localhost>")
# Seconds any wait on the mail server may last, so a slow one never hangs a page for long: every
# email is stored first and a failed one tried again from cron (docs/deploy.md, "Email").
EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "10"))
# The SMTP server, from DJANGO_EMAIL_URL or DJANGO_EMAIL_HOST and its companions (email.py).
globals().update(email_server())  # EMAIL_HOST, EMAIL_PORT, EMAIL_USE_TLS, ...

# Sent with every response by mkdirectory.middleware: no inline script, nothing
# from another origin.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# Also sent with every response: no page may use the browser's powerful features (camera,
# microphone, location, payments, devices, ...), nor may anything embedded in one.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), browsing-topics=(), camera=(), display-capture=(), "
    "encrypted-media=(), fullscreen=(), gamepad=(), geolocation=(), gyroscope=(), hid=(), "
    "identity-credentials-get=(), idle-detection=(), local-fonts=(), magnetometer=(), microphone=(), "
    "midi=(), otp-credentials=(), payment=(), picture-in-picture=(), publickey-credentials-create=(), "
    "publickey-credentials-get=(), screen-wake-lock=(), serial=(), storage-access=(), usb=(), "
    "web-share=(), window-management=(), xr-spatial-tracking=()"
)

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SERVICES_PER_PAGE = 20
# "Directions" on a place: a plain link to a public map site ({destination} is "lat,lon" or a
# postcode); the site is never loaded into our pages. OpenStreetMap's, for example:
# https://www.openstreetmap.org/directions?to={destination}
DIRECTIONS_URL = os.environ.get(
    "MK_DIRECTIONS_URL", "https://www.google.com/maps/dir/?api=1&destination={destination}"
)
# Largest CSV of indicator figures staff may import (bytes); 2 MB is tens of thousands of rows.
INDICATOR_IMPORT_MAX_BYTES = int(os.environ.get("MK_INDICATOR_IMPORT_MAX_BYTES", str(2 * 1024 * 1024)))
# Months between a listing's check and its next review (staff may set another period per organisation).
REVIEW_PERIOD_MONTHS = int(os.environ.get("MK_REVIEW_PERIOD_MONTHS", "6"))
# Days past its review date after which editors get a second, "overdue" reminder.
REVIEW_OVERDUE_AFTER_DAYS = int(os.environ.get("MK_REVIEW_OVERDUE_AFTER_DAYS", "30"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}
# Services under this need are suggested when a search finds nothing.
GENERAL_ADVICE_NEED_SLUG = "general-advice"
# Texts one day may add to the log of searches that found nothing; past it, that day's further new
# texts are counted together as "Other searches" (counted in the database, so for the whole site).
UNMATCHED_SEARCHES_PER_DAY = int(os.environ.get("MK_UNMATCHED_SEARCHES_PER_DAY", "300"))
# Months of daily counts `manage.py purge_unmatched_searches` keeps, this month included: 13, so a
# month can be compared with the same month a year before.
UNMATCHED_SEARCH_RETENTION_MONTHS = int(os.environ.get("MK_UNMATCHED_SEARCH_RETENTION_MONTHS", "13"))
# Days past its review date after which a public page warns that a listing may be out of date.
LONG_OVERDUE_DAYS = int(os.environ.get("MK_LONG_OVERDUE_DAYS", "90"))

# Enquiries and notices (issue 6). Staff who hear about general enquiries, and about enquiries to
# organisations with no editor yet; links in emails start with SITE_URL.
STAFF_NOTIFICATION_EMAILS = env_list("MK_STAFF_NOTIFICATION_EMAILS")
SITE_URL = os.environ.get("MK_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Open Referral UK requires every address to name its "state or province"; UK addresses put the
# county there. Milton Keynes is in the ceremonial county of Buckinghamshire.
ORUK_STATE_PROVINCE = os.environ.get("MK_ORUK_STATE_PROVINCE", "Buckinghamshire")
# Days a closed enquiry is kept before `manage.py purge_enquiries` deletes it.
ENQUIRY_RETENTION_DAYS = int(os.environ.get("MK_ENQUIRY_RETENTION_DAYS", "90"))
# Enquiries one address may send per window; only a keyed hash of the address is kept, in the cache.
ENQUIRY_RATE_LIMIT = int(os.environ.get("MK_ENQUIRY_RATE_LIMIT", "5"))
ENQUIRY_RATE_WINDOW_SECONDS = int(os.environ.get("MK_ENQUIRY_RATE_WINDOW_SECONDS", "3600"))
# Working days within which residents are told to expect a reply to a message or a problem report.
ENQUIRY_REPLY_DAYS = int(os.environ.get("MK_ENQUIRY_REPLY_DAYS", "5"))

# The privacy notice, accessibility statement and "About this directory" (/privacy/ and so on).
# Who runs the directory and answers for the personal data it keeps (the data controller).
DIRECTORY_OPERATOR = os.environ.get("MK_DIRECTORY_OPERATOR", "Milton Keynes Community Foundation")
# Where residents ask about their personal data; empty, the pages point to the contact form instead.
PRIVACY_CONTACT_EMAIL = os.environ.get("MK_PRIVACY_CONTACT_EMAIL", "")

# Charity editors' accounts (issue 3): sign-in pages under /accounts/, the manage area at /manage/.
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/manage/"
LOGOUT_REDIRECT_URL = "/"
# Days an invitation link to join an organisation keeps working.
INVITATION_VALID_DAYS = int(os.environ.get("MK_INVITATION_VALID_DAYS", "7"))
# Login rate limit: after this many failed attempts for one username from one address, that
# pair is locked out for the cool-off period (django-axes).
AXES_FAILURE_LIMIT = int(os.environ.get("MK_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("MK_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no start-up banner on every manage.py command
# Lockouts end by themselves; to lift one sooner: `manage.py axes_reset_username <name>`.
AXES_ENABLE_ADMIN = False
AXES_LOCKOUT_CALLABLE = "initiatives.accounts.views.locked_out"  # says how long to wait, in minutes
# Proxies in front of the site that append to X-Forwarded-For (a TLS proxy, a load balancer): the
# visitor's address is read that many entries from the right (initiatives/client_address.py).
# 0, the default, uses the connecting address and ignores the header, which a visitor can forge.
PROXY_COUNT = int(os.environ.get("MK_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "initiatives.client_address.client_address"
# Demo accounts (`manage.py create_demo_accounts`) may be created only where this is on: dev and test.
ALLOW_DEMO_ACCOUNTS = False

# CSV exports. django-import-export's own escaping stays off: it only drops a leading
# "=", which changes the text and leaves "+", "-" and "@". The staff exports escape every formula
# in initiatives/opendata/resources.py instead, with the site's other CSVs (initiatives/csv_cells.py).
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False
