"""The staff console's script routes (bot.staff.console adds them, each behind the sign-in):

    GET  /staff/api/scripts          the script files, their scripts and hashes
    GET  /staff/api/scripts/one      ?name=: that script as written, its file and the file's hash
    POST /staff/api/scripts          {"file", "script", "base_hash", "no_personal_details": true}:
                                     adds a script, its messages redacted
    POST /staff/api/scripts/edit     {"file", "name", "script", "base_hash", "no_personal_details": true}:
                                     replaces the script called `name`
    POST /staff/api/scripts/delete   {"file", "name", "base_hash"}: removes it

A file changed on disk since it was read, or a name already taken: 409."""

from __future__ import annotations

import asyncio
import functools
from pathlib import Path
from typing import Any, Callable, Dict

from aiohttp import web

from bot.dialogues.script import ScriptFormatError
from bot.safety.redaction import redact
from bot.staff.script_files import ScriptConflict, delete_script, edit_script, list_files, read_script, save_script
from bot.staff.script_text import NoSuchScript
from bot.web.validation import ApiError, read_json

FOLDER = web.AppKey("dialogues", Path)
CHECK_FIRST = "Check that no personal detail is left in the script, then confirm it to save."


async def in_thread(function: Callable, *args: Any) -> Any:
    return await asyncio.get_running_loop().run_in_executor(None, function, *args)


async def _changed(request: web.Request, change: Callable, *args: Any) -> web.Response:
    """Run a change of dialogues/ and answer with the file, or with what went wrong."""
    try:
        path = await in_thread(functools.partial(change, request.app[FOLDER], *args))
    except ScriptConflict as error:
        raise ApiError(409, str(error)) from None
    except NoSuchScript as error:
        raise ApiError(404, f"There is no script called “{error}” any more: reload the page.") from None
    except ScriptFormatError as error:
        raise ApiError(400, "The script is not valid: " + "; ".join(str(p) for p in error.problems)) from None
    except ValueError as error:
        raise ApiError(400, str(error)) from None
    return web.json_response({"file": path.name, "saved": True})


async def _scripts(request: web.Request) -> web.Response:
    try:
        return web.json_response(await in_thread(list_files, request.app[FOLDER]))
    except ScriptFormatError as error:
        raise ApiError(500, f"A script file is broken: {error}") from None


async def _one(request: web.Request) -> web.Response:
    name = request.query.get("name", "")
    try:
        return web.json_response(await in_thread(read_script, request.app[FOLDER], name))
    except NoSuchScript:
        raise ApiError(404, f"There is no script called “{name[:100]}”.") from None


def _texts(data: Dict[str, Any], *keys: str) -> list:
    values = [data.get(key) for key in keys]
    if not all(isinstance(value, str) for value in values):
        raise ApiError(400, f"{', '.join(keys)} must be texts.")
    return values


def _script(data: Dict[str, Any]) -> Dict[str, Any]:
    """The script to save, checked for the confirmation, its messages redacted."""
    script = data.get("script")
    if not isinstance(script, dict):
        raise ApiError(400, "script must be an object.")
    if data.get("no_personal_details") is not True:
        raise ApiError(400, CHECK_FIRST)
    return _redacted(script)


def _redacted(script: Dict[str, Any]) -> Dict[str, Any]:
    """The script with each message as the assistant would store it: no personal details."""
    turns = script.get("turns")
    if not isinstance(turns, list):
        return script
    redacted = [
        {**t, "user": redact(t["user"])} if isinstance(t, dict) and isinstance(t.get("user"), str) else t for t in turns
    ]
    return {**script, "turns": redacted}


async def _add(request: web.Request) -> web.Response:
    data = await read_json(request)
    (file_name,) = _texts(data, "file")
    return await _changed(request, save_script, file_name, _script(data), data.get("base_hash"))


async def _edit(request: web.Request) -> web.Response:
    data = await read_json(request)
    file_name, name = _texts(data, "file", "name")
    return await _changed(request, edit_script, file_name, name, _script(data), data.get("base_hash"))


async def _delete(request: web.Request) -> web.Response:
    data = await read_json(request)
    file_name, name = _texts(data, "file", "name")
    return await _changed(request, delete_script, file_name, name, data.get("base_hash"))


ROUTES: Dict[str, Callable] = {
    "GET /scripts": _scripts,
    "GET /scripts/one": _one,
    "POST /scripts": _add,
    "POST /scripts/edit": _edit,
    "POST /scripts/delete": _delete,
}
