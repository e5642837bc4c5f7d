"""Leaving the platform: the platform word with a cue a few words away, or an "own
contract" cue, in any language (phrases/platform_exit.yaml); refusals and work talk
are not."""

from __future__ import annotations

import pytest

from streams.detection.engine import detect


def _exits(text: str) -> bool:
    return any(f.kind == "off_platform_intent" for f in detect(text, ["US"]))


@pytest.mark.parametrize(
    ("text", "exits"),
    [
        ("Ya no necesitamos la plataforma, firmamos nuestro propio contrato", True),
        ("Nie potrzebujemy tu Upworka", True),
        ("platforma nie jest nam potrzebna", True),
        ("Je hebt Upwork niet nodig voor deze klus", True),
        ("Upwork'e gerek yok abi", True),
        ("platforma ihtiyacımız yok", True),
        ("Зачем нам эта биржа?", True),
        ("mesh me7tageen Upwork", True),
        ("不需要这个平台了", True),
        ("ko cần dùng nền tảng này đâu", True),
        ("gak usah pakai platform", True),
        ("di na natin kailangan ng upwork", True),
        ("aapko Upwork ki zarurat nahi", True),
        ("platform er dorkar nai", True),
        ("hatuhitaji hii platform", True),
        ("Upwork no dey necessary, we go do our own agreement", True),
        ("Platformsuz, kendi aramızda sözleşme yapalım", True),
        ("ya basha Upwork mesh lazem aslan, ne3mel 3a2d khas benna", True),
        ("ما نحتاج الموقع، الدفع يكون من الشركة مباشرة", True),
        ("Upwork lagbe na, amra nijeder contract sign korbo", True),
        ("ei site er kono dorkar nai, taka sorasori apnar account e jabe", True),
        # refusals, and the platform named for something else
        ("I never work outside the platform", False),
        ("میں پلیٹ فارم سے باہر ادائیگی قبول نہیں کرتا", False),
        ("please leave a review on Upwork when we finish", False),
        ("leave it on the platform, I will check the files there", False),
        ("the app works without login", False),
    ],
)
def test_platform_exit(text: str, exits: bool) -> None:
    assert _exits(text) is exits
