"""MoUs the organisers arrange (staff): between two or more parties — the conference's producers
and distributors, and provincial agencies (Sở Công Thương, trade-promotion centres), which have no
accounts — such as the agencies of several provinces signing a cooperation agreement, or a
province's agency, a distributor and several producers signing together.

The parties agreed off-line: an arranged MoU is recorded as agreed, ready for the ceremony, and
staff keep it (its parties see it but do not answer it). Staff may change any MoU of the event,
its parties included, until it is signed; a proposal they widen beyond a producer and a
distributor becomes agreed, as an arranged one. Each change is audited in its transaction."""

from __future__ import annotations

from dataclasses import dataclass

from events_app.core.audit import audit
from events_app.core.clock import now, today
from events_app.core.db import for_update, is_integrity_error, write_transaction
from events_app.core.errors import Conflict, DomainError, NotFound, ValidationError
from events_app.core.i18n import N_
from events_app.core.text import fold
from events_app.directory.services import agency_choices, find_or_add_agency
from events_app.directory.tables import AgencyKind, Distributor, Producer, Product
from events_app.events.tables import Attendance
from events_app.matchmaking.attendance import attending_ids
from events_app.mou import parties, rules
from events_app.mou.parties import PartyRef
from events_app.mou.proposals import Terms, check_conference
from events_app.mou.tables import BY_STAFF, Mou, MouParty, MouProduct, MouStatus
from events_app.reference.tables import Province

NO_MOU = N_("This MoU does not exist.")


@dataclass
class NewAgency:
    """An agency not yet in the directory, typed into the form as one more party."""

    name: str
    kind: str
    province_id: int | None
    representative: str = ""
    title: str = ""


@dataclass(kw_only=True)
class Arrangement(Terms):
    """What the staff's form gives: its party rows (None for a row left empty), and the terms."""

    parties: list[PartyRef | None]
    new_agency: NewAgency | None = None


async def party_choices(event: dict) -> dict[str, list[tuple[str, str]]]:
    """Whom an arranged MoU may name, by kind: the conference's registered producers and
    distributors, and every agency (with its province), each as (select value, label)."""
    out: dict[str, list[tuple[str, str]]] = {}
    for kind, table, side in (("producer", Producer, Attendance.producer), ("distributor", Distributor, Attendance.distributor)):
        ids = await attending_ids(event["id"], side)
        rows = await table.select(table.id, table.name).where(table.id.is_in(ids)) if ids else []
        out[kind] = [(parties.party_key(kind, r["id"]), r["name"]) for r in sorted(rows, key=lambda r: fold(r["name"]))]
    out["agency"] = [(parties.party_key("agency", r["id"]), f"{r['name']} ({r['province']})") for r in await agency_choices()]
    return out


async def province_choices() -> list[tuple[int, str]]:
    rows = await Province.select(Province.id, Province.name)
    return sorted(((r["id"], r["name"]) for r in rows), key=lambda pair: fold(pair[1]))


async def product_choices(producer_ids: list[int]) -> list[tuple[int, str]]:
    """The products of the MoU's producers, for its checkboxes: name, stars and whose."""
    if not producer_ids:
        return []
    rows = await Product.select(
        Product.id, Product.name, Product.stars, Product.producer.name.as_alias("producer"),
    ).where(Product.producer.is_in(producer_ids)).order_by(Product.producer).order_by(Product.name)
    return [(r["id"], f"{r['name']} ({r['stars']}★) · {r['producer']}") for r in rows]


def _producer_ids(refs: list[PartyRef | None]) -> list[int]:
    return [ref.org_id for ref in refs if ref is not None and ref.kind == "producer"]


async def arrangement_errors(event: dict, arrangement: Arrangement) -> dict[str, DomainError]:
    """What is wrong, field by field: a party row (`party_<n>`), the parties as a whole
    (`parties`), the new agency, the terms. Lengths and the amount's bounds are the form's."""
    check_conference(event)
    rows = list(arrangement.parties)
    new = arrangement.new_agency
    errors: dict[str, DomainError] = {}
    if new is not None:
        if new.kind not in {k.value for k in AgencyKind}:
            errors["new_agency_kind"] = DomainError(N_("Choose one of the options."))
        if new.province_id is None or not await Province.exists().where(Province.id == new.province_id):
            errors["new_agency_province"] = DomainError(N_("Choose the agency's province."))
    by_row, whole = parties.party_errors(rows + ([PartyRef("agency", 0)] if new is not None else []))
    errors.update({f"party_{index}": error for index, error in by_row.items()})
    if whole is not None:
        errors["parties"] = whole
    attending = {kind: set(await attending_ids(event["id"], side))
                 for kind, side in (("producer", Attendance.producer), ("distributor", Attendance.distributor))}
    agencies = {key for key, _ in (await party_choices(event))["agency"]}
    for index, ref in enumerate(rows):
        if ref is None or f"party_{index}" in errors:
            continue
        known = ref.key in agencies if ref.kind == "agency" else ref.org_id in attending[ref.kind]
        if not known:
            errors[f"party_{index}"] = DomainError(N_("Choose a party from the list: a registered producer or distributor of this conference, or an agency."))
    if not arrangement.title.strip():
        errors["title"] = DomainError(N_("This field is required."))
    if arrangement.value_vnd is None:
        errors["value_vnd"] = DomainError(N_("Enter the estimated value in VND (0 for a cooperation agreement without a value)."))
    if due_error := rules.check_due_date(arrangement.due_on, today()):
        errors["due_on"] = due_error
    producers = _producer_ids(rows)
    chosen = set(arrangement.product_ids)
    own = {product_id for product_id, _ in await product_choices(producers)}
    if producers and not chosen:
        errors["product_ids"] = DomainError(N_("Choose at least one product of the producers among the parties."))
    elif not chosen <= own:
        errors["product_ids"] = DomainError(N_("Choose among the products of the producers among the parties."))
    return errors


