# Build, quality gates and demo for the secops.async_tasks collection.
# `make help` lists the targets. Everything runs from .venv (made by `make venv`, which every
# target depends on and which reinstalls only when a requirements file changes).

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules

# The interpreter .venv is made from (3.11+); everything after that runs from .venv.
BOOTSTRAP_PYTHON ?= python3
VENV := .venv
VENV_STAMP := $(VENV)/.requirements-installed
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
export PYTHON := $(CURDIR)/$(VENV)/bin/python
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# Python's bytecode caches are written (as Python does by default) even where the environment says not
# to (PYTHONDONTWRITEBYTECODE, set on some CI images): otherwise every pytest worker and every helper
# process compiles the tests, the simulator and the plugins again. They go to __pycache__/ folders,
# which git and the build ignore and `make clean` removes.
unexport PYTHONDONTWRITEBYTECODE
# Where `make install` puts the built collection; integration, docs-check and demo use only it.
COLLECTIONS_DIR := $(CURDIR)/.tmp/collections

# CI logs are read as plain text: no colour codes from ansible-lint, molecule, ansible-playbook.
ifneq ($(CI),)
export NO_COLOR := 1
export ANSIBLE_NOCOLOR := 1
export PY_COLORS := 0
endif

FQCN = $(shell $(PYTHON) scripts/collection-info.py fqcn)
TARBALL = dist/$(shell $(PYTHON) scripts/collection-info.py tarball)

.PHONY: help venv build install sanity lint unit modules integration molecule docs-check test demo bench reliability \
	matrix docs release-check clean distclean

help: ## Show this list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

venv: $(VENV_STAMP) ## Create .venv with the pinned tools (requirements-dev.txt)
	@:

# The venvs are made and filled by uv (pinned in requirements-uv.txt, in a venv of its own that pip
# makes): seconds instead of pip's half minute, and `make test` waits for them. UV= uses pip instead.
UV_VENV := .venv-uv
UV_STAMP := $(UV_VENV)/.requirements-installed
UV ?= $(CURDIR)/$(UV_VENV)/bin/uv
export UV
# uv trusts the system's certificates, as pip does here (pip.conf names the system bundle): with its own
# roots it refuses a proxy's certificate when SSL_CERT_FILE is not set ("invalid peer certificate").
export UV_NATIVE_TLS := 1
UV_PREREQ := $(if $(UV),$(UV_STAMP))

$(UV_STAMP): requirements-uv.txt
	@UV= VENV=$(UV_VENV) REQUIREMENTS=requirements-uv.txt PYTHON=$(BOOTSTRAP_PYTHON) scripts/venv.sh
	@touch $@

# The Makefile is not a prerequisite on purpose: editing it must not reinstall everything. .venv-uv is
# order-only (the docs and release venvs need not follow a new uv); .venv has uv too (ansible-test's venvs
# get pip from it), so requirements-uv.txt is among its requirements.
$(VENV_STAMP): requirements-dev.txt requirements.txt requirements-uv.txt | $(UV_PREREQ)
	@PYTHON=$(BOOTSTRAP_PYTHON) scripts/venv.sh
	@touch $@

build: venv ## Build the collection tarball into dist/
	@mkdir -p dist
	@ansible-galaxy collection build --force --output-path dist >/dev/null
	@echo "build: $(TARBALL)"

install: build ## Install the built tarball into .tmp/collections
	@ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS_DIR) ansible-galaxy collection install --offline --force \
		-p $(COLLECTIONS_DIR) $(TARBALL) >/dev/null
	@echo "install: $(FQCN) -> $(COLLECTIONS_DIR)"

# The docs site and the release check have venvs of their own: Sphinx/antsibull-docs and Galaxy's
# importer pin dependencies that the development tools in .venv do not share.
DOCS_VENV := .venv-docs
GALAXY_VENV := .venv-galaxy

$(DOCS_VENV)/.requirements-installed: requirements-docs.txt | $(UV_PREREQ)
	@VENV=$(DOCS_VENV) REQUIREMENTS=requirements-docs.txt PYTHON=$(BOOTSTRAP_PYTHON) scripts/venv.sh
	@touch $@

$(GALAXY_VENV)/.requirements-installed: requirements-release.txt | $(UV_PREREQ)
	@VENV=$(GALAXY_VENV) REQUIREMENTS=requirements-release.txt PYTHON=$(BOOTSTRAP_PYTHON) scripts/venv.sh
	@touch $@

# Extra arguments for the tools: make sanity SANITY_ARGS='--test pylint', make unit PYTEST_ARGS=-x
SANITY_ARGS ?=
PYTEST_ARGS ?=
# pytest-xdist workers for unit, modules and integration (one per core; XDIST=0 runs in one process).
# --dist loadfile keeps a file's tests in one worker: a file's batched playbook or table runs once.
XDIST ?= auto
XDIST_ARGS = $(if $(filter 0,$(XDIST)),,-n $(XDIST) --dist loadfile)
# ansible-playbook runs allowed in `make integration` (tests/conftest.py counts them) and in `make
# molecule` (scripts/molecule.sh counts its steps and the runs its verify steps start): above the limit
# the stage fails. Together, `make test` starts at most 40.
MAX_PLAYBOOK_RUNS ?= 25
MOLECULE_MAX_PLAYBOOK_RUNS ?= 15

sanity: venv ## ansible-test sanity on a copy at .tmp/sanity/ansible_collections/...
	@scripts/sanity.sh $(SANITY_ARGS)

lint: venv ## ansible-lint --profile production (settings in .ansible-lint)
	@ansible-lint --profile production

