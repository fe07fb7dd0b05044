"""Fail the build when cross-validated NLU scores drop below a threshold.

usage: check_nlu_scores.py RESULTS_DIR MIN_INTENT_F1 MIN_ENTITY_F1
Reads Rasa's intent_report.json and each entity extractor's *_report.json.
"""
import json
import sys
from pathlib import Path

ENTITY_REPORTS = ("MedicalTermExtractor_report.json",)


def weighted_f1(path: Path) -> float:
    return json.loads(path.read_text())["weighted avg"]["f1-score"]


def main(results: str, min_intent: str, min_entity: str) -> int:
    folder = Path(results)
    scores = {"intent": (weighted_f1(folder / "intent_report.json"), float(min_intent))}
    for name in ENTITY_REPORTS:
        scores[f"entity ({name.split('_')[0]})"] = (weighted_f1(folder / name), float(min_entity))
    failed = False
    for what, (f1, threshold) in scores.items():
        verdict = "ok" if f1 >= threshold else "BELOW THRESHOLD"
        failed |= f1 < threshold
        print(f"cross-validated {what} F1 (weighted): {f1:.3f}  (minimum {threshold:.2f}) {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
