"""Drives runner from the outside, for the tests and the benchmarks alike: `runner serve` as a
subprocess with signed sample webhooks (`harness.serve`), a stand-in for Segment's tracking API
(`harness.segment_standin`) and a throwaway PostgreSQL server (`harness.postgres`).

Not part of the runner package; imports nothing from tests/ (which uses it, not the reverse).
"""
