"""Production settings: `check --deploy` is clean with the production environment, static files collect for
WhiteNoise's manifest storage, and gunicorn's config file loads."""

import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DEBUG", "SECURE_"))}
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "smartsite.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "zhsq.example.cn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "SECURE_SSL_REDIRECT": "1",
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
        "SECURE_HSTS_PRELOAD": "1",
        "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO",
        **extra,
    }


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], env=env, cwd=ROOT, capture_output=True, text=True)


def test_check_deploy_has_no_warnings(tmp_path):
    done = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout + done.stderr


def test_check_deploy_flags_insecure_settings(tmp_path):
    done = manage(production_env(tmp_path, SECURE_HSTS_SECONDS="0", SECURE_COOKIES="0"),
                  "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode != 0
    assert "security.W004" in done.stderr and "security.W012" in done.stderr


def test_production_refuses_to_start_without_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    done = manage(env, "check")
    assert done.returncode != 0 and "SECRET_KEY" in done.stderr


def test_collectstatic_builds_the_whitenoise_manifest(tmp_path):
    env = production_env(tmp_path)
    done = manage(env, "collectstatic", "--noinput", "-v", "0")
    assert done.returncode == 0, done.stderr
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "wagtailadmin/css/core.css" in manifest
    assert list((tmp_path / "static" / "wagtailadmin" / "css").glob("core.*.css.gz"))


def test_gunicorn_config_loads_with_safe_defaults(monkeypatch):
    monkeypatch.delenv("GUNICORN_BIND", raising=False)
    config = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    assert config["bind"] == "127.0.0.1:8000" and config["worker_class"] == "gthread"
    assert config["workers"] >= 3 and config["pythonpath"].endswith("site")
    assert config["control_socket_disable"] is True  # no shared per-user socket between instances
