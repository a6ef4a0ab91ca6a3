"""Test settings: the same as production but with fixed keys, a fast hasher and a throwaway home."""
import os
import tempfile

os.environ.setdefault("IPCITY_HOME", tempfile.mkdtemp(prefix="ipcity-test-"))
os.environ.setdefault("IPCITY_FIELD_KEYS", '{"k1": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="}')
os.environ.setdefault("IPCITY_DIGEST_KEY", "ZGlnZXN0LWtleS1mb3ItdGVzdHMtb25seS0zMmJ5dGU=")
os.environ.setdefault("IPCITY_SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")

from ipcity.settings import *  # noqa: E402,F401,F403

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing root

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; production keeps PBKDF2
IPCITY_EMBEDDED_WORKER = False
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"].pop("init_command", None)
