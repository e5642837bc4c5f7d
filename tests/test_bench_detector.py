from opguard_tools.bench.detector import generate, render, run


def test_generated_mix_is_fixed_by_its_seed() -> None:
    assert generate(50, 3) == generate(50, 3)
    assert generate(50, 3) != generate(50, 4)


def test_bench_reports_both_timings() -> None:
    result = run(40, 1)
    assert result.messages == 40
    assert result.judge.messages_per_second > 0 and result.baseline.messages_per_second > 0
    assert result.judge.p99_ms >= result.judge.p50_ms
    assert "PhoneNumberMatcher" in render(result)


def test_scan_bench_runs_the_cli_and_the_baseline() -> None:
    from opguard_tools.bench.scan import render as render_scan
    from opguard_tools.bench.scan import run as run_scan

    result = run_scan(lines=30, repeat=1)
    assert result.lines == 30
    assert min(result.start_s, result.baseline_start_s, result.scan_s, result.baseline_scan_s) > 0
    assert "start-up" in render_scan(result)
