"""Item-level cross-validation of the item ranker on the development part of the real
questions (bot.evaluation.item_folds); fails below the minimums.

usage: item_cross_validation.py OUT_DIR MIN_TOP1 MIN_TOP3
"""

import json
import sys
from pathlib import Path

from rasa.shared.nlu.training_data.loading import load_data

from bot import settings
from bot.content.repository import content
from bot.evaluation.item_folds import cross_validate
from bot.language.encoder import shared_encoder
from bot.language.item_examples import concepts_in, rankable, real_questions, training_examples
from bot.language.understanding import shared_understanding

PROJECT = settings.PROJECT_DIR


def main(out: str, min_top1: str, min_top3: str) -> int:
    library = content().library
    understanding = shared_understanding()
    nlu = [(m.get("text"), m.get("intent")) for m in load_data(str(PROJECT / "data" / "nlu")).intent_examples]
    base = training_examples(library, understanding, nlu, PROJECT / "data" / "items")
    questions = real_questions(PROJECT / "evaluation" / "dev.yml", library)
    scores = cross_validate(
        base,
        questions,
        rankable(library),
        shared_encoder().encode,
        lambda text: concepts_in(understanding.analyse(text)),
    )
    Path(out).mkdir(parents=True, exist_ok=True)
    (Path(out) / "item_cross_validation.json").write_text(json.dumps(scores.as_dict(), indent=2))
    failed = False
    for name, figure, minimum in (("top-1", scores.top1, float(min_top1)), ("top-3", scores.top3, float(min_top3))):
        failed |= figure < minimum
        verdict = "ok" if figure >= minimum else "BELOW THRESHOLD"
        print(
            f"cross-validated item {name} on {scores.questions} development questions: {figure:.3f}  "
            f"(minimum {minimum:.2f}) {verdict}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
