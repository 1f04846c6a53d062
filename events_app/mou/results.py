"""What a connection conference produced, for its public results page: the MoUs signed there
(signed and fulfilled; lapsed ones apart), their value, by province and by product group, and how
their follow-up stands. Each figure is one GROUP BY query.

How an MoU of several parties counts: once in the totals, whatever its parties; by province, once
in each province its producers are from (where the goods come from) — several producers of one
province count it once there — and an MoU without producers (between agencies, or an agency and a
distributor) in each of its agencies' provinces; distributors, the buying side, do not place it.
As with product groups, an MoU in several provinces counts its whole value in each, so the rows
of a table may add up to more than the total signed, which the page says."""

from __future__ import annotations

from piccolo.query.functions.aggregate import Count, Sum

from events_app.core.clock import today
from events_app.core.errors import NotFound
from events_app.core.i18n import N_
from events_app.events.tables import EventKind
from events_app.mou import follow_up
from events_app.mou.rules import COUNTED_AS_SIGNED
from events_app.mou.tables import Mou, MouStatus

NO_RESULTS = N_("This conference does not exist.")
FOLLOWED = [*COUNTED_AS_SIGNED, MouStatus.lapsed.value]

# A MoU counts once in each product group it names, however many of its products are in it.
BY_GROUP = """
SELECT g.code AS code, g.name_vi AS name_vi, g.name_en AS name_en, COUNT(*) AS count,
       COALESCE(SUM(m.value_vnd), 0) AS value
FROM mou m
JOIN (SELECT DISTINCT mp.mou AS mou, p."group" AS grp FROM mou_product mp JOIN product p ON p.id = mp.product) x
  ON x.mou = m.id
JOIN product_group g ON g.id = x.grp
WHERE m.event = {} AND m.status IN ({}, {})
GROUP BY g.id, g.code, g.name_vi, g.name_en, g.position
ORDER BY COUNT(*) DESC, g.position, g.code
"""


BY_PROVINCE = """
SELECT pv.name AS province, COUNT(*) AS count, COALESCE(SUM(m.value_vnd), 0) AS value
FROM mou m
JOIN (
  SELECT DISTINCT mp.mou AS mou, COALESCE(p.province, a.province) AS province
  FROM mou_party mp
  LEFT JOIN producer p ON p.id = mp.producer
  LEFT JOIN agency a ON a.id = mp.agency
  WHERE mp.kind = 'producer'
     OR (mp.kind = 'agency' AND NOT EXISTS (
           SELECT 1 FROM mou_party other WHERE other.mou = mp.mou AND other.kind = 'producer'))
) x ON x.mou = m.id
JOIN province pv ON pv.id = x.province
WHERE m.event = {} AND m.status IN ({}, {})
GROUP BY pv.id, pv.name
"""


def _figure(row: dict) -> dict:
    return {"count": int(row["count"] or 0), "value": int(row["value"] or 0)}


async def conference_results(event: dict) -> dict:
    if event["kind"] != EventKind.conference.value:
        raise NotFound(NO_RESULTS)
    event_id = event["id"]
    await follow_up.lapse_overdue(Mou.event == event_id)

    by_status = {
        row["status"]: _figure(row)
        for row in await Mou.select(
            Mou.status, Count(alias="count"), Sum(Mou.value_vnd, alias="value")
        ).where((Mou.event == event_id) & Mou.status.is_in(FOLLOWED)).group_by(Mou.status)
    }
    zero = {"count": 0, "value": 0}
    fulfilled = by_status.get(MouStatus.fulfilled.value, zero)
    in_progress = by_status.get(MouStatus.signed.value, zero)
    lapsed = by_status.get(MouStatus.lapsed.value, zero)

    provinces = await Mou.raw(BY_PROVINCE, event_id, *COUNTED_AS_SIGNED)
    provinces = sorted(({"province": r["province"], **_figure(r)} for r in provinces),
                       key=lambda r: (-r["value"], -r["count"], r["province"] or ""))

    groups = await Mou.raw(BY_GROUP, event_id, *COUNTED_AS_SIGNED)
    return {
        "signed": {"count": fulfilled["count"] + in_progress["count"], "value": fulfilled["value"] + in_progress["value"]},
        "fulfilled": fulfilled,
        "in_progress": in_progress,
        "lapsed": lapsed,
        "by_province": provinces,
        "by_group": [{"code": r["code"], "name_vi": r["name_vi"], "name_en": r["name_en"], **_figure(r)} for r in groups],
        "as_of": today(),
    }
