"""Staff's floor-plan editor: the forms of the staff floor plan page that add, move, resize,
retype, merge and split booths, draw aisles, the entrance, the stage and pillars, and set the
fair's price per booth type. Each form works without JavaScript; the page's small script only
posts the move form when a booth is dragged. The checks are the server's (booths.editor)."""

from __future__ import annotations

from typing import Awaitable, Callable

from litestar import Controller, Request, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from events_app.booths import editor, geometry, services
from events_app.booths.staff_controllers import staff_plan_page
from events_app.core.bounds import RowId
from events_app.core.errors import Conflict, ValidationError
from events_app.core.forms import FormReader
from events_app.core.guards import staff_only
from events_app.core.i18n import gettext
from events_app.core.identity import CurrentUser
from events_app.core.navigation import redirect_to
from events_app.core.requests import client_ip, read_form


def _measures(form: FormReader, position: bool = True) -> dict[str, float]:
    out = {}
    if position:
        for name in ("x", "y"):
            out[name] = form.number(name, required=True, minimum=0, maximum=geometry.MAX_POSITION) or 0.0
    for name in ("width", "depth"):
        out[name] = form.number(name, required=True, minimum=geometry.MIN_SIZE, maximum=geometry.MAX_SIZE) or 0.0
    return out


def _placement(form: FormReader, *, new: bool) -> editor.Placement:
    return editor.Placement(
        **_measures(form),
        booth_type=form.choice("booth_type", editor.BOOTH_TYPES),
        price=form.amount("price", required=not new),
        hall_id=form.integer("hall_id", required=True, minimum=1) if new else None,
        code=form.text("code", required=True, max_length=20) if new else "",
    )


