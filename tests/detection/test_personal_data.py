"""Personal data × request: an identity document, bank credentials or a home address
asked for, in any language (phrases/personal_data.yaml); a form field or safety advice
is no request."""

from __future__ import annotations

import pytest

from streams.detection.engine import detect


def _asks(text: str) -> bool:
    return any(f.kind == "personal_info_request" for f in detect(text, ["US"]))


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        # an item with an ask cue
        ("send me your online banking username and password", True),
        ("Mándame foto de tu INE por ambos lados", True),
        ("pra cadastrar preciso do seu login e senha do internet banking", True),
        ("Prześlij skan dowodu osobistego z obu stron", True),
        ("Kimlik kartının ön-arka fotoğrafını gönder", True),
        ("ابعتلي صورة البطاقة الشخصية من الوشين", True),
        ("ib3atli sora men el beta2a el shakhseya", True),
        ("先把身份证正反面拍照发我", True),
        ("gửi ảnh cccd 2 mặt cho mình nhé", True),
        ("kirim foto KTP sama selfie pegang KTP ya", True),
        ("bas Aadhaar card aur PAN ki photo bhej do", True),
        ("CNIC ki dono taraf ki pic aur ek selfie bhejo", True),
        ("nitumie picha ya kitambulisho pande zote mbili", True),
        ("snap your NIN slip and international passport send", True),
        # a list of items is a request without a verb
        ("Для анкеты: ФИО, адрес прописки, дата рождения, СНИЛС", True),
        ("Ad soyad, açık adres, doğum tarihi ve TC kimlik no lazım", True),
        # not a request: the work's form fields, safety advice, an item alone
        ("add a date of birth field and validate the passport input", False),
        ("never share your online banking password with anyone", False),
        ("my passport expires next year, so I can travel for the workshop", False),
        ("send me the address of the staging server", False),
    ],
)
def test_personal_data_request(text: str, asks: bool) -> None:
    assert _asks(text) is asks
