"""Production settings: `check --deploy` is clean with the production environment, static files collect for
WhiteNoise's manifest storage, and gunicorn's config file loads. Unsafe settings refuse to start (issue 11)."""

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


def documented_env(tmp_path: Path) -> dict[str, str]:
    """Exactly the variables README's "Production" and "Security" sections tell operators to set."""
    env = production_env(tmp_path, CSRF_TRUSTED_ORIGINS="https://zhsq.example.cn", TRUSTED_PROXY_COUNT="1",
                         SITE_URL="https://zhsq.example.cn")
    del env["SECURE_HSTS_SECONDS"]  # one year by default
    return env


def test_check_deploy_is_clean_with_the_documented_environment(tmp_path):
    done = manage(documented_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr


def test_debug_on_with_production_settings_refuses_to_start(tmp_path):
    # The finding: DEBUG=1 without SECRET_KEY used to start with the public development key and plain cookies.
    env = production_env(tmp_path, DEBUG="1")
    del env["SECRET_KEY"]
    done = manage(env, "check")
    assert done.returncode != 0 and "ImproperlyConfigured" in done.stderr
    assert "DEBUG must be off in production" in done.stderr and "生产环境不得开启 DEBUG" in done.stderr
    assert manage(production_env(tmp_path, DEBUG="true"), "check").returncode != 0


def test_production_refuses_the_development_key(tmp_path):
    from smartsite.settings.base import DEV_SECRET_KEY

    done = manage(production_env(tmp_path, SECRET_KEY=DEV_SECRET_KEY), "check")
    assert done.returncode != 0 and "not the development key" in done.stderr and "不得使用开发密钥" in done.stderr


SHOW = (
    "from django.conf import settings; from django.test import Client; "
    "r = Client().get('/login/', secure=True, HTTP_HOST='zhsq.example.cn'); "
    "print(settings.SECURE_HSTS_SECONDS, settings.ADMIN_REQUIRE_2FA, settings.SESSION_COOKIE_SECURE); "
    "print(r.status_code); print(r['Strict-Transport-Security']); print(r['Content-Security-Policy'])"
)


def test_production_defaults_hsts_2fa_and_csp(tmp_path):
    done = manage(documented_env(tmp_path), "shell", "-c", SHOW)
    assert done.returncode == 0, done.stderr
    values, status, hsts, csp = done.stdout.splitlines()[-4:]
    assert values == "31536000 True True" and status == "200"
    assert hsts == "max-age=31536000; includeSubDomains; preload"
    policy = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'"
    assert policy["script-src"].startswith("'self' 'nonce-") and "unsafe" not in policy["script-src"]
    assert policy["style-src"].startswith("'self' 'nonce-") and "unsafe" not in policy["style-src"]


def test_hsts_can_be_turned_off_explicitly(tmp_path):
    env = {**documented_env(tmp_path), "SECURE_HSTS_SECONDS": "0", "ADMIN_REQUIRE_2FA": "0"}
    done = manage(env, "shell", "-c", SHOW.replace("print(r['Strict-Transport-Security']); ", ""))
    assert done.stdout.splitlines()[-3] == "0 False True", done.stderr


def test_redirected_evidence_may_load_from_the_object_store(tmp_path):
    env = {**documented_env(tmp_path), "EVIDENCE_SERVE": "redirect", "STORAGE_S3_BUCKET": "evidence",
           "STORAGE_S3_ENDPOINT_URL": "https://oss.example.gov.cn:9000/", "CSP_IMG_SRC": "https://cdn.example.gov.cn"}
    done = manage(env, "shell", "-c", SHOW)
    directives = dict(d.strip().split(" ", 1) for d in done.stdout.splitlines()[-1].split(";") if d.strip())
    assert directives["img-src"] == "'self' data: blob: https://cdn.example.gov.cn https://oss.example.gov.cn:9000", (
        done.stderr)


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
