"""The reimbursement scam: a cheque to cash and goods to buy, or goods bought with your
own money and paid back, is payment outside the platform, in any language."""

from __future__ import annotations

import pytest

from streams.detection.engine import detect


@pytest.mark.parametrize(
    ("text", "paid_outside"),
    [
        ("we'll send you a cheque, cash it and buy the equipment from our vendor", True),
        ("te enviamos un cheque, lo cobras y compras el equipo en nuestra tienda", True),
        ("Sie bekommen einen Scheck, lösen ihn ein und kaufen damit die Ausrüstung", True),
        ("мы вышлем чек, обналичите и купите оборудование у нашего поставщика", True),
        ("Sana 25.000 TL'lik çek göndereceğiz, tedarikçimizden ekipmanı alırsın", True),
        ("هنرسل لك شيك، تصرفه وتشتري الأجهزة من المورد بتاعنا", True),
        ("kami kirim cek, kamu cairkan lalu beli laptop dari supplier kami", True),
        ("laptop khud kharid lo, hum cheque se reimburse kar denge", True),
        ("e tự mua thiết bị trước, bên a hoàn tiền sau", True),
        ("hanba3tlak sheek b 2500$, ta3mel deposit w teshteri el laptop men el vendor", True),
        ("راح نرسل لك شيك، اصرفه واشتري منه الأجهزة من المورد حقنا", True),
        ("magpapadala kami ng cheque, i-deposit mo tapos bumili ka ng laptop", True),
        # not the scam: a receipt, a work topic, a refusal, a report
        ("купил монитор, вот чек из магазина", False),
        ("our cheque printing module should let the office buy equipment in bulk", False),
        ("I won't buy equipment with a cheque from a stranger", False),
        ("they offered a cheque to buy a laptop from their vendor, is this a scam?", False),
    ],
)
def test_the_reimbursement_scam(text: str, paid_outside: bool) -> None:
    kinds = {f.kind for f in detect(text, ["US"])}
    assert ("off_platform_payment" in kinds) is paid_outside
