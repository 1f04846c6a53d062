"""Log-in, log-out, sign-up and the account page; the administration of accounts, one-time password
links and the audit trail."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.di import Provide
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from events_app.core.bounds import RowId
from events_app.accounts import administration, services, throttling, trail
from events_app.core.guards import admin_only, signed_in, staff_only
from events_app.accounts.sessions import fresh_csrf_cookie, lifetime, open_sessions, rotate_session_id, signed_in_session
from events_app.core.errors import Conflict, DomainError, ValidationError
from events_app.core.forms import FormReader
from events_app.core.i18n import N_, gettext, ngettext
from events_app.core.labels import label
from events_app.core.identity import CurrentUser
from events_app.reference.services import list_provinces
from events_app.core.navigation import redirect_to, safe_next
from events_app.core.pagination import page_number
from events_app.core.requests import client_ip, read_form
from events_app.core.settings import Settings


def landing_path(request: Request, user: CurrentUser) -> str:
    """Where a user goes after logging in when no page asked for it."""
    return request.app.route_reverse("staff_dashboard" if user.is_staff else "account")


def start_session(request: Request, user: services.CurrentUser, settings: Settings) -> Cookie:
    """A new session id on every log-in, so an id known before log-in is worthless after it, and
    a session that ends by the account's role. Returns the new CSRF cookie for the answer."""
    language = request.session.get("lang")
    request.clear_session()
    request.set_session(signed_in_session(user.id, user.role, settings, **({"lang": language} if language else {})))
    rotate_session_id(request)
    return fresh_csrf_cookie(request)


def end_session(request: Request) -> Cookie:
    """This browser logged out: its session ends (a message flashed after it goes into a new,
    empty one); returns the new CSRF cookie for the answer."""
    request.set_session({})
    rotate_session_id(request)
    return fresh_csrf_cookie(request)


# Why the log-in page is shown, when a page sent the reader there (login?ended=1).
SESSION_ENDED = N_("You were logged out: your session ended after a time without activity, or it was ended on "
                   "another device. Log in again to go back to the page you were on.")


