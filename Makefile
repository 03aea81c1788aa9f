# The developer's front door: `make run` to try the app, `make test` before every commit.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: setup run data test check lint format backup restore

# The development commands run with DEBUG on; a production server sets its own environment.
data run test check backup restore: export DEBUG ?= 1

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

data: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

run: data
	@echo "请在浏览器打开 http://127.0.0.1:8000 ，先用 leader_tz（局领导，看板）或 staff_tz_jjc（处室人员，报送）登录，密码见上方；按 Ctrl+C 停止。"
	$(PY) manage.py runserver 127.0.0.1:8000

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