class FloorPlanEditorController(Controller):
    path = "/staff/events/{event_id:int}/floor-plan"
    guards = [staff_only]

    async def _apply(
        self, request: Request, event: dict, form: FormReader, name: str, change: Callable[[], Awaitable[str]],
        *, selected: tuple[str, int] | None = None, then: Callable[[str], dict | None] = lambda _: None,
    ) -> Template | Redirect:
        """Make the change; on a mistake, the page again with the form as typed and its reasons."""
        try:
            form.raise_if_errors()
            message = await change()
        except ValidationError as exc:
            state = editor.FormState(name, form.values(), exc.field_messages())
            return await staff_plan_page(event, selected=selected, form=state, status_code=400)
        except Conflict as exc:
            state = editor.FormState(name, form.values(), {"form": str(exc)})
            return await staff_plan_page(event, selected=selected, form=state, status_code=409)
        flash(request, message, "success")
        return redirect_to(request, "staff_floor_plan", then(message), event_id=event["id"])

    @post("/booths", name="staff_booth_add")
    async def add_booth(
        self, request: Request, event_id: FromPath[RowId], current_user: NamedDependency[CurrentUser]
    ) -> Template | Redirect:
        event = await services.get_booth_event(event_id)
        form = await read_form(request)
        placement = _placement(form, new=True)

        async def change() -> str:
            code = await editor.add_booth(event, placement, staff_id=current_user.id, ip=client_ip(request))
            return gettext("Booth %(code)s added.") % {"code": code}

        return await self._apply(request, event, form, "add_booth", change)

    @post("/booths/{booth_id:int}/place", name="staff_booth_place")
    async def place(
        self, request: Request, event_id: FromPath[RowId], booth_id: FromPath[RowId],
        current_user: NamedDependency[CurrentUser],
    ) -> Template | Redirect:
        event = await services.get_booth_event(event_id)
        form = await read_form(request)
        placement = _placement(form, new=False)

        async def change() -> str:
            code = await editor.place_booth(event, booth_id, placement, staff_id=current_user.id, ip=client_ip(request))
            return gettext("Booth %(code)s saved.") % {"code": code}

        return await self._apply(request, event, form, "place", change, selected=("b", booth_id),
                                 then=lambda _: {"booth": booth_id})

    @post("/booths/{booth_id:int}/move", name="staff_booth_move")
    async def move(
        self, request: Request, event_id: FromPath[RowId], booth_id: FromPath[RowId],
        current_user: NamedDependency[CurrentUser],
    ) -> Template | Redirect:
        """Where the plan's script sends a booth dragged to a new place."""
        event = await services.get_booth_event(event_id)
        form = await read_form(request)
        x = form.number("x", required=True, minimum=0, maximum=geometry.MAX_POSITION) or 0.0
        y = form.number("y", required=True, minimum=0, maximum=geometry.MAX_POSITION) or 0.0

        async def change() -> str:
            code = await editor.move_booth(event, booth_id, x, y, staff_id=current_user.id, ip=client_ip(request))
            return gettext("Booth %(code)s moved.") % {"code": code}

        return await self._apply(request, event, form, "place", change, selected=("b", booth_id),
                                 then=lambda _: {"booth": booth_id})

    @post("/booths/{booth_id:int}/split", name="staff_booth_split")
    async def split(
        self, request: Request, event_id: FromPath[RowId], booth_id: FromPath[RowId],
        current_user: NamedDependency[CurrentUser],
    ) -> Template | Redirect:
        event = await services.get_booth_event(event_id)
        form = await read_form(request)
        parts = form.integer("parts", required=True, minimum=2, maximum=geometry.MAX_SPLIT) or 0
        axis = form.choice("axis", [geometry.ACROSS, geometry.ALONG])

        async def change() -> str:
            codes = await editor.split_booth(event, booth_id, parts, axis, staff_id=current_user.id,
                                             ip=client_ip(request))
            return gettext("Booth split into %(codes)s.") % {"codes": ", ".join(codes)}

        return await self._apply(request, event, form, "split", change, selected=("b", booth_id),
                                 then=lambda _: {"booth": booth_id})

    @post("/merge", name="staff_booths_merge")
    async def merge(
        self, request: Request, event_id: FromPath[RowId], current_user: NamedDependency[CurrentUser]
    ) -> Template | Redirect:
        event = await services.get_booth_event(event_id)
        form = await read_form(request)
        booth_ids = form.ids("booth_ids")

        async def change() -> str:
            code = await editor.merge_booths(event, booth_ids, staff_id=current_user.id, ip=client_ip(request))
            return gettext("Booths merged into %(code)s.") % {"code": code}

        return await self._apply(request, event, form, "merge", change)

    @post("/features", name="staff_feature_add")
    async def add_feature(
        self, request: Request, event_id: FromPath[RowId], current_user: NamedDependency[CurrentUser]
    ) -> Template | Redirect:
        event = await services.get_booth_event(event_id)
        form = await read_form(request)
        feature = editor.FeatureRequest(
            hall_id=form.integer("hall_id", required=True, minimum=1) or 0,
            kind=form.choice("kind", editor.FEATURE_KINDS),
            label=form.text("label", max_length=editor.MAX_LABEL),
            **_measures(form),
        )

        async def change() -> str:
            await editor.add_feature(event, feature, staff_id=current_user.id, ip=client_ip(request))
            return gettext("Added to the plan.")

        return await self._apply(request, event, form, "feature", change)

    @post("/features/{feature_id:int}/delete", name="staff_feature_delete")
    async def delete_feature(
        self, request: Request, event_id: FromPath[RowId], feature_id: FromPath[RowId],
        current_user: NamedDependency[CurrentUser],
    ) -> Template | Redirect:
        event = await services.get_booth_event(event_id)
        form = await read_form(request)

        async def change() -> str:
            name = await editor.remove_feature(event, feature_id, staff_id=current_user.id, ip=client_ip(request))
            return gettext("%(name)s removed from the plan.") % {"name": name}

        return await self._apply(request, event, form, "feature", change)

    @post("/prices", name="staff_type_prices")
    async def prices(
        self, request: Request, event_id: FromPath[RowId], current_user: NamedDependency[CurrentUser]
    ) -> Template | Redirect:
        event = await services.get_booth_event(event_id)
        form = await read_form(request)
        prices = {kind: form.amount(f"price_{kind}") for kind in editor.BOOTH_TYPES}
        chosen = {kind: price for kind, price in prices.items() if price is not None}
        apply_to_free = form.flag("apply_to_free")

        async def change() -> str:
            repriced = await editor.set_type_prices(event, chosen, apply_to_free=apply_to_free,
                                                    staff_id=current_user.id, ip=client_ip(request))
            return gettext("Prices per booth type saved; %(n)d free booths repriced.") % {"n": repriced}

        return await self._apply(request, event, form, "prices", change)


ROUTES = [FloorPlanEditorController]
