"""Settings for the intake load benchmark: the platform's own settings plus one baseline URL (bench_urls)."""
from ipcity.settings import *  # noqa: F401,F403

ROOT_URLCONF = "bench_urls"
