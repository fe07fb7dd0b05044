"""The red-flag rules of `content/red_flags.yml`, read and checked: what the detector
(bot.safety.red_flags) matches, and what the content's load step validates without spaCy."""

from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from bot.content.files import ContentError, read_yaml
from bot.language.text import GAP

RED_FLAGS_FILE = "red_flags.yml"
CUE_KINDS = (
    "negations",
    "fillers",
    "past",
    "recent",
    "questions",
    "about",
    "over",
    "present",
    "figures",
    "mentions",
    "happening",
)


@dataclass(frozen=True)
class RedFlag:
    id: str
    reply: str
    phrases: Tuple[str, ...]
    with_any: Tuple[str, ...] = ()
    unless_any: Tuple[str, ...] = ()  # in the same clause, one of these sets the match aside
    blood_pressure: Optional[Tuple[int, int]] = None
    pill_count: Optional[int] = None


@dataclass(frozen=True)
class RedFlagRules:
    flags: Tuple[RedFlag, ...]
    cues: Dict[str, Tuple[str, ...]]

    def phrases(self) -> List[str]:
        every = [p for flag in self.flags for p in flag.phrases + flag.with_any + flag.unless_any]
        return every + [c for cues in self.cues.values() for c in cues]

    def replies(self) -> Dict[str, str]:
        """Red flag id -> the id of the emergency item that answers it."""
        return {flag.id: flag.reply for flag in self.flags}


def load_red_flags(content_dir) -> RedFlagRules:
    path = Path(content_dir) / RED_FLAGS_FILE
    file = str(path)
    if not path.exists():
        raise ContentError(file, "missing red flags file")
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("flags"), list) or not data["flags"]:
        raise ContentError(file, "expected a list under 'flags'", field="flags")
    cues = {kind: _texts(file, data.get(kind), None, kind) for kind in CUE_KINDS}
    flags, seen = [], set()
    for index, raw in enumerate(data["flags"]):
        if not isinstance(raw, dict) or not raw.get("id"):
            raise ContentError(file, "missing", item=f"#{index + 1}", field="id")
        flag_id = str(raw["id"])
        if flag_id in seen:
            raise ContentError(file, "duplicate id", flag_id, "id")
        seen.add(flag_id)
        if not raw.get("reply"):
            raise ContentError(file, "missing", flag_id, "reply")
        flags.append(
            RedFlag(
                id=flag_id,
                reply=str(raw["reply"]),
                phrases=_texts(file, raw.get("phrases"), flag_id, "phrases"),
                with_any=_texts(file, raw.get("with_any") or [], flag_id, "with_any", required=False),
                unless_any=_texts(file, raw.get("unless_any") or [], flag_id, "unless_any", required=False),
                blood_pressure=_blood_pressure(file, flag_id, raw.get("blood_pressure")),
                pill_count=_whole_number(file, flag_id, raw.get("pill_count")),
            )
        )
    return RedFlagRules(tuple(flags), cues)


def _texts(file: str, value, item: Optional[str], field: str, required: bool = True) -> Tuple[str, ...]:
    if not isinstance(value, list) or (required and not value):
        raise ContentError(file, "expected a list of phrases", item, field)
    for v in value:
        if not isinstance(v, str) or not v.strip() or v.strip() == GAP:
            hint = ' (quote words YAML reads as true/false, like "no")' if isinstance(v, bool) else ""
            raise ContentError(file, f"{v!r} is not a phrase{hint}", item, field)
    return tuple(v.strip() for v in value)


def _blood_pressure(file: str, flag_id: str, value) -> Optional[Tuple[int, int]]:
    if value is None:
        return None
    try:
        return int(value["systolic"]), int(value["diastolic"])
    except (TypeError, KeyError, ValueError) as error:
        raise ContentError(file, "expected {systolic: N, diastolic: N}", flag_id, "blood_pressure") from error


def _whole_number(file: str, flag_id: str, value) -> Optional[int]:
    if value is None:
        return None
    if not isinstance(value, int) or value < 1:
        raise ContentError(file, "expected a whole number", flag_id, "pill_count")
    return value
