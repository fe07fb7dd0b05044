"""The staff console, its own process (`python -m bot.staff`), under /staff/: sign in, run
the scripts and compare runs, try a conversation and save it as a script, see what
patients ask. The patient-facing widget server has none of it.

    GET  /staff/                 the console (staff.html); everything else needs the session
    GET  /staff/health           200 when the server is up (the launcher waits for it)
    POST /staff/api/login        {"name", "password"}: starts a session (a cookie); per-address
                                 limit, and a name's sign-ins slow down after failures
    POST /staff/api/logout       ends the session on the server
    GET  /staff/api/me           who is signed in; the topics, kinds and content items by name
    GET, POST /staff/api/scripts...  list, read, add, edit and delete scripts (bot.staff.script_routes)
    POST /staff/api/runs         {"scripts": [names] or []}: starts a run of those (or all)
    GET  /staff/api/runs         the recent runs; /staff/api/runs/{id}: one, with its results
    POST /staff/api/runs/{id}/stop  plays no further script of that run; it is kept, stopped
    GET  /staff/api/compare      ?base=&other=: newly failing and newly passing scripts, and
                                 the scripts only one of them played
    POST /staff/api/try          {"sender"?, "message", "from"?}: one message to the assistant in a
                                 staff conversation; `from`: the patient question's ref (from
                                 insights), so that the patient's "forget me" deletes the try
    GET  /staff/api/draft        ?sender=: that conversation as a script, to edit and save
    GET  /staff/api/insights     questions per topic per week, least helpful answers, unanswered
                                 questions with their refs (?find=words: only those with the words)

Only the console's own site may write here (the widget's other sites get nothing).
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Optional

import sqlalchemy as sa
from aiohttp import web

from bot.access.client_address import client_address
from bot.access.guard import Guard, Refused
from bot.access.rate_limits import Rate, RateLimiter
from bot.content.store import ContentStore
from bot.dialogues.record import RecordError, record_script
from bot.dialogues.script import ScriptFormatError, load_scripts
from bot.records.ratings import FeedbackStore
from bot.records.staff_copies import StaffCopies
from bot.staff import insights, script_routes
from bot.staff.accounts import SignIn, StaffStore
from bot.staff.plain_words import Wording, choices
from bot.staff.runs import RunStore, compare
from bot.staff.script_routes import in_thread
from bot.staff.sessions import COOKIE, LIFETIME_S, SessionStore
from bot.web import rasa_proxy, security
from bot.web.errors import json_errors
from bot.web.rasa_proxy import ask_rasa
from bot.web.validation import MAX_BODY_BYTES, ApiError, read_json

STATIC_DIR = Path(__file__).resolve().parent / "static"
STATIC_FILES = frozenset(p.name for p in STATIC_DIR.iterdir() if p.suffix in (".js", ".css"))
STAFF_SENDER = re.compile(r"staff-[0-9a-f]{24}")
RUN_ID = re.compile(r"[0-9]{1,9}")
RASA_TIMEOUT_S = 15.0


@dataclass
class StaffConsole:
    accounts: StaffStore
    sessions: SessionStore
    runs: RunStore
    feedback: FeedbackStore
    copies: StaffCopies
    content: ContentStore
    tracker: sa.engine.Engine
    dialogues: Path  # the scripts folder
    model: Path
    rasa_url: str  # the Rasa server the script runs talk to (with the webhook token, if set)
    sign_in_rate: Optional[Rate] = None  # per client address
    secure_cookie: bool = False  # https: the cookie is sent over https only
    _passwords: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(2), init=False, repr=False)
    _sign_ins: Optional[RateLimiter] = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self._sign_ins = RateLimiter(self.sign_in_rate) if self.sign_in_rate else None

    def sign_ins_wait(self, address: str) -> int:
        """0 if this address may sign in now (and it is counted); else the seconds to wait."""
        return self._sign_ins.take(address) if self._sign_ins else 0

    async def sign_in(self, name: str, password: str) -> SignIn:
        """The password checked on the console's own threads, apart from everything else."""
        return await asyncio.get_running_loop().run_in_executor(self._passwords, self.accounts.sign_in, name, password)

    def model_version(self) -> str:
        if not self.model.exists():
            return f"{self.model.name} (missing)"
        digest = hashlib.sha256(self.model.read_bytes()).hexdigest()[:12]
        return f"{self.model.name} {digest}"


