# Patient-education assistant for refractory systemic sclerosis.
#   make run    set up what is missing, then start the assistant
#   make test   set up what is missing, then run every test
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV      := .venv
BIN       := $(VENV)/bin
PY        := $(BIN)/python
RASA      := RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 PYTHONWARNINGS=ignore SQLALCHEMY_SILENCE_UBER_WARNING=1 $(BIN)/rasa
MODEL     := models/ssc.tar.gz
INSTALLED := $(VENV)/.installed
TRAIN_INPUTS := config.yml domain.yml $(shell find data -name "*.yml" 2>/dev/null) bot/term_extractor.py bot/nlp.py bot/understanding.py
NLU_FOLDS ?= 3
NLU_MIN_INTENT_F1 ?= 0.80
NLU_MIN_ENTITY_F1 ?= 0.90

.PHONY: help install train run shell test test-unit validate test-stories test-nlu content-check content-report lock clean

help:
	@echo "make run     start the assistant (action server :5055, Rasa server :5005)"
	@echo "make shell   chat with it in this terminal"
	@echo "make test    run every test (sets itself up)"
	@echo "make install / train / validate / test-unit / test-stories / test-nlu / content-check / content-report / lock / clean"

$(INSTALLED): pyproject.toml requirements.lock
	@test -x $(PY) || "$$(scripts/find-python310)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip==24.0
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $@

install: $(INSTALLED)

# Rasa trains only when the training data, the config or the domain changed.
$(MODEL): $(INSTALLED) $(TRAIN_INPUTS)
	$(RASA) train --fixed-model-name ssc --out models
	@touch $@

train: $(MODEL)

run: $(MODEL)
	$(BIN)/sscbot run

shell: $(MODEL)
	$(BIN)/sscbot shell

content-check: $(INSTALLED)
	$(BIN)/sscbot content check

# Readability grade and review date of every item; overdue reviews (SSCBOT_REVIEW_MAX_AGE_DAYS).
content-report: $(INSTALLED)
	$(BIN)/sscbot content report

test: test-unit validate test-stories test-nlu

test-unit: $(MODEL)
	$(BIN)/pytest

validate: $(INSTALLED)
	$(RASA) data validate --fail-on-warnings

test-stories: $(MODEL)
	$(RASA) test core --model $(MODEL) --stories tests/stories --fail-on-prediction-errors --out results/core

# Cross-validated intent and entity F1; the build fails below the minimums.
test-nlu: $(INSTALLED)
	$(RASA) test nlu --nlu data/nlu --config config.yml --cross-validation --folds $(NLU_FOLDS) --out results/nlu
	$(PY) scripts/check_nlu_scores.py results/nlu $(NLU_MIN_INTENT_F1) $(NLU_MIN_ENTITY_F1)

# Re-lock the exact versions after changing dependencies in pyproject.toml.
lock:
	$(PY) -m pip freeze --exclude-editable | grep -v '^sscbot' > requirements.lock

clean:
	rm -rf models results var .pytest_cache
