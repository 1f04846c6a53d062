"""Log-in, log-out, sign-up and the account page."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from events_app.core.bounds import RowId
from events_app.accounts import services, throttling
from events_app.core.guards import admin_only, signed_in
from events_app.accounts.sessions import rotate_session_id
from events_app.core.errors import DomainError, ValidationError
from events_app.core.forms import FormReader
from events_app.core.i18n import gettext
from events_app.core.identity import CurrentUser
from events_app.reference.services import list_provinces
from events_app.core.navigation import redirect_to, safe_next
from events_app.core.pagination import page_number
from events_app.core.requests import client_ip, read_form
from events_app.core.settings import Settings


def landing_path(request: Request, user: CurrentUser) -> str:
    """Where a user goes after logging in when no page asked for it."""
    return request.app.route_reverse("staff_dashboard" if user.is_staff else "account")


def start_session(request: Request, user: services.CurrentUser) -> None:
    """A new session id on every log-in, so an id known before log-in is worthless after it."""
    language = request.session.get("lang")
    request.clear_session()
    request.set_session({"user_id": user.id, **({"lang": language} if language else {})})
    rotate_session_id(request)


class AuthController(Controller):
    @get("/login", name="login")
    async def login_form(
        self, request: Request, current_user: NamedDependency[CurrentUser | None], next: FromQuery[str] = ""
    ) -> Template | Redirect:
        if current_user is not None:
            return Redirect(safe_next(next, landing_path(request, current_user)))
        return Template("accounts/login.html", context={"values": {"next": next}, "errors": {}, "error": None})

    @post("/login", name="login_submit")
    async def login(self, request: Request, settings: NamedDependency[Settings]) -> Template | Redirect:
        form = await read_form(request)
        email, next_path = form.email("email"), form.local_path("next", default="")
        password = form.data.get("password")  # as typed, spaces and all, the way sign-up keeps it
        password = password if isinstance(password, str) else ""
        try:
            form.raise_if_errors()  # an address too long to be one is no log-in attempt
            user = await services.authenticate(
                email,
                password,
                client_ip(request),
                secret_key=settings.secret_key,
                device_token=request.cookies.get(throttling.DEVICE_COOKIE, ""),
            )
        except (ValidationError, services.LoginFailed, services.TooManyAttempts) as exc:
            retry_after = getattr(exc, "retry_after", None)
            errors = exc.field_messages() if isinstance(exc, ValidationError) else {}
            return Template(
                "accounts/login.html",
                context={"values": {"email": email, "next": next_path}, "errors": errors, "error": str(exc)},
                status_code=exc.status_code,
                headers={"Retry-After": str(retry_after)} if retry_after else None,
            )
        start_session(request, user)
        flash(request, gettext("Welcome, %(name)s.") % {"name": user.name or user.email}, "success")
        # This browser is now a trusted device of the account: strangers' failures do not slow it down.
        device = Cookie(
            key=throttling.DEVICE_COOKIE,
            value=services.new_device_token(settings.secret_key, user.email),
            path="/login",
            max_age=throttling.DEVICE_COOKIE_MAX_AGE,
            httponly=True,
            secure=settings.secure_cookies,
            samesite="lax",
        )
        return Redirect(safe_next(next_path, landing_path(request, user)), cookies=[device])

    @post("/logout", name="logout")
    async def logout(self, request: Request, current_user: NamedDependency[CurrentUser | None]) -> Redirect:
        if current_user is not None:
            await services.audit("logout", actor_id=current_user.id, ip=client_ip(request))
        request.clear_session()
        return redirect_to(request, "home")

    @get("/signup", name="signup")
    async def signup_form(self, request: Request, role: FromQuery[str] = "producer") -> Template:
        return await _signup_page(request, {"role": role}, {})

    @post("/signup", name="signup_submit")
    async def signup(self, request: Request) -> Template | Redirect:
        form = await read_form(request)
        province_id = form.integer("province_id")
        signup = services.SignUp(
            role=form.text("role"),
            email=form.email("email"),
            password=form.data.get("password") or "",
            password_confirm=form.data.get("password_confirm") or "",
            name=form.text("name", max_length=200),
            organisation=form.text("organisation", max_length=200),
            province_id=province_id,
            organisation_type=form.text("organisation_type"),
        )
        try:
            form.raise_if_errors()
            user = await services.sign_up(signup, ip=client_ip(request))
        except ValidationError as exc:
            values = {k: v for k, v in form.values().items() if not k.startswith("password")}
            return await _signup_page(request, values, exc.field_messages(), status_code=400)
        except DomainError as exc:
            values = {k: v for k, v in form.values().items() if not k.startswith("password")}
            return await _signup_page(request, values, {"email": str(exc)}, status_code=exc.status_code)
        start_session(request, user)
        flash(request, gettext("Your account is ready."), "success")
        return redirect_to(request, "account")


async def _signup_page(request: Request, values: dict, errors: dict, status_code: int = 200) -> Template:
    return Template(
        "accounts/signup.html",
        context={
            "values": values,
            "errors": errors,
            "province_options": [(p["id"], p["name"]) for p in await list_provinces()],
        },
        status_code=status_code,
    )


class AccountController(Controller):
    path = "/account"
    guards = [signed_in]

    @get("/", name="account")
    async def account(self, current_user: NamedDependency[CurrentUser]) -> Template:
        token = await services.feed_token(current_user.id)
        return Template("accounts/account.html", context={"feed_token": token})

    @post("/feed-token", name="feed_token_new")
    async def new_feed_token(self, request: Request, current_user: NamedDependency[CurrentUser]) -> Redirect:
        await services.new_feed_token(current_user.id)
        flash(request, gettext("A new private calendar address has been made; the old one no longer works."), "success")
        return redirect_to(request, "account")

    @post("/feed-token/revoke", name="feed_token_revoke")
    async def revoke_feed_token(self, request: Request, current_user: NamedDependency[CurrentUser]) -> Redirect:
        await services.revoke_feed_token(current_user.id)
        flash(request, gettext("Your private calendar address has been switched off."), "success")
        return redirect_to(request, "account")




class UserAdminController(Controller):
    """Administrators manage accounts: activate, deactivate, and move staff between staff and admin."""

    path = "/staff/users"
    guards = [admin_only]

    @get("/", name="admin_users")
    async def users(self, page: FromQuery[str] = "", q: FromQuery[str] = "") -> Template:
        return await _users_page(page_number(page), q)

    @post("/{user_id:int}", name="admin_user_update")
    async def update(
        self, request: Request, user_id: FromPath[RowId], current_user: NamedDependency[CurrentUser]
    ) -> Template | Redirect:
        form = await read_form(request)
        action = form.choice("action", ["activate", "deactivate", "make_staff", "make_admin"])
        number, query = _list_position(form)
        try:
            form.raise_if_errors()
            message = await services.administer_user(current_user.id, user_id, action, ip=client_ip(request))
        except DomainError as exc:
            if exc.status_code == 404:
                raise
            reason = " ".join(exc.field_messages().values()) if isinstance(exc, ValidationError) else str(exc)
            return await _users_page(number, query, refused={user_id: reason}, status_code=exc.status_code)
        flash(request, message, "success")
        return redirect_to(request, "admin_users", {"page": number, "q": query})


def _list_position(form: FormReader) -> tuple[int, str]:
    """The page and search of the list a button was pressed on, to come back to. They are where the
    admin was, not input to check: anything odd means the first page of the whole list."""
    return form.page(), form.search("q")


async def _users_page(number: int, query: str, *, refused: dict[int, str] | None = None, status_code: int = 200) -> Template:
    """The list of accounts; `refused` puts the reason an action was refused next to that account's buttons."""
    listing = await services.list_users(number, query=query)
    return Template(
        "accounts/users.html",
        context={"page": listing, "q": query, "refused": refused or {}},
        status_code=status_code,
    )


ROUTES = [AuthController, AccountController, UserAdminController]