async def _write(mou_id: int, arrangement: Arrangement) -> list[str]:
    """The MoU's parties and products as the arrangement gives them (in the open transaction);
    returns the parties' keys, for the audit."""
    refs = [ref for ref in arrangement.parties if ref is not None]
    if (new := arrangement.new_agency) is not None:
        agency_id = await find_or_add_agency(new.name, new.kind, new.province_id, new.representative, new.title)
        if any(ref.kind == "agency" and ref.org_id == agency_id for ref in refs):
            raise ValidationError({"new_agency_name": DomainError(
                N_("This agency is already in the directory and listed above; each party signs once."))})
        refs.append(PartyRef("agency", agency_id, new.representative, new.title))
    await MouParty.delete().where(MouParty.mou == mou_id)
    await MouParty.insert(*parties.rows_for(mou_id, refs))
    await MouProduct.delete().where(MouProduct.mou == mou_id)
    chosen = list(dict.fromkeys(arrangement.product_ids))
    if chosen:
        await MouProduct.insert(*[MouProduct(mou=mou_id, product=product_id) for product_id in chosen])
    return [ref.key for ref in refs]


def _terms(arrangement: Arrangement) -> dict:
    return {Mou.title: arrangement.title.strip(), Mou.value_vnd: arrangement.value_vnd,
            Mou.volume: arrangement.volume.strip(), Mou.terms: arrangement.terms.strip(), Mou.due_on: arrangement.due_on}


async def arrange(event: dict, arrangement: Arrangement, actor_id: int | None = None) -> int:
    """Record an MoU the parties agreed with the organisers; returns its id."""
    if errors := await arrangement_errors(event, arrangement):
        raise ValidationError(errors)
    moment = now()
    try:
        async with write_transaction():
            rows = await Mou.insert(Mou(
                event=event["id"], proposed_by=BY_STAFF, status=MouStatus.agreed.value, created_at=moment,
                agreed_at=moment, **{column._meta.name: value for column, value in _terms(arrangement).items()},
            ))
            mou_id = rows[0]["id"]
            keys = await _write(mou_id, arrangement)
            await audit("mou.arranged", actor_id=actor_id, target=("mou", mou_id),
                        detail={"parties": keys, "value_vnd": arrangement.value_vnd})
    except Exception as exc:
        _raise_conflict_on_clash(exc)
        raise
    return mou_id


def _raise_conflict_on_clash(exc: Exception) -> None:
    """Two people adding the same new agency at once: the unique rules refuse one, said plainly."""
    if is_integrity_error(exc):
        raise Conflict(N_("Someone changed these MoUs or agencies at the same moment; try again.")) from exc


async def change(event: dict, mou_id: int, arrangement: Arrangement, actor_id: int | None = None) -> None:
    """Change an MoU of the event, its parties included, before it is signed."""
    if errors := await arrangement_errors(event, arrangement):
        raise ValidationError(errors)
    try:
        await _change(event, mou_id, arrangement, actor_id)
    except Exception as exc:
        _raise_conflict_on_clash(exc)
        raise


async def _change(event: dict, mou_id: int, arrangement: Arrangement, actor_id: int | None) -> None:
    async with write_transaction():
        row = await for_update(Mou.select().where((Mou.id == mou_id) & (Mou.event == event["id"]))).first()
        if row is None:
            raise NotFound(NO_MOU)
        if row["status"] not in rules.OPEN:
            raise Conflict(N_("A signed or closed MoU can no longer be changed."))
        before = (await parties.of_mous([mou_id]))[mou_id]
        await Mou.update(_terms(arrangement)).where(Mou.id == mou_id)
        keys = await _write(mou_id, arrangement)
        status = row["status"]
        # A proposal staff turn into an MoU of more parties is no longer the two parties' to answer:
        # staff record it as agreed by all, as an MoU they arrange.
        if status == MouStatus.proposed.value and not parties.is_pair([{"kind": key.partition(":")[0]} for key in keys]):
            status = rules.after("agree", status)
            await Mou.update({Mou.status: status, Mou.agreed_at: now()}).where(Mou.id == mou_id)
        await audit("mou.changed", actor_id=actor_id, target=("mou", mou_id),
                    before={"parties": [parties.party_key(p["kind"], p["org_id"]) for p in before],
                            "title": row["title"], "value_vnd": row["value_vnd"], "status": row["status"]},
                    after={"parties": keys, "title": arrangement.title.strip(), "value_vnd": arrangement.value_vnd,
                           "status": status})


async def form_values(event: dict, mou_id: int) -> tuple[dict, int]:
    """An MoU of the event as its form shows it, and how many party rows; NotFound otherwise."""
    row = await Mou.select().where((Mou.id == mou_id) & (Mou.event == event["id"])).first()
    if row is None:
        raise NotFound(NO_MOU)
    if row["status"] not in rules.OPEN:
        raise Conflict(N_("A signed or closed MoU can no longer be changed."))
    values: dict = {
        "title": row["title"], "value_vnd": str(row["value_vnd"] or 0), "volume": row["volume"], "terms": row["terms"],
        "due_on": row["due_on"].isoformat() if row["due_on"] else "",
        "product_ids": [str(p) for p in await MouProduct.select(MouProduct.product).where(MouProduct.mou == mou_id).output(as_list=True)],
    }
    current = (await parties.of_mous([mou_id]))[mou_id]
    for index, party in enumerate(current):
        values[f"party_{index}"] = parties.party_key(party["kind"], party["org_id"])
        values[f"representative_{index}"] = party["representative"]
        values[f"title_{index}"] = party["representative_title"]
    return values, len(current)
