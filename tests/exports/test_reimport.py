"""An exported file of producers, products or distributors imports again as it is: every row is
recognised as the one already in the directory, none is refused."""

import pytest

from events_app.directory.tables import Distributor, Producer, Product
from events_app.imports.checking import ERROR, NEW, SKIP
from events_app.imports.columns import Kind
from events_app.imports.services import import_path
from events_app.core.clock import today
from tests.booths.conftest import log_in
from tests.exports.conftest import csv_values, xlsx_values
from tests.factories import make_distributor, make_user
from tests.helpers import post_form

LISTED = {Kind.producers: [], Kind.products: [Product.valid_until >= today()], Kind.distributors: []}
PATHS = {Kind.producers: "/staff/exports/producers", Kind.products: "/catalogue", Kind.distributors: "/staff/exports/distributors"}


@pytest.mark.parametrize("language, fmt", [("vi", "xlsx"), ("vi", "csv"), ("en", "xlsx")])
@pytest.mark.parametrize("kind", list(Kind))
async def test_an_exported_file_imports_again(client, shelf, tmp_path, kind, language, fmt):
    await Producer.update({Producer.phone: "+84 203 3876 543", Producer.email: "htx@example.vn",
                           Producer.website: "https://gatienyen.example.vn"}).where(Producer.id == shelf.producers.ga.id)
    await Product.update({Product.traceability_url: "https://truyxuat.example.vn/ga", Product.story: "Gà đồi."}).where(
        Product.id == shelf.ga.id)
    await Product.update({Product.evaluation_level: "national"}).where(Product.stars == 5)  # as the rules have it
    for name, type_ in [("Saigon Co.op", "supermarket_chain"), ("Công ty Thương mại Nông sản Huế", "wholesaler"),
                        ("Sàn Đặc sản Việt", "ecommerce"), ("Công ty Xuất nhập khẩu Vinh", "exporter")]:
        await make_distributor(name, distributor_type=type_)
    await log_in(client, await make_user("staff"))
    if language == "en":  # English headers, types and groups: the import reads those too
        await post_form(client, "/language", {"language": "en", "next": "/"})
    response = await client.get(f"{PATHS[kind]}.{fmt}")
    assert response.status_code == 200
    headers = (xlsx_values if fmt == "xlsx" else csv_values)(response.content)[0]
    assert headers[0] == {"vi": {Kind.producers: "Tên chủ thể", Kind.products: "Tên sản phẩm",
                                 Kind.distributors: "Tên nhà phân phối"}[kind],
                          "en": {Kind.producers: "Producer", Kind.products: "Product",
                                 Kind.distributors: "Distributor"}[kind]}[language]
    path = tmp_path / f"export.{fmt}"
    path.write_bytes(response.content)

    table = {Kind.producers: Producer, Kind.products: Product, Kind.distributors: Distributor}[kind]
    before = await table.count()
    report = await import_path(kind, path, policy="skip", dry_run=True, valid_only=False)
    assert report.missing == []
    errors = [(p.row.number, p.row.errors) for p in report.plan.rows if p.action == ERROR]
    assert errors == []
    listed = len((xlsx_values if fmt == "xlsx" else csv_values)(response.content)) - 1
    assert listed == await table.count().where(*LISTED[kind]) > 0
    assert (report.counts[NEW], report.counts[SKIP]) == (0, listed)  # each row found as the one it came from
    assert await table.count() == before