CONSOLE = web.AppKey("staff_console", StaffConsole)


def create_app(console: StaffConsole, guard: Guard, webhook_token: str = "") -> web.Application:
    """The console's app. `guard`: the console's own site; `webhook_token` for the tries."""
    app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=[json_errors])
    security.install(app, guard)
    rasa_proxy.install(app, console.rasa_url, RASA_TIMEOUT_S, webhook_token)
    app[CONSOLE] = console
    app[script_routes.FOLDER] = console.dialogues
    app.router.add_get("/staff/health", _health)
    app.router.add_get("/staff/", _page("staff.html"))
    app.router.add_get("/staff/{name}", _static)
    app.router.add_post("/staff/api/login", _login)
    routes: Dict[str, Callable] = {
        "POST /logout": _logout,
        "GET /me": _me,
        **script_routes.ROUTES,
        "POST /runs": _start_run,
        "GET /runs": _runs,
        "GET /runs/{run_id}": _run,
        "POST /runs/{run_id}/stop": _stop_run,
        "GET /compare": _compare,
        "POST /try": _try,
        "GET /draft": _draft,
        "GET /insights": _insights,
    }
    for route, handler in routes.items():
        method, path = route.split(" ")
        app.router.add_route(method, f"/staff/api{path}", _signed_in(handler))
    return app


async def _health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def _page(name: str):
    async def handler(request: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC_DIR / name, headers={"Cache-Control": "no-store"})

    return handler


async def _static(request: web.Request) -> web.FileResponse:
    """The console's scripts and style sheet (staff.js and the modules it imports)."""
    name = request.match_info["name"]
    if name not in STATIC_FILES:
        raise web.HTTPNotFound()
    return web.FileResponse(STATIC_DIR / name, headers={"Cache-Control": "no-store"})


def _signed_in(handler):
    async def guarded(request: web.Request) -> web.StreamResponse:
        name = await in_thread(request.app[CONSOLE].sessions.name_of, request.cookies.get(COOKIE))
        if name is None:
            raise ApiError(401, "Please sign in.")
        request["staff"] = name
        return await handler(request)

    return guarded


async def _login(request: web.Request) -> web.Response:
    data = await read_json(request)
    name, password = data.get("name"), data.get("password")
    if not isinstance(name, str) or not isinstance(password, str):
        raise ApiError(400, "name and password must be texts.")
    console = request.app[CONSOLE]
    address = client_address(
        request.remote, request.headers.get("X-Forwarded-For"), request.app[security.GUARD].trusted_proxies
    )
    wait = console.sign_ins_wait(address)
    if wait:
        raise Refused(429, f"Too many sign-ins from your network. Please wait {wait} s and try again.", wait)
    result = await console.sign_in(name, password)
    if result.wait_s:
        raise Refused(429, f"Too many failed sign-ins for this name: try again in {result.wait_s} s.", result.wait_s)
    if not result.ok:
        raise ApiError(401, "The name or the password is wrong.")
    response = web.json_response({"name": name})
    response.set_cookie(
        COOKIE,
        await in_thread(console.sessions.start, name),
        max_age=LIFETIME_S,
        path="/staff/",
        httponly=True,
        samesite="Strict",
        secure=console.secure_cookie,
    )
    return response


async def _logout(request: web.Request) -> web.Response:
    await in_thread(request.app[CONSOLE].sessions.end, request.cookies.get(COOKIE))
    response = web.json_response({"signed_out": True})
    response.del_cookie(COOKIE, path="/staff/")
    return response


async def _me(request: web.Request) -> web.Response:
    return web.json_response({"name": request["staff"], **choices(request.app[CONSOLE].content.items())})


