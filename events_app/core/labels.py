"""Names shown for the values of the domain's enumerations, in the reader's language."""

from __future__ import annotations

from events_app.core.i18n import N_, gettext

LABELS: dict[str, dict[str, str]] = {
    "producer_type": {
        "cooperative": N_("Cooperative"),
        "cooperative_group": N_("Cooperative group"),
        "enterprise": N_("Enterprise"),
        "household": N_("Household business"),
    },
    "distributor_type": {
        "supermarket_chain": N_("Supermarket chain"),
        "wholesaler": N_("Wholesaler"),
        "ecommerce": N_("E-commerce platform"),
        "exporter": N_("Exporter"),
    },
    "certification_kind": {
        "vietgap": N_("VietGAP"),
        "globalgap": N_("GlobalGAP"),
        "haccp": N_("HACCP"),
        "iso22000": N_("ISO 22000"),
        "organic": N_("Organic"),
        "food_safety": N_("Food safety certificate"),
        "standards_declaration": N_("Standards declaration"),
        "trademark": N_("Trademark"),
    },
    "channel": {
        "supermarket": N_("Supermarkets"),
        "ecommerce": N_("E-commerce"),
        "export": N_("Export"),
        "wholesale": N_("Wholesale"),
        "horeca": N_("Hotels and restaurants"),
    },
    "volume_unit": {
        "kg": N_("kg"),
        "tonne": N_("tonnes"),
        "litre": N_("litres"),
        "item": N_("items"),
    },
    "certification_validity": {
        "valid": N_("Valid"),
        "expiring": N_("Expires soon"),
        "expired": N_("Expired"),
        "not_yet": N_("Not yet valid"),
    },
    "role": {
        "producer": N_("Producer"),
        "distributor": N_("Distributor"),
        "staff": N_("Staff"),
        "admin": N_("Administrator"),
    },
    "event_kind": {
        "fair": N_("Fair"),
        "conference": N_("Connection conference"),
        "showroom": N_("Tourist-point showroom"),
    },
    "event_status": {
        "draft": N_("Draft"),
        "published": N_("Published"),
        "closed": N_("Closed"),
        "cancelled": N_("Cancelled"),
    },
    "session_kind": {
        "plenary": N_("Plenary"),
        "b2b": N_("B2B meetings"),
        "signing": N_("MoU signing ceremony"),
        "other": N_("Other"),
    },
    "booth_type": {
        "standard": N_("Standard"),
        "corner": N_("Corner"),
        "premium": N_("Premium"),
        "outdoor": N_("Outdoor"),
        "shelf": N_("Shelf slot"),
    },
    "feature_kind": {
        "aisle": N_("Aisle"),
        "entrance": N_("Entrance"),
        "stage": N_("Stage"),
        "pillar": N_("Pillar"),
    },
    "application_status": {
        "submitted": N_("Submitted"),
        "approved": N_("Approved"),
        "waitlisted": N_("Waitlisted"),
        "rejected": N_("Rejected"),
        "confirmed": N_("Confirmed"),
        "cancelled": N_("Cancelled"),
    },
    "rental_status": {
        "held": N_("Waiting for approval"),
        "active": N_("Rented"),
        "cancelled": N_("Cancelled"),
    },
    "request_status": {
        "requested": N_("Requested"),
        "accepted": N_("Accepted"),
        "declined": N_("Declined"),
        "cancelled": N_("Cancelled"),
    },
    "mou_status": {
        "proposed": N_("Proposed"),
        "agreed": N_("Agreed"),
        "signed": N_("Signed"),
        "fulfilled": N_("Fulfilled"),
        "lapsed": N_("Lapsed"),
        "withdrawn": N_("Withdrawn"),
        "declined": N_("Declined"),
    },
    "mou_party_kind": {
        "producer": N_("Producer"),
        "distributor": N_("Distributor"),
        "agency": N_("Provincial agency"),
    },
    # As the document's party headings say it, after "Party A:".
    "mou_party_role": {
        "producer": N_("producer"),
        "distributor": N_("distributor"),
        "agency": N_("provincial agency"),
    },
    "agency_kind": {
        "industry_trade_department": N_("Department of Industry and Trade"),
        "trade_promotion_centre": N_("Trade promotion centre"),
    },
    "evaluation_level": {
        "provincial": N_("Provincial"),
        "national": N_("National"),
    },
    "listing_platform": {
        "shopee": N_("Shopee"),
        "lazada": N_("Lazada"),
        "tiki": N_("Tiki"),
        "tiktok_shop": N_("TikTok Shop"),
        "sendo": N_("Sendo"),
        "postmart": N_("Postmart"),
        "voso": N_("Voso"),
        "own_website": N_("Own website"),
        "other": N_("Other platform"),
    },
    "producer_attribute": {
        "women_led": N_("Women-led"),
        "ethnic_minority": N_("Ethnic-minority producer"),
        "craft_village": N_("Craft village"),
        "youth_startup": N_("Youth start-up"),
        "cooperative_group": N_("Member of a cooperative group"),
    },
    "weekday": {
        "0": N_("Monday"),
        "1": N_("Tuesday"),
        "2": N_("Wednesday"),
        "3": N_("Thursday"),
        "4": N_("Friday"),
        "5": N_("Saturday"),
        "6": N_("Sunday"),
    },
}


def label(kind: str, value: object) -> str:
    message = LABELS.get(kind, {}).get(str(value))
    return gettext(message) if message else str(value)


def options(kind: str) -> list[tuple[str, str]]:
    """(value, label) pairs for a select, in the declared order."""
    return [(value, gettext(message)) for value, message in LABELS[kind].items()]
