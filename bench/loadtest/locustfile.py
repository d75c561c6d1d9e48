"""Community workers on their phones: save items (JSON, with request ids), upload photos, open the checklist.

Run by bench/loadtest/run.py: `locust -f bench/loadtest/locustfile.py --headless -u 50 …` against 127.0.0.1 only.
Every acknowledged save and upload is written to LOADTEST_ACKS when locust stops, for verify.py to check
against the database. A few requests are deliberately sent twice with the same id and the same bytes, as a phone
does when the answer to its first try is lost: the second must be a replay, not a second change. A few others are
sent again under the same id with *changed* content (another photo, other values), which the server must refuse
with 409 and leave the first one standing: those 409s are the expected answer, counted as successes.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import secrets
import uuid
from pathlib import Path
from urllib.parse import urlsplit

from locust import HttpUser, between, events, task

PLAN = json.loads(Path(os.environ["LOADTEST_PLAN"]).read_text(encoding="utf-8"))
PHOTOS = [Path(p).read_bytes() for p in PLAN["photos"]]
RESEND_SHARE = 0.05  # sent again unchanged, like a phone whose first answer was lost
CHANGED_SHARE = 0.03  # sent again changed under the same id: must be refused (409)
ACKS: list[dict] = []
_next_worker = itertools.count()


@events.test_start.add_listener
def _only_loopback(environment, **kwargs):
    host = urlsplit(environment.host or "").hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"load test refuses non-loopback host {host!r}")


@events.quitting.add_listener
def _write_acks(environment, **kwargs):
    Path(os.environ["LOADTEST_ACKS"]).write_text(json.dumps(ACKS), encoding="utf-8")


class Worker(HttpUser):
    wait_time = between(0.5, 2.0)  # reading, typing, walking to the next facility

    def on_start(self):
        self.plan = PLAN["workers"][next(_next_worker) % len(PLAN["workers"])]
        self.code = self.plan["community"]
        self.revisions = {item["number"]: item["revision"] for item in self.plan["items"]}
        self.answers = {item["number"]: item["answers"] for item in self.plan["items"]}
        token = secrets.token_hex(16)
        self.client.cookies.set("sessionid", self.plan["session"])
        self.client.cookies.set("csrftoken", token)
        self.headers = {"X-CSRFToken": token, "Accept": "application/json"}

    @task(8)
    def save(self):
        number = random.choice(list(self.revisions))
        payload = {"request_id": str(uuid.uuid4()), "base_revision": self.revisions[number], "round": PLAN["round"],
                   "values": random.choice(self.answers[number]), "note": f"负载测试 {random.randrange(10**6)}"}
        url = f"/c/{self.code}/items/{number}/save/"
        body = self._post_json(url, payload, "save")
        if body is None:
            return
        revision = body["item"]["revision"]
        self.revisions[number] = revision
        ACKS.append({"type": "save", "request_id": payload["request_id"], "community": self.code, "item": number,
                     "revision": revision, "values": payload["values"], "replayed": body["replayed"]})
        if random.random() < RESEND_SHARE:
            again = self._post_json(url, payload, "save (resent)")
            if again is not None:
                ACKS.append({"type": "resend", "request_id": payload["request_id"], "community": self.code,
                             "item": number, "revision": again["item"]["revision"], "replayed": again["replayed"]})
        elif random.random() < CHANGED_SHARE:
            changed = {**payload, "note": payload["note"] + "（改过）"}
            if self._refused_as_reused(url, "save (changed, same id)", json=changed):
                ACKS.append({"type": "save_conflict", "request_id": payload["request_id"], "community": self.code,
                             "item": number, "revision": revision})

    def _post_json(self, url: str, payload: dict, name: str) -> dict | None:
        with self.client.post(url, json=payload, headers=self.headers, name=name, catch_response=True,
                              timeout=60) as response:
            if response.status_code != 200 or not response.json().get("ok"):
                response.failure(f"{response.status_code}: {response.text[:200]}")
                return None
            return response.json()

    @task(2)
    def upload(self):
        number = random.choice(list(self.revisions))
        client_id = str(uuid.uuid4())
        url = f"/c/{self.code}/items/{number}/photos/"
        data = random.choice(PHOTOS)
        photo = self._upload(url, client_id, data, "upload photo")
        if photo is None:
            return
        ACKS.append({"type": "photo", "client_id": client_id, "community": self.code, "item": number,
                     "evidence": photo["id"]})
        if random.random() < RESEND_SHARE:  # the answer was lost: the phone sends the very same photo again
            again = self._upload(url, client_id, data, "upload photo (resent)")
            if again is not None:
                ACKS.append({"type": "photo_resend", "client_id": client_id, "community": self.code, "item": number,
                             "evidence": again["id"]})
        elif random.random() < CHANGED_SHARE:  # another photo under the same id: refused, the first one stands
            other = next(p for p in PHOTOS if p != data)
            files = {"photo": ("IMG.jpg", other, "image/jpeg")}
            if self._refused_as_reused(url, "upload photo (changed, same id)", data={"client_id": client_id},
                                       files=files):
                ACKS.append({"type": "photo_conflict", "client_id": client_id, "community": self.code,
                             "item": number, "evidence": photo["id"]})

    def _upload(self, url: str, client_id: str, data: bytes, name: str) -> dict | None:
        with self.client.post(url, data={"client_id": client_id}, files={"photo": ("IMG.jpg", data, "image/jpeg")},
                              headers=self.headers, name=name, catch_response=True, timeout=60) as response:
            if response.status_code != 201 or not response.json().get("ok"):
                response.failure(f"{response.status_code}: {response.text[:200]}")
                return None
            return response.json()["photo"]

    def _refused_as_reused(self, url: str, name: str, **body) -> bool:
        """Send changed content under a used id; the one right answer is 409 "reused" (anything else fails)."""
        with self.client.post(url, headers=self.headers, name=name, catch_response=True, timeout=60,
                              **body) as response:
            if response.status_code == 409 and response.json().get("code") == "reused":
                response.success()
                return True
            response.failure(f"expected 409 for changed content under a used id, got {response.status_code}: "
                             f"{response.text[:200]}")
            return False

    @task(1)
    def checklist(self):
        self.client.get(f"/c/{self.code}/", name="GET /c/<code>/", timeout=60)