unit: venv ## pytest tests/unit (functions, the simulator; xdist)
	@scripts/pytest-dir.sh tests/unit $(XDIST_ARGS) $(PYTEST_ARGS)

# Behaviour of every module: main() in-process against the simulator, from the checkout (tests/modules/).
# Much of its time goes to waiting on the simulator (timeouts, polls, backoff): more workers than cores,
# and each takes the next test as it frees up (worksteal), not whole files. Alone, 6 workers finish in
# 65 s and 4 in 81 s; but each worker costs CPU to start, and inside `make test` the CPU is what the
# four lanes share: 4 use about 10 CPU-seconds less.
MODULES_XDIST ?= 4
modules: venv ## pytest tests/modules: each module's main() in-process against the simulator (xdist)
	@scripts/pytest-dir.sh tests/modules $(if $(filter 0,$(XDIST)),,-n $(MODULES_XDIST) --dist worksteal) $(PYTEST_ARGS)

# The integration harness runs ansible-playbook against the collection in SECOPS_COLLECTIONS_PATH
# (the built tarball here, so what is tested is what ships): only what needs Ansible itself, batched.
integration: install ## pytest tests/integration: what needs ansible-playbook, batched (<= MAX_PLAYBOOK_RUNS runs)
	@SECOPS_COLLECTIONS_PATH=$(COLLECTIONS_DIR) SECOPS_MAX_PLAYBOOK_RUNS=$(MAX_PLAYBOOK_RUNS) \
		scripts/pytest-dir.sh tests/integration $(XDIST_ARGS) $(PYTEST_ARGS)

molecule: install ## molecule test for every scenario in extensions/molecule/, with the installed tarball
	@SECOPS_COLLECTIONS_PATH=$(COLLECTIONS_DIR) SECOPS_MAX_PLAYBOOK_RUNS=$(MOLECULE_MAX_PLAYBOOK_RUNS) scripts/molecule.sh

docs-check: install ## ansible-doc for every module of the installed collection
	@ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS_DIR) $(PYTHON) scripts/docs-check.py $(FQCN)

# Four lanes at once (scripts/stages.sh; logs in .tmp/stages/): the checkers, the in-process pytest tiers,
# the integration tests, and the release check then molecule. .venv is made first; the stages in EARLY
# need nothing else and start at once, while the release check's venv is made and the tarball built and
# installed for the others.
test: ## All gates, in four lanes at once: lint sanity docs-check | unit modules | integration | release-check molecule
	@MAKE='$(MAKE)' SETUP='$(GALAXY_VENV)/.requirements-installed' EARLY='lint sanity unit modules' \
		scripts/stages.sh lint,sanity,docs-check unit,modules integration release-check,molecule

demo: install ## Run playbooks/demo.yml and playbooks/weekly_reports.yml against the simulator
	@test -f playbooks/demo.yml || { echo "demo: playbooks/demo.yml does not exist yet" >&2; exit 1; }
	@ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS_DIR) ANSIBLE_LOCALHOST_WARNING=false \
		ANSIBLE_INVENTORY_UNPARSED_WARNING=false \
		REPORTS_DIR=$(CURDIR)/.tmp/weekly-reports scripts/with-simulator.sh ansible-playbook playbooks/demo.yml \
		playbooks/weekly_reports.yml

bench: install ## Benchmark the modules against the uri playbooks users write instead (writes docs/benchmarks.md; ~6 min)
	@$(PYTHON) scripts/bench/run.py --collections-path $(COLLECTIONS_DIR)

reliability: venv ## The soak (tests/reliability), then 500 runs under injected faults and property volume into docs/reliability.md
	@scripts/pytest-dir.sh tests/reliability $(PYTEST_ARGS)
	@SECOPS_UNIT_PROPERTY_EXAMPLES=1000 SECOPS_PROPERTY_RANDOM=1 $(PYTHON) -m pytest -p no:cacheprovider -q \
		tests/unit/plugins/module_utils/test_properties.py tests/unit/plugins/module_utils/test_redaction.py
	@$(PYTHON) scripts/reliability-report.py

# Cells to run, comma-separated (default all; `scripts/matrix.py --list` names them):
# make matrix CELLS=core-2.16,core-2.21,target-3.8
CELLS ?=
MATRIX_ARGS ?=
matrix: venv ## Compatibility matrix: ansible-core 2.16-2.21, managed-node Python 3.8-3.13, old/new requests (CELLS=...)
	@$(PYTHON) scripts/matrix.py $(if $(CELLS),--cells $(CELLS)) $(MATRIX_ARGS)

docs: $(DOCS_VENV)/.requirements-installed venv ## HTML docs site (antsibull-docs) in .tmp/docs/site/build/html, checked in Chromium
	@$(DOCS_VENV)/bin/python scripts/docs.py
	@$(PYTHON) -m pytest -p no:cacheprovider -q tests/docs

release-check: $(GALAXY_VENV)/.requirements-installed venv ## Release 0.1.0 in a copy: changelog, galaxy-importer, ansible-lint as Galaxy runs it
	@GALAXY_PYTHON=$(CURDIR)/$(GALAXY_VENV)/bin/python scripts/release-check.sh

clean: ## Remove build and test output (keeps .venv)
	@rm -rf .tmp dist tests/output collections .ansible .pytest_cache .hypothesis
	@find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean ## clean, and remove .venv (and the docs and release venvs) too
	@rm -rf $(VENV) $(DOCS_VENV) $(GALAXY_VENV) $(UV_VENV)
