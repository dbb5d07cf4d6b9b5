"""Local development: debug on, a throwaway secret key, console email."""

from .base import *  # noqa: F401,F403
from .base import SECRET_KEY, env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-never-use-in-production"
# `make run` creates the demo-staff and demo-editor logins for trying the site locally.
ALLOW_DEMO_ACCOUNTS = True
