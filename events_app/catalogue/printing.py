"""How a printed catalogue is cut into sections and put back together: pure, plain values in.

The body sections (floor plan, halls, product groups) are laid out first and side by side; the
indexes then know on which page each exhibitor is; the cover and contents come last, knowing
every page. Page numbers are those printed: the body's first page is 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from events_app.catalogue.assets import Assets
from events_app.catalogue.pdf import TEMPLATE_DIR, Section
from events_app.core import i18n
from events_app.core.i18n import gettext

SECTION = f"{TEMPLATE_DIR}/section.html"
# About how many products' worth of pages a section holds before the next part starts another:
# big enough that few sections begin on a fresh page, small enough to share the work out.
SECTION_WEIGHT = 160
EVENT = "event"
PRODUCTS = "products"
KINDS = (EVENT, PRODUCTS)


@dataclass(frozen=True)
class Catalogue:
    """A catalogue to print: its kind, what it shows, in which language, with which files."""

    kind: str
    data: dict[str, Any] = field(hash=False)
    language: str
    assets: Assets

    def _doc(self) -> dict[str, str]:
        with i18n.language(self.language):
            if self.kind == EVENT:
                return {"title": f"{gettext('Exhibitor catalogue')}: {self.data['event']['title']}",
                        "running": self.data["event"]["title"], "author": self.data["event"]["organiser"]}
            title = gettext("OCOP product catalogue")
            return {"title": title, "running": title, "author": ""}

    @property
    def title(self) -> str:
        return self._doc()["title"]

    @property
    def author(self) -> str:
        return self._doc()["author"]

    def _sections(self, parts: list[dict], **context: Any) -> list[Section]:
        """Parts packed into sections in order: small ones share a section, so that no hall or
        index starts on a page of its own after a near-empty one; large ones are laid out alone,
        side by side with the others."""
        sections: list[Section] = []
        pending: list[dict] = []

        def close() -> None:
            if pending:
                weight = sum(part["weight"] for part in pending)
                sections.append(Section(
                    pending[0]["key"], SECTION, {"doc": self._doc(), "parts": list(pending), **context},
                    pending[0]["name"], weight, pending[0].get("pages", 0) if len(pending) == 1 else 0,
                ))
                pending.clear()

        for part in parts:
            if pending and (part.get("pages") or sum(p["weight"] for p in pending) + part["weight"] > SECTION_WEIGHT):
                close()
            pending.append(part)
            if part.get("pages") or sum(p["weight"] for p in pending) >= SECTION_WEIGHT // 2:
                close()  # a part whose pages are known is a section of its own, so they stay known
        close()
        return sections

    def body(self) -> list[Section]:
        """The sections laid out first, each on its own."""
        data = self.data
        with i18n.language(self.language):
            if self.kind == PRODUCTS:
                return self._sections([
                    _part(s["key"], s["name"], "_group.html", len(s["products"]), products=s["products"])
                    for s in data["sections"]
                ])
            if not data["exhibitor_count"]:
                return []
            parts = []
            for number, hall in enumerate(data["plan"]):
                # A page per hall (see documents.plan_drawing), each laid out on its own: the halls'
                # plans are shared out among the workers, and their pages are known beforehand.
                parts.append(_part(f"plan-{number}" if number else "plan", "" if number else gettext("Floor plan"),
                                   "_plan.html", 2 + hall["booths"] // 4, hall=hall, pages=1,
                                   heading=gettext("Floor plan"), continued=bool(number)))
            for hall in data["halls"]:
                parts.append(_part(hall["key"], hall["name"], "_hall.html", _weight(hall), exhibitors=hall["exhibitors"]))
            if data["unplaced"]:
                unplaced = data["unplaced"]
                parts.append(_part("unplaced", gettext("Booth to be announced"), "_hall.html", _weight(unplaced),
                                   exhibitors=unplaced["exhibitors"]))
            return self._sections(parts)

    def back(self, pages: dict[str, int]) -> list[Section]:
        """The indexes, given the page of every exhibitor."""
        data = self.data
        if self.kind != EVENT or not data["exhibitor_count"]:
            return []
        with i18n.language(self.language):
            return self._sections([
                _part("index-provinces", gettext("Index by province"), "_index.html", _entries(data["provinces"]),
                      headings=data["provinces"]),
                _part("index-groups", gettext("Index by product group"), "_index.html", _entries(data["groups"]),
                      headings=data["groups"]),
            ], pages=pages)

    def front(self, pages: dict[str, int]) -> Section:
        """The cover and contents, given the page of every section and index heading."""
        template = "event_front.html" if self.kind == EVENT else "products_front.html"
        return Section("front", f"{TEMPLATE_DIR}/{template}", {"doc": self._doc(), **self.data, "pages": pages})

    def section_count(self) -> int:
        """How many sections are laid out in all, for the progress page."""
        return len(self.body()) + len(self.back({})) + 1


def _part(key: str, name: str, template: str, weight: int, **content: Any) -> dict[str, Any]:
    return {"key": key, "name": name, "template": f"{TEMPLATE_DIR}/{template}", "weight": weight, **content}


def _weight(hall: dict) -> int:
    return sum(1 + len(exhibitor["products"]) for exhibitor in hall["exhibitors"])


def _entries(headings: list[dict]) -> int:
    return 2 + sum(len(heading["entries"]) for heading in headings) // 4


def page_map(sections, first_page: int = 1) -> tuple[dict[str, int], int]:
    """The printed page of each section's start and of each anchor inside it, for sections laid
    out in this order from `first_page`; and the page after the last. A section not laid out yet
    (a `Section` whose pages are known) counts its pages and has no anchors."""
    pages: dict[str, int] = {}
    page = first_page
    for section in sections:
        pages[section.key] = page
        for anchor, offset in section.anchors.items():
            pages.setdefault(anchor, page + offset)
        page += section.pages
    return pages, page
