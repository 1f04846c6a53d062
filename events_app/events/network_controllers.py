"""Showroom networks: the public pages (/showrooms, /showrooms/{slug}) and the staff's pages to
make a network and attach its showroom points."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from events_app.core.bounds import RowId
from events_app.core.errors import DomainError, ValidationError
from events_app.core.forms import FormReader
from events_app.core.guards import staff_only
from events_app.core.i18n import gettext
from events_app.core.identity import CurrentUser
from events_app.core.navigation import redirect_to
from events_app.core.panels import NetworkPanels
from events_app.core.requests import read_form
from events_app.events import networks


class ShowroomNetworkController(Controller):
    @get("/showrooms", name="showroom_networks")
    async def networks(self) -> Template:
        return Template("events/networks.html", context={"networks": await networks.list_networks()})

    @get("/showrooms/{slug:str}", name="showroom_network")
    async def network(
        self, slug: FromPath[str], network_panels: NamedDependency[NetworkPanels],
        current_user: NamedDependency[CurrentUser | None],
    ) -> Template:
        network = await networks.get_network(slug)
        points = await networks.points_of(network["id"])
        hours = await networks.hours_of([p["id"] for p in points])
        return Template(
            "events/network.html",
            context={
                "network": network,
                "points": points,
                "week": networks.week_table([p["id"] for p in points], hours),
                "panels": await network_panels.for_network(network, points, current_user),
            },
        )


# Staff ------------------------------------------------------------------------------------------

def _network_input(form: FormReader) -> networks.NetworkInput:
    return networks.NetworkInput(
        name=form.text("name", required=True, max_length=300),
        organiser=form.text("organiser", max_length=300),
        description=form.text("description", max_length=5000),
    )


def _network_values(network: dict) -> dict:
    return {"name": network["name"], "organiser": network["organiser"], "description": network["description"]}


async def _network_page(network: dict | None, values: dict, errors: dict, *, point_values: dict | None = None,
                        point_errors: dict | None = None, status_code: int = 200) -> Template:
    return Template(
        "events/staff_network.html",
        context={
            "network": network,
            "values": values,
            "errors": errors,
            "points": await networks.points_of(network["id"], public=False) if network else [],
            "showroom_options": [(e["id"], e["title_vi"]) for e in await networks.unattached_showrooms()],
            "point_values": point_values or {},
            "point_errors": point_errors or {},
        },
        status_code=status_code,
    )


class NetworkStaffController(Controller):
    path = "/staff/networks"
    guards = [staff_only]

    @get("/", name="staff_networks")
    async def networks(self) -> Template:
        return Template("events/staff_networks.html", context={"networks": await networks.list_networks(public=False)})

    @get("/new", name="staff_network_new")
    async def new_network(self) -> Template:
        return await _network_page(None, {}, {})

    @post("/new", name="staff_network_create")
    async def create_network(self, request: Request, current_user: NamedDependency[CurrentUser]) -> Template | Redirect:
        form = await read_form(request)
        data = _network_input(form)
        try:
            form.raise_if_errors()
            network_id = await networks.save_network(None, data, actor_id=current_user.id)
        except ValidationError as exc:
            return await _network_page(None, form.values(), exc.field_messages(), status_code=400)
        except DomainError as exc:
            return await _network_page(None, form.values(), {"form": str(exc)}, status_code=exc.status_code)
        flash(request, gettext("The network is saved. Attach its showroom points below."), "success")
        return redirect_to(request, "staff_network", network_id=network_id)

    @get("/{network_id:int}", name="staff_network")
    async def network(self, network_id: FromPath[RowId]) -> Template:
        network = await networks.get_network_by_id(network_id)
        return await _network_page(network, _network_values(network), {})

    @post("/{network_id:int}", name="staff_network_update")
    async def update_network(
        self, request: Request, network_id: FromPath[RowId], current_user: NamedDependency[CurrentUser]
    ) -> Template | Redirect:
        network = await networks.get_network_by_id(network_id)
        form = await read_form(request)
        data = _network_input(form)
        try:
            form.raise_if_errors()
            await networks.save_network(network_id, data, actor_id=current_user.id)
        except ValidationError as exc:
            return await _network_page(network, form.values(), exc.field_messages(), status_code=400)
        flash(request, gettext("The network is saved."), "success")
        return redirect_to(request, "staff_network", network_id=network_id)

    @post("/{network_id:int}/points", name="staff_network_attach")
    async def attach(
        self, request: Request, network_id: FromPath[RowId], current_user: NamedDependency[CurrentUser]
    ) -> Template | Redirect:
        network = await networks.get_network_by_id(network_id)
        form = await read_form(request)
        event_id = form.integer("event_id", required=True, minimum=1)
        tourist_site = form.text("tourist_site", max_length=200)
        try:
            form.raise_if_errors()
            await networks.attach_point(network_id, event_id, tourist_site, actor_id=current_user.id)
        except ValidationError as exc:
            return await _network_page(network, _network_values(network), {}, point_values=form.values(),
                                       point_errors=exc.field_messages(), status_code=400)
        if form.flag("editing"):
            flash(request, gettext("The point's tourist site is saved."), "success")
        else:
            flash(request, gettext("The showroom is a point of this network now."), "success")
        return redirect_to(request, "staff_network", network_id=network_id)

    @post("/{network_id:int}/points/{event_id:int}/detach", name="staff_network_detach")
    async def detach(
        self, request: Request, network_id: FromPath[RowId], event_id: FromPath[RowId],
        current_user: NamedDependency[CurrentUser],
    ) -> Redirect:
        await networks.detach_point(network_id, event_id, actor_id=current_user.id)
        flash(request, gettext("The showroom is no longer a point of this network."), "success")
        return redirect_to(request, "staff_network", network_id=network_id)


ROUTES = [ShowroomNetworkController, NetworkStaffController]