async def _start_run(request: web.Request) -> web.Response:
    data = await read_json(request)
    wanted = data.get("scripts") or []
    if not isinstance(wanted, list) or not all(isinstance(n, str) for n in wanted):
        raise ApiError(400, "scripts must be a list of script names (empty: all).")
    console = request.app[CONSOLE]
    try:
        scripts = await in_thread(load_scripts, [console.dialogues])
    except ScriptFormatError as error:
        raise ApiError(400, f"The scripts cannot be read: {error}") from None
    chosen = [s for s in scripts if not wanted or s.name in wanted]
    unknown = sorted(set(wanted) - {s.name for s in scripts})
    if unknown or not chosen:
        raise ApiError(400, f"No such scripts: {', '.join(unknown)}" if unknown else "No scripts to run.")
    version = console.content.loaded_digest() or "unknown"
    run_id = await in_thread(
        console.runs.start,
        chosen,
        request["staff"],
        console.model_version(),
        version[:12],
        console.rasa_url,
        Wording.of(console.content.items()),
    )
    return web.json_response({"id": run_id})


async def _runs(request: web.Request) -> web.Response:
    return web.json_response(await in_thread(request.app[CONSOLE].runs.recent))


async def _one_run(request: web.Request, value: Optional[str]) -> Dict[str, Any]:
    if not value or not RUN_ID.fullmatch(value):
        raise ApiError(400, "A run is named by its number.")
    run = await in_thread(request.app[CONSOLE].runs.get, int(value))
    if run is None:
        raise ApiError(404, f"There is no run {value}.")
    return run


async def _run(request: web.Request) -> web.Response:
    return web.json_response(await _one_run(request, request.match_info["run_id"]))


async def _stop_run(request: web.Request) -> web.Response:
    run = await _one_run(request, request.match_info["run_id"])
    if not request.app[CONSOLE].runs.stop(run["id"]):
        raise ApiError(409, f"Run {run['id']} is not running any more.")
    return web.json_response({"id": run["id"], "stopping": True})


async def _compare(request: web.Request) -> web.Response:
    base = await _one_run(request, request.query.get("base"))
    other = await _one_run(request, request.query.get("other"))
    sizes = {"base_total": base["total"], "other_total": other["total"]}
    return web.json_response({"base": base["id"], "other": other["id"], **sizes, **compare(base, other)})


async def _try(request: web.Request) -> web.Response:
    data = await read_json(request)
    message, sender, origin = data.get("message"), data.get("sender"), data.get("from")
    if not isinstance(message, str) or not message.strip():
        raise ApiError(400, "message must be some text.")
    if sender is not None and not (isinstance(sender, str) and STAFF_SENDER.fullmatch(sender)):
        raise ApiError(400, "Only a conversation started in this console can be continued here.")
    console = request.app[CONSOLE]
    if sender is None:
        sender = f"staff-{secrets.token_hex(12)}"
        if origin is not None:
            patient = await in_thread(insights.sender_of, console.tracker, console.sessions.key, str(origin))
            if patient is None:
                raise ApiError(404, "That patient's question is gone (forgotten or purged).")
            await in_thread(console.copies.link, patient, sender)
    messages = await ask_rasa(request.app, {"sender": sender, "message": message})
    return web.json_response({"sender": sender, "messages": messages})


async def _draft(request: web.Request) -> web.Response:
    sender = request.query.get("sender", "")
    if not STAFF_SENDER.fullmatch(sender):
        raise ApiError(400, "Only a conversation tried in this console can be saved as a script.")
    console = request.app[CONSOLE]
    url = console.tracker.url.render_as_string(hide_password=False)
    try:
        script = await in_thread(record_script, url, sender, "")
    except RecordError as error:
        raise ApiError(404, str(error)) from None
    return web.json_response(script)


async def _insights(request: web.Request) -> web.Response:
    console = request.app[CONSOLE]
    per_week = await in_thread(insights.questions_per_topic_per_week, console.tracker)
    least = await in_thread(insights.least_helpful, console.feedback)
    find = request.query.get("find", "")[:100]
    unanswered = await in_thread(insights.unanswered_groups, console.tracker, console.sessions.key, find)
    return web.json_response({"per_week": per_week, "least_helpful": least, "unanswered": unanswered})
