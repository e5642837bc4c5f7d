from streams.bench.detector import generate, render, run


def test_generated_mix_is_fixed_by_its_seed() -> None:
    assert generate(50, 3) == generate(50, 3)
    assert generate(50, 3) != generate(50, 4)


def test_bench_reports_both_timings() -> None:
    result = run(40, 1)
    assert result.messages == 40
    assert result.judge.messages_per_second > 0 and result.baseline.messages_per_second > 0
    assert result.judge.p99_ms >= result.judge.p50_ms
    assert "PhoneNumberMatcher" in render(result)
