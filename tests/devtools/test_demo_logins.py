"""`make run` ends with the address and the six demo logins (devtools' demo_logins, printed once the server
answers), while the server's and the background worker's output go to var/log/."""

import io
import socket
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client

from devtools.demo_pilots import seed_demo_pilots

ORDER = ["worker", "verifier", "bureau", "admin", "province", "expert"]


def printed(**options) -> list[str]:
    out = io.StringIO()
    call_command("demo_logins", stdout=out, **options)
    return out.getvalue().splitlines()


def test_last_lines_are_the_address_and_six_logins_that_work(assess):
    seed_demo_pilots(assess)
    lines = printed(host="0.0.0.0:8080")
    address, logins = lines[-7], lines[-6:]
    assert "http://127.0.0.1:8080/" in address and "已启动" in address
    assert [line.split()[0] for line in logins] == ORDER
    for line in logins:
        username, password = line.split()[:2]
        assert Client().login(username=username, password=password), username
    assert "var/log/runserver.log" in "\n".join(lines[:-7]) and "/c/379902001001/" in "\n".join(lines[:-7])


@pytest.mark.parametrize("host, url", [("127.0.0.1:8000", "http://127.0.0.1:8000/"), ("8080", "http://127.0.0.1:8080/"),
                                       ("[::1]:8001", "http://[::1]:8001/")])
def test_address_follows_host(host, url):
    assert url in printed(host=host)[-7]


def test_bad_host_is_refused_in_chinese():
    with pytest.raises(CommandError, match="无法识别的地址"):
        printed(host="localhost:http")


def test_waits_for_the_server():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        assert f":{port}/" in printed(host=f"127.0.0.1:{port}", wait=5)[-7]
    with pytest.raises(CommandError, match="没有响应.*var/log/runserver.log"):
        printed(host=f"127.0.0.1:{port}", wait=0.5)  # closed again: nothing answers


def test_make_run_sends_server_and_worker_output_to_var_log():
    """The recipe as make would run it (make -n prints it without running anything)."""
    recipe = subprocess.run(["make", "-n", "run", "HOST=0.0.0.0:8080"], cwd=Path(settings.BASE_DIR),
                            capture_output=True, text=True, check=True).stdout
    serving = recipe[recipe.index("db_worker"):]
    assert "db_worker --no-reload >>var/log/db_worker.log 2>&1 &" in serving
    assert "runserver 0.0.0.0:8080 >>var/log/runserver.log 2>&1" in serving
    assert "demo_logins --host 0.0.0.0:8080 --wait" in serving
    assert serving.index("demo_logins") < serving.index("runserver")  # started first, prints once it answers
    assert "mkdir -p var/log" in recipe
