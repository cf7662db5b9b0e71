"""The site's own settings with one change: the bench's URLs, which add a bare view beside the site's
(the floor that `bench/scale.py` compares the pages' throughput with)."""

from chuyende.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
