"""The staff console under /staff/: sign in, run the scripts and compare runs, try a
conversation and save it as a script, see what patients ask.

    GET  /staff/                 the console (staff.html); everything else needs the session
    POST /staff/api/login        {"name", "password"}: sets the signed session cookie
    POST /staff/api/logout       clears it
    GET  /staff/api/me           who is signed in
    GET  /staff/api/scripts      the script files, their scripts and hashes
    POST /staff/api/scripts      {"file", "script", "base_hash"}: adds a script (409 on a conflict)
    POST /staff/api/runs         {"scripts": [names] or []}: starts a run of those (or all)
    GET  /staff/api/runs         the recent runs; /staff/api/runs/{id}: one, with its results
    GET  /staff/api/compare      ?base=&other=: newly failing and newly passing scripts
    POST /staff/api/try          {"sender"?, "message"}: one message to the assistant
    GET  /staff/api/draft        ?sender=: that conversation as a script, to edit and save
    GET  /staff/api/insights     questions per topic per week, least helpful answers, unanswered
                                 (?find=words: only the unanswered questions with those words)

Staff pages are same-site only: the sites that may embed the widget get no access here.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, Optional

import sqlalchemy as sa
from aiohttp import web

from bot.content.files import TOPICS
from bot.content.replies import KINDS
from bot.content.store import ContentStore
from bot.dialogues.record import RecordError, record_script
from bot.dialogues.script import ScriptFormatError, load_scripts
from bot.records.ratings import FeedbackStore
from bot.staff import insights
from bot.staff.accounts import StaffStore
from bot.staff.runs import RunStore, compare
from bot.staff.script_files import ScriptConflict, list_files, save_script
from bot.staff.sessions import COOKIE, LIFETIME_S, make_cookie, staff_name
from bot.web.rasa_proxy import ask_rasa
from bot.web.validation import ApiError, read_json

STATIC_DIR = Path(__file__).resolve().parent / "static"


@dataclass
class StaffConsole:
    accounts: StaffStore
    runs: RunStore
    feedback: FeedbackStore
    content: ContentStore
    tracker: sa.engine.Engine
    key: bytes  # signs the session cookies
    dialogues: Path  # the scripts folder
    model: Path
    rasa_url: str  # the Rasa server the script runs talk to (with the webhook token, if set)
    secure_cookie: bool = False  # https: the cookie is sent over https only

    def model_version(self) -> str:
        if not self.model.exists():
            return f"{self.model.name} (missing)"
        digest = hashlib.sha256(self.model.read_bytes()).hexdigest()[:12]
        return f"{self.model.name} {digest}"


CONSOLE = web.AppKey("staff_console", StaffConsole)


def install(app: web.Application, console: StaffConsole) -> None:
    app[CONSOLE] = console
    app.router.add_get("/staff/", _page("staff.html"))
    app.router.add_get("/staff/staff.js", _page("staff.js"))
    app.router.add_get("/staff/staff.css", _page("staff.css"))
    app.router.add_post("/staff/api/login", _login)
    routes: Dict[str, Callable] = {
        "POST /logout": _logout,
        "GET /me": _me,
        "GET /scripts": _scripts,
        "POST /scripts": _save,
        "POST /runs": _start_run,
        "GET /runs": _runs,
        "GET /runs/{run_id}": _run,
        "GET /compare": _compare,
        "POST /try": _try,
        "GET /draft": _draft,
        "GET /insights": _insights,
    }
    for route, handler in routes.items():
        method, path = route.split(" ")
        app.router.add_route(method, f"/staff/api{path}", _signed_in(handler))


def _page(name: str):
    async def handler(request: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC_DIR / name, headers={"Cache-Control": "no-store"})

    return handler


def _signed_in(handler):
    async def guarded(request: web.Request) -> web.StreamResponse:
        name = staff_name(request.app[CONSOLE].key, request.cookies.get(COOKIE))
        if name is None:
            raise ApiError(401, "Please sign in.")
        request["staff"] = name
        return await handler(request)

    return guarded


async def _in_thread(function, *args):
    return await asyncio.get_running_loop().run_in_executor(None, function, *args)


async def _login(request: web.Request) -> web.Response:
    data = await read_json(request)
    name, password = data.get("name"), data.get("password")
    if not isinstance(name, str) or not isinstance(password, str):
        raise ApiError(400, "name and password must be texts.")
    console = request.app[CONSOLE]
    result = await _in_thread(console.accounts.sign_in, name, password)
    if result.locked_minutes:
        raise ApiError(429, f"Too many failed sign-ins: try again in {result.locked_minutes} minutes.")
    if not result.ok:
        raise ApiError(401, "The name or the password is wrong.")
    response = web.json_response({"name": name})
    response.set_cookie(
        COOKIE,
        make_cookie(console.key, name),
        max_age=LIFETIME_S,
        path="/staff/",
        httponly=True,
        samesite="Strict",
        secure=console.secure_cookie,
    )
    return response


async def _logout(request: web.Request) -> web.Response:
    response = web.json_response({"signed_out": True})
    response.del_cookie(COOKIE, path="/staff/")
    return response


async def _me(request: web.Request) -> web.Response:
    return web.json_response({"name": request["staff"], "topics": list(TOPICS), "kinds": list(KINDS)})


async def _scripts(request: web.Request) -> web.Response:
    try:
        return web.json_response(await _in_thread(list_files, request.app[CONSOLE].dialogues))
    except ScriptFormatError as error:
        raise ApiError(500, f"A script file is broken: {error}") from None


async def _save(request: web.Request) -> web.Response:
    data = await read_json(request)
    file_name, script, base_hash = data.get("file"), data.get("script"), data.get("base_hash")
    if not isinstance(file_name, str) or not isinstance(script, dict):
        raise ApiError(400, "file must be a text and script an object.")
    console = request.app[CONSOLE]
    try:
        path = await _in_thread(save_script, console.dialogues, file_name, script, base_hash)
    except ScriptConflict as error:
        raise ApiError(409, str(error)) from None
    except ScriptFormatError as error:
        raise ApiError(400, "The script is not valid: " + "; ".join(str(p) for p in error.problems)) from None
    except ValueError as error:
        raise ApiError(400, str(error)) from None
    return web.json_response({"file": path.name, "saved": True})


async def _start_run(request: web.Request) -> web.Response:
    data = await read_json(request)
    wanted = data.get("scripts") or []
    if not isinstance(wanted, list) or not all(isinstance(n, str) for n in wanted):
        raise ApiError(400, "scripts must be a list of script names (empty: all).")
    console = request.app[CONSOLE]
    try:
        scripts = await _in_thread(load_scripts, [console.dialogues])
    except ScriptFormatError as error:
        raise ApiError(400, f"The scripts cannot be read: {error}") from None
    chosen = [s for s in scripts if not wanted or s.name in wanted]
    unknown = sorted(set(wanted) - {s.name for s in scripts})
    if unknown or not chosen:
        raise ApiError(400, f"No such scripts: {', '.join(unknown)}" if unknown else "No scripts to run.")
    version = console.content.loaded_digest() or "unknown"
    run_id = await _in_thread(
        console.runs.start, chosen, request["staff"], console.model_version(), version[:12], console.rasa_url
    )
    return web.json_response({"id": run_id})


async def _runs(request: web.Request) -> web.Response:
    return web.json_response(await _in_thread(request.app[CONSOLE].runs.recent))


async def _one_run(request: web.Request, value: Optional[str]) -> Dict[str, Any]:
    if not value or not value.isdigit():
        raise ApiError(400, "A run is named by its number.")
    run = await _in_thread(request.app[CONSOLE].runs.get, int(value))
    if run is None:
        raise ApiError(404, f"There is no run {value}.")
    return run


async def _run(request: web.Request) -> web.Response:
    return web.json_response(await _one_run(request, request.match_info["run_id"]))


async def _compare(request: web.Request) -> web.Response:
    base = await _one_run(request, request.query.get("base"))
    other = await _one_run(request, request.query.get("other"))
    return web.json_response({"base": base["id"], "other": other["id"], **compare(base, other)})


async def _try(request: web.Request) -> web.Response:
    data = await read_json(request)
    message, sender = data.get("message"), data.get("sender") or f"staff-{secrets.token_hex(12)}"
    if not isinstance(message, str) or not message.strip() or not isinstance(sender, str):
        raise ApiError(400, "message must be some text.")
    messages = await ask_rasa(request.app, {"sender": sender, "message": message})
    return web.json_response({"sender": sender, "messages": messages})


async def _draft(request: web.Request) -> web.Response:
    sender = request.query.get("sender", "")
    if not sender.startswith("staff-"):
        raise ApiError(400, "Only a conversation tried in this console can be saved as a script.")
    console = request.app[CONSOLE]
    url = console.tracker.url.render_as_string(hide_password=False)
    try:
        script = await _in_thread(record_script, url, sender, "")
    except RecordError as error:
        raise ApiError(404, str(error)) from None
    return web.json_response(script)


async def _insights(request: web.Request) -> web.Response:
    console = request.app[CONSOLE]
    per_week = await _in_thread(insights.questions_per_topic_per_week, console.tracker)
    least = await _in_thread(insights.least_helpful, console.feedback)
    unanswered = await _in_thread(insights.unanswered_groups, console.tracker, request.query.get("find", "")[:100])
    return web.json_response({"per_week": per_week, "least_helpful": least, "unanswered": unanswered})
