"""An address given as its parts: a provider or a domain, and a local part near it."""

from __future__ import annotations

import pytest

from streams.detection.engine import detect


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("my gmail is jordan.hale.design, send the specs there", "jordan.hale.design@gmail.com"),
        ("hotmail adresim zeynep_kaya93, dosyaları oraya at", "zeynep_kaya93@hotmail.com"),
        ("ابعتلي الملف على الجيميل: nour.elhoda.design", "nour.elhoda.design@gmail.com"),
        ("логин kirill.web, домен mail.ru, между ними собачка", "kirill.web@mail.ru"),
        ("el dominio es outlook.com y antes pon andrea.vega", "andrea.vega@outlook.com"),
        ("ящик на яндексе: nastya-kopirait, проверяю каждый час", "nastya-kopirait@yandex.ru"),
        ("我的QQ邮箱是2846153970，资料发那里", "2846153970@qq.com"),
        ("gmail yangu ni wanjiru.designs, tuma huko", "wanjiru.designs@gmail.com"),
        # the domain part written alone, after the local part
        ('teresa.lynn (followed by "@stanford.edu")', "teresa.lynn@stanford.edu"),
        ('login maria.k92, then "@proton.me"', "maria.k92@proton.me"),
        # not an address: a work topic, a file, a setting, an address written out
        ("set up the Gmail API sync for support.team labels", None),
        ("I attached brief_v2.pdf, my gmail is full though", None),
        ("config: MAIL_USERNAME=tu_usuario@gmail.com", None),
        ("our Outlook add-in reads invoice_2024 attachments", None),
        ("gmail is down again today, sorry for the delay", None),
        ('<span style="font-weight: 400">"first name"@cs.stanford.edu</span>', None),
    ],
)
def test_an_address_given_as_its_parts(text: str, address: str | None) -> None:
    emails = {f.value for f in detect(text, ["US"]) if f.kind == "email"}
    assert emails == ({address} if address else set())
