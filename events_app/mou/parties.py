"""The parties of an MoU: two or more, in the order the document lists them (Party A, B, C…),
each a producer, a distributor or a provincial agency, with who signs for it.

The rules (`party_errors`) are pure; the rest reads and writes MouParty rows for the services of
this domain. A participant sees an MoU it is a party of (`involving`), whatever its position."""

from __future__ import annotations

import string
from collections import defaultdict
from dataclasses import dataclass

from events_app.core.errors import DomainError
from events_app.core.i18n import N_
from events_app.mou.tables import Mou, MouParty, PartyKind

MIN_PARTIES = 2
MAX_PARTIES = 10
KINDS = tuple(kind.value for kind in PartyKind)
NAME_LIMIT = 200  # a representative's name and title, as the columns keep them


@dataclass(frozen=True)
class PartyRef:
    """A party as a form gives it: which organisation, and who signs for it in what capacity."""

    kind: str
    org_id: int
    representative: str = ""
    title: str = ""

    @property
    def key(self) -> str:
        return party_key(self.kind, self.org_id)


def party_key(kind: str, org_id: int) -> str:
    """How a party is named in a form's select: "producer:12", "agency:3"."""
    return f"{kind}:{org_id}"


def parse_party_key(text: str) -> tuple[str, int] | None:
    """The (kind, id) a select's value names, or None for anything else."""
    kind, _, raw = text.strip().partition(":")
    if kind not in KINDS or not raw.isdigit() or len(raw) > 9:
        return None
    org_id = int(raw)
    return (kind, org_id) if org_id > 0 else None


def letter(position: int) -> str:
    """A party's letter in the document: A for the first, B for the second… (ten at most)."""
    return string.ascii_uppercase[position]


def party_errors(rows: list[PartyRef | None]) -> tuple[dict[int, DomainError], DomainError | None]:
    """What is wrong with the parties of a form, row by row (an organisation listed twice) and as a
    whole (fewer than two, more than MAX_PARTIES); None rows are the form's empty rows."""
    chosen = [(index, ref) for index, ref in enumerate(rows) if ref is not None]
    by_row: dict[int, DomainError] = {}
    seen: set[str] = set()
    for index, ref in chosen:
        if ref.key in seen:
            by_row[index] = DomainError(N_("This party is already listed above; each party signs once."))
        seen.add(ref.key)
    if len(seen) < MIN_PARTIES:
        return by_row, DomainError(N_("An MoU needs at least two different parties."))
    if len(chosen) > MAX_PARTIES:
        return by_row, DomainError(N_("An MoU has at most %(n)d parties."), n=MAX_PARTIES)
    return by_row, None


def involving(kind: str, org_id: int):
    """A condition on Mou: the organisation is one of its parties."""
    column = {"producer": MouParty.producer, "distributor": MouParty.distributor, "agency": MouParty.agency}[kind]
    return Mou.id.is_in(MouParty.select(MouParty.mou).where(column == org_id))


def _org(row: dict) -> tuple[int, str, str, str, str]:
    """(id, name, slug, type, province) of the party row's organisation."""
    kind = row["kind"]
    return (row[kind], row[f"{kind}_name"] or "", row[f"{kind}_slug"] or "", row[f"{kind}_type"] or "",
            row[f"{kind}_province"] or "")


async def of_mous(mou_ids: list[int]) -> dict[int, list[dict]]:
    """The parties of each MoU, in order: kind, organisation id, name, slug, type, province, letter,
    and who signs for it (an agency's own representative when the MoU names nobody)."""
    out: dict[int, list[dict]] = defaultdict(list)
    if not mou_ids:
        return out
    rows = await MouParty.select(
        MouParty.mou, MouParty.position, MouParty.kind, MouParty.producer, MouParty.distributor, MouParty.agency,
        MouParty.representative, MouParty.representative_title,
        MouParty.producer.name.as_alias("producer_name"), MouParty.producer.slug.as_alias("producer_slug"),
        MouParty.producer.producer_type.as_alias("producer_type"),
        MouParty.producer.province.name.as_alias("producer_province"),
        MouParty.distributor.name.as_alias("distributor_name"), MouParty.distributor.slug.as_alias("distributor_slug"),
        MouParty.distributor.distributor_type.as_alias("distributor_type"),
        MouParty.distributor.province.name.as_alias("distributor_province"),
        MouParty.agency.name.as_alias("agency_name"), MouParty.agency.slug.as_alias("agency_slug"),
        MouParty.agency.agency_kind.as_alias("agency_type"), MouParty.agency.province.name.as_alias("agency_province"),
        MouParty.agency.representative.as_alias("agency_representative"),
        MouParty.agency.representative_title.as_alias("agency_representative_title"),
    ).where(MouParty.mou.is_in(list(mou_ids))).order_by(MouParty.mou).order_by(MouParty.position)
    for row in rows:
        org_id, name, slug, org_type, province = _org(row)
        representative, title = row["representative"], row["representative_title"]
        if row["kind"] == PartyKind.agency.value and not representative:
            representative, title = row["agency_representative"] or "", title or row["agency_representative_title"] or ""
        parties = out[row["mou"]]
        parties.append({
            "kind": row["kind"], "org_id": org_id, "name": name, "slug": slug, "type": org_type, "province": province,
            "letter": letter(len(parties)), "representative": representative, "representative_title": title,
        })
    return out


def others(parties: list[dict], kind: str, org_id: int) -> list[dict]:
    """The parties other than the reader's own organisation."""
    return [p for p in parties if (p["kind"], p["org_id"]) != (kind, org_id)]


def names(parties: list[dict]) -> str:
    return ", ".join(p["name"] for p in parties)


def is_pair(parties: list[dict]) -> bool:
    """A producer and a distributor alone: an MoU its parties negotiate themselves (proposal,
    agreement, withdrawal). Any other MoU is arranged, and kept, by staff."""
    return sorted(p["kind"] for p in parties) == [PartyKind.distributor.value, PartyKind.producer.value]


def rows_for(mou_id: int, refs: list[PartyRef]) -> list[MouParty]:
    """The MouParty rows of `refs`, in their order."""
    return [
        MouParty(mou=mou_id, position=position, kind=ref.kind, representative=ref.representative,
                 representative_title=ref.title, **{ref.kind: ref.org_id})
        for position, ref in enumerate(refs)
    ]
