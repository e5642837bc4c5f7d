import pytest

from streams.detection.split import Fragment, find_split_detail

REGIONS = ("US", "GB")


@pytest.mark.parametrize(
    ("earlier", "new", "kind", "value", "ids"),
    [
        (["my number", "917", "482"], "0142", "phone", "+19174820142", ("m2", "m3", "m4")),
        (["john.doe", "at gmail"], "dot com", "email", "john.doe@gmail.com", ("m1", "m2", "m3")),
        (["jordan@gmail"], "com", "email", "jordan@gmail.com", ("m1", "m2")),
    ],
)
def test_a_detail_completed_by_the_new_message(
    earlier: list[str], new: str, kind: str, value: str, ids: tuple[str, ...]
) -> None:
    fragments = [Fragment(f"m{i}", t) for i, t in enumerate(earlier, 1)]
    detail = find_split_detail(fragments, Fragment(f"m{len(earlier) + 1}", new), REGIONS)
    assert detail is not None
    assert {(f.kind, f.value) for f in detail.findings} == {(kind, value)}
    assert detail.message_ids == ids
    assert all(0 <= f.start <= f.end <= len(new) for f in detail.findings)


@pytest.mark.parametrize(
    ("earlier", "new"),
    [
        (["hello"], "how are you"),
        (["the budget is 500"], "and 300 for design"),
        (["call me"], "+1 917 482 0142"),  # complete in the new message alone
        ([], "0142"),
    ],
)
def test_no_split_detail(earlier: list[str], new: str) -> None:
    fragments = [Fragment(f"m{i}", t) for i, t in enumerate(earlier, 1)]
    assert find_split_detail(fragments, Fragment("new", new), REGIONS) is None
