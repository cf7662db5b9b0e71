"""Benchmarks: `make bench` (scale.py, then slow3g.py). Not an app: nothing here is imported by the site."""
