"""Benchmarks (not timed tests): they print ratios measured within one run. See `python -m bench --help`."""
