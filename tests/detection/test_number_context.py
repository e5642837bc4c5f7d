"""What the words around a number or an address say it is (``number_context.yaml``):
a code named right before it, sample data, or a number of another region with nothing
saying it is a way to get in touch, is not a contact detail."""

from __future__ import annotations

import pytest

from streams.detection.engine import detect


@pytest.mark.parametrize(
    ("text", "country", "kinds"),
    [
        # a code named right before the number
        ("Barcodes for the import: EAN 4006381333931, UPC 036000291452", None, set()),
        ("The ACH file rejects routing 021000021 with R03", None, set()),
        ("trên hóa đơn ghi MST công ty 0312345678 giúp mình", None, set()),
        ("form me IFSC HDFC0001234 aur MICR 400240002 ka validation", None, set()),
        ("Код за УКТЗЕД 8471 30 00 00 для декларації", None, set()),
        ("irsaliye no 000245781, teslim yarın", None, set()),
        # the nearest cue decides: a contact cue after the code word
        ("order done, my number 0803 123 4567", "NG", {"phone"}),
        # a plain number of another region, nothing saying it is a phone
        ("PO 4500183726 was approved by finance", None, set()),
        ("Unix timestamp 1717171717 should be shown in PHT", None, set()),
        ("l'ordine 3391847205 risulta pagato su Shopify", None, set()),
        # ... but a contact cue anywhere, or a channel, makes it one
        ("il mio numero è 339 184 7205", None, {"phone"}),
        ("WhatsApp me, 0803 123 4567", None, {"phone"}),
        ("nipigie 0712 345 678 jioni", None, {"phone"}),
        # ... and so does a disguise: digit words, keycaps, line breaks
        ("0️⃣8️⃣7️⃣8️⃣ 1234 1234", None, {"phone"}),
        ("zero six, douze, trente-quatre, cinquante-six, soixante-dix-huit", "FR", {"phone"}),
        # a list of numbers (pages of a citation) near a contact cue elsewhere on a page
        (
            "J. Comput. Phys. 169, 463-502 (2001). " + "x " * 60 + "Phone: 650-723-4173",
            "US",
            {"phone"},
        ),
        ("J. Comput. Phys. 169, 463-502 (2001).", None, set()),
        # a number of the sender's own country, written plainly
        ("0532 418 27 63", "TR", {"phone"}),
        # sample data its sender does not call theirs
        ("Seed data: users = [{name: 'Test User', phone: '+44 20 7946 0000'}]", None, set()),
        ("datos de prueba: teléfono 600 000 000", None, set()),
        ("dados fake pro seed: telefone (11) 91234-5678", None, set()),
        ('API sample: {"phone": "+234 000 000 0000"}', None, set()),
        ("for example my number +44 7911 123456, call after six", None, {"phone"}),
    ],
)
def test_phone_numbers_in_context(text: str, country: str | None, kinds: set[str]) -> None:
    regions = [country, "US", "GB", "IN", "NG", "DE", "FR", "MX", "BR", "RU", "UA"]
    found = detect(text, [r for r in regions if r])
    assert {f.kind for f in found} & {"phone"} == kinds


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("config: MAIL_USERNAME=tu_usuario@gmail.com", set()),
        (".env: EMAIL_HOST_USER=seu_usuario@gmail.com (trocar em produção)", set()),
        ("no Figma troca o 'joao@empresa.com' por Lorem Ipsum antes de entregar", set()),
        ("sur la maquette remplace 'jean.dupont@societe.com' par du faux texte", set()),
        ("the fixture has john.doe@acme.io as the owner", set()),
        ("Use the sample IBAN DE89 3704 0044 0532 0130 00 for the unit tests", set()),
        # a person's own, even next to sample data; a disguised one always
        ("the mockup is done, my email is lena.k@gmail.com", {"email"}),
        ("send the sample to harlow88@ gmail . com", {"email"}),
        ("IBAN DE89 3704 0044 0532 0130 00, Kontoinhaber Lukas Becker", {"payment_account"}),
    ],
)
def test_addresses_in_sample_data(text: str, kinds: set[str]) -> None:
    found = {f.kind for f in detect(text, ["US"])}
    assert found & {"email", "payment_account"} == kinds
