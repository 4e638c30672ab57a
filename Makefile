# The two commands of the README. Each creates .venv and installs into it when needed
# (pinned by requirements.lock); a second call does nothing more than the work asked.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: report test check lint chromium java clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	# the lock pins setuptools too, so the editable install builds without isolation
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	# bytecode of the package, as pip writes it for an installed wheel (an editable install
	# writes none): the command and the notebooks' kernels then import it without compiling
	$(BIN)/python -m compileall -q src
	touch $(STAMP)

# Renders the reference briefings (en, nl) and the sweeps: only what is stale rebuilds.
report: $(STAMP)
	$(BIN)/effectmodel build --jobs 2

# Chromium for the browser tests: Debian packages, installed when missing (needs root/apt).
chromium:
	@command -v chromium >/dev/null 2>&1 || sh scripts/install-chromium.sh

# Java for the W3C Nu HTML checker (vnu.jar): Debian's default-jre-headless, when missing.
java:
	@java -version >/dev/null 2>&1 || sh scripts/install-java.sh

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts notebooks
	$(BIN)/lint-imports --no-cache

# Every test, one worker per logical CPU (pytest-xdist; one CPU: one worker).
test: $(STAMP) chromium java lint
	$(BIN)/effectmodel build --check
	$(BIN)/python -m pytest -n logical

# The quick lane while working (about a minute): lint, import contracts and the tests not
# marked slow or browser. CI runs `make test`, everything.
check: $(STAMP) lint
	$(BIN)/python -m pytest -n logical -q -m "not slow and not browser"

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
