"""Benchmarks for labelops: they print figures and never assert timings (see bench/README.md)."""
