# The developer's front door: `make run` to try the app, `make test` before every commit.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: setup run worker data test check lint format backup restore

# The development commands run with DEBUG on; a production server sets its own environment.
data run worker test check backup restore: export DEBUG ?= 1
# The background worker with its scheduler (beat): the outbox, the morning reminders, large exports.
WORKER := $(PY) -m celery -A bureau --quiet worker --beat --pool=solo --loglevel=warning

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

data: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

# The web server and, beside it, one worker: with no CELERY_BROKER_URL their queue is a folder (var/),
# so nothing else needs to run. Ctrl+C stops both.
run: data
	@echo "请在浏览器打开 http://127.0.0.1:8000 ，先用 leader_tz（局领导，看板）或 staff_tz_jjc（处室人员，报送）登录，密码见上方；按 Ctrl+C 停止。"
	$(WORKER) & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; $(PY) manage.py runserver 127.0.0.1:8000

# The worker alone, e.g. beside `manage.py runserver`, or on its own machine with CELERY_BROKER_URL=redis://….
worker: setup
	$(WORKER)

# A dated archive of the database and the uploaded files, in backups/ (or $BACKUP_DIR).
backup: setup
	$(PY) manage.py backup

# make restore FILE=backups/duban-20261122-093000.tar.gz
restore: setup
	@test -n "$(FILE)" || { echo "用法：make restore FILE=backups/duban-….tar.gz" >&2; exit 2; }
	$(PY) manage.py restore "$(FILE)"

test: setup
	$(PY) -m pytest

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: lint
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
