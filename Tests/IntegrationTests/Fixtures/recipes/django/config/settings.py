"""Settings of the notes site: a minimal real Django project for the django recipe's test.

The release directory is BASE_DIR; the SQLite database lives in data/, a
shared directory (DEPLOY_TO/shared/data), so it survives releases; static
files are collected into each release's static/.
"""
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RELEASE = BASE_DIR.name

SECRET_KEY = "test-only-7c1f0e9a4b2d8f6e3a5c7b9d1e0f2a4c6b8d0e2f4a6c8b0d2e4f6a8c0b2d4e6f"
DEBUG = False
ALLOWED_HOSTS = ["localhost"]

INSTALLED_APPS = ["django.contrib.staticfiles", "notes"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "data" / "db.sqlite3"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "static"

# What `manage.py check --deploy` asks of a site served over HTTPS.
SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