class AuthController(Controller):
    @get("/login", name="login")
    async def login_form(
        self, request: Request, current_user: NamedDependency[CurrentUser | None], next: FromQuery[str] = "",
        ended: FromQuery[str] = "",
    ) -> Template | Redirect:
        if current_user is not None:
            return Redirect(safe_next(next, landing_path(request, current_user)))
        notice = gettext(SESSION_ENDED) if ended == "1" else None
        return Template("accounts/login.html",
                        context={"values": {"next": next}, "errors": {}, "error": None, "notice": notice})

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
                user_agent=request.headers.get("user-agent", ""),
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
        csrf = start_session(request, user, settings)
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
        return Redirect(safe_next(next_path, landing_path(request, user)), cookies=[device, csrf])

    @post("/logout", name="logout")
    async def logout(self, request: Request, current_user: NamedDependency[CurrentUser | None]) -> Redirect:
        if current_user is not None:
            await services.audit("logout", actor_id=current_user.id, ip=client_ip(request), alone=True)
        response = redirect_to(request, "home")
        response.set_cookie(end_session(request))
        return response

    @get("/signup", name="signup")
    async def signup_form(self, request: Request, role: FromQuery[str] = "producer") -> Template:
        return await _signup_page(request, {"role": role}, {})

    @post("/signup", name="signup_submit")
    async def signup(self, request: Request, settings: NamedDependency[Settings]) -> Template | Redirect:
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
        csrf = start_session(request, user, settings)
        flash(request, gettext("Your account is ready."), "success")
        response = redirect_to(request, "account")
        response.set_cookie(csrf)
        return response


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
    async def account(self, current_user: NamedDependency[CurrentUser], settings: NamedDependency[Settings]) -> Template:
        token = await services.feed_token(current_user.id)
        return Template("accounts/account.html", context={
            "feed_token": token, "open_sessions": await open_sessions(current_user.id),
            "session_minutes": settings.session_idle_minutes,
            "session_hours": int(lifetime(current_user.role, settings).total_seconds() // 3600),
        })

    @post("/sessions/end", name="end_my_sessions")
    async def end_my_sessions(self, request: Request, current_user: NamedDependency[CurrentUser]) -> Redirect:
        """Log out everywhere: every session of the account ends, this one too."""
        await services.log_out_everywhere(current_user.id, ip=client_ip(request))
        csrf = end_session(request)
        flash(request, gettext("You have been logged out on every device and browser."), "success")
        response = redirect_to(request, "login")
        response.set_cookie(csrf)
        return response

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
    """Administrators manage accounts: create one of any role, deactivate and reactivate it, give it
    another role or organisation, make a one-time link to set its password, read its sign-ins."""

    path = "/staff/users"
    guards = [admin_only]

    @get("/", name="admin_users")
    async def users(self, page: FromQuery[str] = "", q: FromQuery[str] = "") -> Template:
        return await _users_page(page_number(page), q)

    @get("/new", name="admin_user_new")
    async def new(self) -> Template:
        return await _new_account_page({"role": "staff"}, {})

    @post("/new", name="admin_user_create")
    async def create(self, request: Request, current_user: NamedDependency[CurrentUser]) -> Template:
        form = await read_form(request)
        data = administration.AccountInput(
            email=form.email("email", required=True),
            name=form.text("name", max_length=200),
            role=form.choice("role", administration.ROLES),
            producer_id=form.integer("producer_id", minimum=1),
            distributor_id=form.integer("distributor_id", minimum=1),
        )
        try:
            form.raise_if_errors()
            user_id, token = await administration.create_account(current_user.id, data)
        except ValidationError as exc:
            return await _new_account_page(form.values(), exc.field_messages(), status_code=400)
        return await _account_page(request, user_id, link=_reset_url(request, token), created=True, status_code=201)

    @get("/{user_id:int}", name="admin_user")
    async def user(self, request: Request, user_id: FromPath[RowId], page: FromQuery[str] = "") -> Template:
        return await _account_page(request, user_id, number=page_number(page))

    @post("/{user_id:int}", name="admin_user_update")
    async def update(
        self, request: Request, user_id: FromPath[RowId], current_user: NamedDependency[CurrentUser]
    ) -> Template | Redirect:
        """Deactivate or reactivate an account, or move it between staff and administrator (from the list)."""
        form = await read_form(request)
        action = form.choice("action", ["activate", "deactivate", "make_staff", "make_admin"])
        number, query = _list_position(form)
        from_account = form.flag("from_account")
        try:
            form.raise_if_errors()
            if action in ("activate", "deactivate"):
                email = await administration.set_active(current_user.id, user_id, action == "activate")
                message = N_("%(email)s can log in again.") if action == "activate" else N_("%(email)s can no longer log in.")
            else:
                await _staff_only(user_id)
                role = "staff" if action == "make_staff" else "admin"
                email = await administration.change_role(current_user.id, user_id, role)
                message = N_("%(email)s is now staff.") if role == "staff" else N_("%(email)s is now an administrator.")
        except DomainError as exc:
            if exc.status_code == 404:
                raise
            reason = _reason(exc)
            if from_account:
                return await _account_page(request, user_id, errors={"access": reason}, status_code=exc.status_code)
            return await _users_page(number, query, refused={user_id: reason}, status_code=exc.status_code)
        flash(request, gettext(message) % {"email": email}, "success")
        if from_account:
            return redirect_to(request, "admin_user", user_id=user_id)
        return redirect_to(request, "admin_users", {"page": number, "q": query})

    @post("/{user_id:int}/role", name="admin_user_role")
    async def role(
        self, request: Request, user_id: FromPath[RowId], current_user: NamedDependency[CurrentUser]
    ) -> Template | Redirect:
        form = await read_form(request)
        role = form.choice("role", administration.ROLES)
        producer_id = form.integer("producer_id", minimum=1)
        distributor_id = form.integer("distributor_id", minimum=1)
        try:
            form.raise_if_errors()
            email = await administration.change_role(current_user.id, user_id, role, producer_id, distributor_id)
        except ValidationError as exc:
            return await _account_page(request, user_id, errors=exc.field_messages(), values=form.values(), status_code=400)
        except DomainError as exc:
            if exc.status_code == 404:
                raise
            return await _account_page(request, user_id, errors={"role": str(exc)}, values=form.values(),
                                       status_code=exc.status_code)
        flash(request, gettext("%(email)s now has the role %(role)s; its sessions have ended.")
              % {"email": email, "role": label("role", role)}, "success")
        return redirect_to(request, "admin_user", user_id=user_id)

    @post("/{user_id:int}/sessions/end", name="admin_user_end_sessions")
    async def end_sessions(
        self, request: Request, user_id: FromPath[RowId], current_user: NamedDependency[CurrentUser]
    ) -> Template | Redirect:
        try:
            email, ended = await administration.end_user_sessions(current_user.id, user_id)
        except DomainError as exc:
            if exc.status_code == 404:
                raise
            return await _account_page(request, user_id, errors={"sessions": str(exc)}, status_code=exc.status_code)
        flash(request, ngettext("%(email)s was logged out of %(num)d session.", "%(email)s was logged out of %(num)d sessions.",
                                ended) % {"email": email, "num": ended}, "success")
        return redirect_to(request, "admin_user", user_id=user_id)

    @post("/{user_id:int}/reset-link", name="admin_user_reset_link")
    async def reset_link(
        self, request: Request, user_id: FromPath[RowId], current_user: NamedDependency[CurrentUser]
    ) -> Template:
        try:
            token = await administration.make_reset_link(current_user.id, user_id)
        except DomainError as exc:
            if exc.status_code == 404:
                raise
            return await _account_page(request, user_id, errors={"link": str(exc)}, status_code=exc.status_code)
        return await _account_page(request, user_id, link=_reset_url(request, token))


class SignInHistoryController(Controller):
    path = "/staff/sign-ins"
    guards = [admin_only]

    @get("/", name="admin_sign_ins")
    async def sign_ins(self, page: FromQuery[str] = "", outcome: FromQuery[str] = "", q: FromQuery[str] = "") -> Template:
        outcome = outcome if outcome in ("succeeded", "failed") else ""
        query = " ".join(q.split())[:200]
        listing = await administration.sign_ins(page_number(page), outcome=outcome, query=query)
        return Template("accounts/sign_ins.html", context={"page": listing, "outcome": outcome, "q": query})


class PasswordLinkController(Controller):
    """The page a one-time link opens: set a new password, once."""

    path = "/password"

    @get("/{token:str}", name="password_link")
    async def form(self, token: FromPath[str]) -> Template:
        account = await administration.reset_link_account(token)
        return Template("accounts/password_link.html", context={"token": token, "email": account["email"], "errors": {}})

    @post("/{token:str}", name="password_link_submit")
    async def submit(self, request: Request, token: FromPath[str]) -> Template | Redirect:
        form = await read_form(request)
        password = form.data.get("password")
        confirm = form.data.get("password_confirm")
        try:
            email = await administration.use_reset_link(
                token, password if isinstance(password, str) else "", confirm if isinstance(confirm, str) else "",
                ip=client_ip(request),
            )
        except ValidationError as exc:
            account = await administration.reset_link_account(token)
            return Template("accounts/password_link.html", status_code=400,
                            context={"token": token, "email": account["email"], "errors": exc.field_messages()})
        flash(request, gettext("The new password of %(email)s is set. Log in with it.") % {"email": email}, "success")
        return redirect_to(request, "login")


async def provide_trail_filters(request: Request) -> tuple[trail.TrailFilters, dict]:
    """The audit trail's filters from the query string, each bounded; a value that cannot be one is
    shown with its field and left out."""
    form = FormReader(request.query_params)
    filters = trail.TrailFilters(
        target_type=form.text("type", max_length=60),
        target_id=form.integer("id", minimum=1),
        person=form.search("person"),
        since=form.date("from"),
        until=form.date("to"),
        query=form.search("q"),
    )
    return filters, {name: str(error) for name, error in form.errors.items()}


class AuditTrailController(Controller):
    path = "/staff/audit"
    guards = [staff_only]

    @get("/", name="staff_audit", dependencies={"trail_filters": Provide(provide_trail_filters)})
    async def trail(
        self, trail_filters: NamedDependency[tuple[trail.TrailFilters, dict]], page: FromQuery[str] = ""
    ) -> Template:
        filters, errors = trail_filters
        return Template("accounts/audit.html", context={
            "page": await trail.entries(filters, page_number(page)),
            "filters": filters,
            "values": {key: value for key, value in filters.params().items() if value not in (None, "")},
            "errors": errors,
            "kinds": await trail.object_kinds(),
        })


def _reason(exc: DomainError) -> str:
    return " ".join(exc.field_messages().values()) if isinstance(exc, ValidationError) else str(exc)


async def _staff_only(user_id: int) -> None:
    """The list's buttons move accounts between staff and administrator only; other roles change on the account's page."""
    account = await administration.account(user_id)
    if account["role"] not in ("staff", "admin"):
        raise Conflict(N_("Only staff accounts can become administrators, and back."))


def _reset_url(request: Request, token: str) -> str:
    return str(request.base_url).rstrip("/") + request.app.route_reverse("password_link", token=token)


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


async def _new_account_page(values: dict, errors: dict, status_code: int = 200) -> Template:
    return Template("accounts/user_new.html", status_code=status_code, context={
        "values": values, "errors": errors, **await administration.organisations(),
    })


async def _account_page(
    request: Request, user_id: int, *, number: int = 1, link: str = "", created: bool = False,
    errors: dict | None = None, values: dict | None = None, status_code: int = 200,
) -> Template:
    """One account: its details, what the administrator can do to it, and its sign-ins."""
    account = await administration.account(user_id)
    return Template("accounts/user.html", status_code=status_code, context={
        "account": account,
        "sign_ins": await administration.sign_ins(number, email=account["email"]),
        "link": link,
        "link_hours": int(administration.RESET_LINK_LIFETIME.total_seconds() // 3600),
        "created": created,
        "errors": errors or {},
        "values": values or {"role": account["role"], "producer_id": account["producer"],
                             "distributor_id": account["distributor"]},
        **await administration.organisations(),
    })


ROUTES = [AuthController, AccountController, UserAdminController, SignInHistoryController, PasswordLinkController,
          AuditTrailController]
