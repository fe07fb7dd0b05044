"""Understanding on real patients' questions (evaluation/), through the real servers:
the held-out part must stay within evaluation/gate.yml. Writes results/eval/."""

from bot import settings
from bot.content.files import load_library
from bot.evaluation.dataset import HELD_OUT, PARTS, load_gate, load_sets
from bot.evaluation.metrics import gate_failures, score
from bot.evaluation.report import write_reports
from bot.evaluation.runner import ask_all

SETS = settings.PROJECT_DIR / "evaluation"


def test_the_held_out_real_questions_stay_within_the_gate(assistant):
    library = load_library(settings.content_dir())
    questions = load_sets(SETS, set(library.items), settings.max_message_chars())
    outcomes = ask_all(assistant.config.rasa_url, questions)
    parts = [score(part, [o for o in outcomes if o.question.part == part]) for part in PARTS]
    write_reports(parts, settings.PROJECT_DIR / "results" / "eval")
    held_out = next(p for p in parts if p.part == HELD_OUT)
    assert len(held_out.outcomes) * 3 >= len(outcomes), "the held-out part is at least a third of the set"
    assert gate_failures(held_out, load_gate(SETS)) == []
