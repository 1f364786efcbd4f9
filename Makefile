# RedPinar: `make run` serves the portal, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TOOLS := .tools
VNU_JAR := $(TOOLS)/node_modules/vnu-jar/build/dist/vnu.jar
VNU_VERSION := 26.9.27
APT_GET := DEBIAN_FRONTEND=noninteractive apt-get

.PHONY: run test bench check translations browser-deps clean

run: $(VENV)/.installed
	$(BIN)/python app.py

# Two pytest-xdist workers, each test file whole on one of them (tests/conftest.py says how);
# TEST_WORKERS=0 runs everything in one process. PYTEST_ARGS go last, so they may override.
TEST_WORKERS ?= 2
test: $(VENV)/.dev-installed browser-deps $(VNU_JAR)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# Debian's wrk (the load generator of the page section) is installed first, only when missing.
bench: $(VENV)/.dev-installed
	@if ! command -v wrk >/dev/null 2>&1; then \
	  echo "Installing wrk with apt-get"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO env $(APT_GET) update -qq && $$SUDO env $(APT_GET) install -y -qq wrk; \
	fi
	$(BIN)/python -m bench.run

check: $(VENV)/.installed
	$(BIN)/flask --app app check

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# Debian's chromium (Playwright drives it), a Java runtime and npm (the Nu HTML checker), and nginx
# (tested in front of 2 processes as deploy/ runs it), only when missing.
browser-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$$missing nginx-light"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing$$missing with apt-get"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO env $(APT_GET) update -qq && $$SUDO env $(APT_GET) install -y -qq $$missing; \
	fi

$(VNU_JAR):
	mkdir -p $(TOOLS)
	npm install --prefix $(TOOLS) --no-audit --no-fund --silent vnu-jar@$(VNU_VERSION)

# For developers: refresh the English catalogue after changing texts, then compile it.
translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -o redpinar/translations/messages.pot --no-location --omit-header .
	$(BIN)/pybabel update -i redpinar/translations/messages.pot -d redpinar/translations --no-fuzzy-matching
	$(BIN)/pybabel compile -d redpinar/translations

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache test-output
