"""Compliance documents kept as certifications: a standards declaration and a trademark, with validity."""

import datetime as dt

import pytest

from events_app.core.i18n import language
from events_app.core.labels import label
from events_app.core.errors import ValidationError
from events_app.directory import certifications
from events_app.directory.certifications import CertificationInput
from events_app.directory.tables import Certification
from tests.factories import make_producer, make_product, make_user


async def test_standards_declarations_and_trademarks_are_kept_with_their_validity(clean_db):
    producer = await make_producer("HTX Chè Thanh Chương")
    product = await make_product(producer, "Chè búp khô")
    user = await make_user("producer", producer=producer)
    declared = await certifications.add(producer.id, CertificationInput(
        kind="standards_declaration", number="01/2025/TCB-CHE", issuer="HTX Chè Thanh Chương",
        valid_from=dt.date(2025, 1, 10), valid_until=dt.date(2028, 1, 9), product_id=product.id,
    ), actor_id=user.id)
    mark = await certifications.add(producer.id, CertificationInput(
        kind="trademark", number="4-0412345-000", issuer="Cục Sở hữu trí tuệ",
        valid_from=dt.date(2022, 5, 1), valid_until=dt.date(2032, 4, 30),
    ), actor_id=user.id)
    rows = await Certification.select(Certification.id, Certification.kind, Certification.product,
                                      Certification.producer).order_by(Certification.id)
    assert rows == [
        {"id": declared, "kind": "standards_declaration", "product": product.id, "producer": None},
        {"id": mark, "kind": "trademark", "product": None, "producer": producer.id},
    ]
    with language("vi"):
        assert [label("certification_kind", row["kind"]) for row in rows] == ["Tự công bố sản phẩm", "Nhãn hiệu"]

    with pytest.raises(ValidationError) as refused:
        await certifications.add(producer.id, CertificationInput(
            kind="patent", number="1", issuer="", valid_from=dt.date(2025, 1, 1), valid_until=dt.date(2026, 1, 1),
        ), actor_id=user.id)
    assert "kind" in refused.value.field_messages()
    with pytest.raises(Exception):  # the database's own check, behind the form's
        await Certification.insert(Certification(kind="patent", producer=producer.id, valid_from=dt.date(2025, 1, 1),
                                                 valid_until=dt.date(2026, 1, 1)))
    assert await Certification.count() == 2
