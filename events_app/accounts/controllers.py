"""Log-in, log-out, sign-up and the account page."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from events_app.accounts import services, throttling
from events_app.core.guards import admin_only, signed_in
from events_app.accounts.sessions import rotate_session_id
from events_app.core.errors import DomainError, ValidationError
from events_app.core.i18n import gettext
from events_app.reference.services import list_provinces
from events_app.core.navigation import safe_next
from events_app.core.pagination import page_number
from events_app.core.requests import client_ip, read_form
from events_app.core.settings import Settings


def landing_path(user: services.CurrentUser) -> str:
    """Where a user goes after logging in when no page asked for it."""
    return "/staff/" if user.is_staff else "/account"


def start_session(request: Request, user: services.CurrentUser) -> None:
    """A new session id on every log-in, so an id known before log-in is worthless after it."""
    language = request.session.get("lang")
    request.clear_session()
    request.set_session({"user_id": user.id, **({"lang": language} if language else {})})
    rotate_session_id(request)


class AuthController(Controller):
    @get("/login", name="login")
    async def login_form(self, request: Request, next: FromQuery[str] = "") -> Template | Redirect:
        if request.user is not None:
            return Redirect(safe_next(next, landing_path(request.user)))
        return Template("accounts/login.html", context={"values": {"next": next}, "errors": {}, "error": None})

    @post("/login", name="login_submit")
    async def login(self, request: Request, settings: NamedDependency[Settings]) -> Template | Redirect:
        form = await read_form(request)
        email, next_path = form.text("email"), form.text("next")
        password = form.data.get("password")  # as typed, spaces and all, the way sign-up keeps it
        password = password if isinstance(password, str) else ""
        try:
            user = await services.authenticate(
                email,
                password,
                client_ip(request),
                secret_key=settings.secret_key,
                device_token=request.cookies.get(throttling.DEVICE_COOKIE, ""),
            )
        except (services.LoginFailed, services.TooManyAttempts) as exc:
            retry_after = getattr(exc, "retry_after", None)
            return Template(
                "accounts/login.html",
                context={"values": {"email": email, "next": next_path}, "errors": {}, "error": str(exc)},
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
        return Redirect(safe_next(next_path, landing_path(user)), cookies=[device])

    @post("/logout", name="logout")
    async def logout(self, request: Request) -> Redirect:
        if request.user is not None:
            await services.audit("logout", actor_id=request.user.id, ip=client_ip(request))
        request.clear_session()
        return Redirect("/")

    @get("/signup", name="signup")
    async def signup_form(self, request: Request, role: FromQuery[str] = "producer") -> Template:
        return await _signup_page(request, {"role": role}, {})

    @post("/signup", name="signup_submit")
    async def signup(self, request: Request) -> Template | Redirect:
        form = await read_form(request)
        province_id = form.integer("province_id")
        signup = services.SignUp(
            role=form.text("role"),
            email=form.text("email", max_length=254),
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
        return Redirect("/account")


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
    async def account(self, request: Request) -> Template:
        token = await services.feed_token(request.user.id)
        return Template("accounts/account.html", context={"feed_token": token})

    @post("/feed-token", name="feed_token_new")
    async def new_feed_token(self, request: Request) -> Redirect:
        await services.new_feed_token(request.user.id)
        flash(request, gettext("A new private calendar address has been made; the old one no longer works."), "success")
        return Redirect("/account")

    @post("/feed-token/revoke", name="feed_token_revoke")
    async def revoke_feed_token(self, request: Request) -> Redirect:
        await services.revoke_feed_token(request.user.id)
        flash(request, gettext("Your private calendar address has been switched off."), "success")
        return Redirect("/account")




class UserAdminController(Controller):
    """Administrators manage accounts: activate, deactivate, and move staff between staff and admin."""

    path = "/staff/users"
    guards = [admin_only]

    @get("/", name="admin_users")
    async def users(self, page: FromQuery[str] = "", q: FromQuery[str] = "") -> Template:
        listing = await services.list_users(page_number(page), query=q)
        return Template("accounts/users.html", context={"page": listing, "q": q})

    @post("/{user_id:int}", name="admin_user_update")
    async def update(self, request: Request, user_id: FromPath[int]) -> Redirect:
        form = await read_form(request)
        action = form.choice("action", ["activate", "deactivate", "make_staff", "make_admin"])
        try:
            form.raise_if_errors()
            message = await services.administer_user(request.user.id, user_id, action, ip=client_ip(request))
        except DomainError as exc:
            flash(request, str(exc), "error")
        else:
            flash(request, message, "success")
        return Redirect(f"/staff/users?page={form.text('page') or 1}")


ROUTES = [AuthController, AccountController, UserAdminController]
