"""The retry policy is pure: decisions for each kind of result."""

from __future__ import annotations

from runner import segment
from runner.delivery.retry import Dead, Delivered, Retry, RetryPolicy


def policy(**kw: object) -> RetryPolicy:
    return RetryPolicy(rand=lambda: 1.0, **kw)  # type: ignore[arg-type]


def test_success_and_final_4xx() -> None:
    p = policy()
    assert p.decide(attempt=1, status=204) == Delivered()
    for status in (400, 401, 403, 404, 422):
        decision = p.decide(attempt=1, status=status)
        assert isinstance(decision, Dead) and f"HTTP {status}" in decision.reason


def test_retryable_results_back_off_exponentially_up_to_the_cap() -> None:
    p = policy(initial_backoff_s=1, max_backoff_s=10)
    delays = [p.decide(attempt=n, status=503) for n in range(1, 7)]
    assert [d.delay_s for d in delays if isinstance(d, Retry)] == [1, 2, 4, 8, 10, 10]
    assert isinstance(p.decide(attempt=1, status=None, error="ConnectError"), Retry)
    assert isinstance(p.decide(attempt=1, status=408), Retry)
    assert isinstance(p.decide(attempt=1, status=429), Retry)


def test_jitter_spreads_delays_but_never_to_zero() -> None:
    p = RetryPolicy(initial_backoff_s=1, rand=lambda: 0.0)
    decision = p.decide(attempt=5, status=500)
    assert isinstance(decision, Retry) and decision.delay_s == 0.1


def test_retry_after_wins_and_is_capped() -> None:
    p = policy(max_retry_after_s=60)
    assert p.decide(attempt=1, status=429, retry_after_s=7) == Retry(7, "HTTP 429")
    assert p.decide(attempt=1, status=429, retry_after_s=7200) == Retry(60, "HTTP 429")


def test_budget_ends_in_a_dead_letter() -> None:
    p = policy(max_attempts=3)
    assert isinstance(p.decide(attempt=2, status=500), Retry)
    decision = p.decide(attempt=3, status=500)
    assert isinstance(decision, Dead) and "after 3 attempts" in decision.reason


def test_segment_rules_differ_for_501_and_410() -> None:
    p = policy()
    assert isinstance(p.decide(attempt=1, status=501, retryable=segment.is_retryable), Dead)
    assert isinstance(p.decide(attempt=1, status=410, retryable=segment.is_retryable), Retry)
    assert isinstance(p.decide(attempt=1, status=410), Dead)
