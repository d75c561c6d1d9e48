"""Evidence files are private: only the community's workers and verifiers get them, through the checking view;
everyone else gets a 404 whatever URL they try, and MEDIA_URL serves nothing."""

import pytest
from django.contrib.auth import get_user_model

from checklists.evidence import evidence_add, evidence_remove
from checklists.services import answer_save
from communities.models import CommunityPage
from tests.checklists.photo_factory import make_jpeg
from tests.site.private_file_checks import assert_private_file

User = get_user_model()


@pytest.fixture
def photo(round_, community, demo):
    worker = User.objects.get(username="worker")
    result = answer_save(round_=round_, community=community, item_number=8, user=worker, values={}).result
    return evidence_add(result=result, user=worker, data=make_jpeg(640, 480), filename="lamp.jpg")


@pytest.fixture
def sensitive_photo(round_, community, demo):
    worker = User.objects.get(username="worker")
    result = answer_save(round_=round_, community=community, item_number=24, user=worker, values={}).result
    return evidence_add(result=result, user=worker, data=make_jpeg(320, 240, pattern_seed=24), filename="p.jpg")


def link(evidence, variant="thumb", code=None):
    return f"/c/{code or evidence.result.community.code}/evidence/{evidence.pk}/{variant}/"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("username", ["worker", "verifier", "admin"])
def test_the_communitys_people_get_every_rendition(client, photo, username):
    client.force_login(User.objects.get(username=username))
    for variant, field in (("thumb", photo.thumbnail), ("display", photo.display), ("original", photo.original)):
        response = client.get(link(photo, variant))
        assert response.status_code == 200
        field.open("rb")
        assert body(response) == field.read()
        original = variant == "original"
        # A photo's files never change: the phone may keep them, but only privately.
        assert_private_file(response, download=original, filename="lamp.jpg" if original else None,
                            cache="private, max-age=604800, immutable")
    assert response["Content-Type"] == "image/jpeg"


def test_outsiders_get_404_for_every_rendition(client, photo, make_user, other_unit_community, demo):
    stranger = make_user("stranger", "worker", other_unit_community)
    outsider_verifier = make_user("far", "verifier", other_unit_community.unit)
    for user in (None, stranger, outsider_verifier, User.objects.get(username="bureau")):
        client.logout()
        if user:
            client.force_login(user)
        for variant in ("thumb", "display", "original"):
            assert client.get(link(photo, variant)).status_code == 404


def test_guessed_urls_are_404(client, photo, demo):
    client.force_login(User.objects.get(username="worker"))
    neighbour = CommunityPage.objects.get(code="379902001002")  # also this worker's, but not the photo's
    assert client.get(link(photo, code=neighbour.code)).status_code == 404
    assert client.get(link(photo, "exif")).status_code == 404
    assert client.get(f"/c/{photo.result.community.code}/evidence/{photo.pk + 999}/thumb/").status_code == 404
    assert client.get(f"/c/{photo.result.community.code}/evidence/x/thumb/").status_code == 404


def test_media_url_never_serves_evidence(client, photo, demo):
    client.force_login(User.objects.get(username="worker"))
    for file in (photo.original, photo.display, photo.thumbnail):
        assert client.get(f"/media/{file.name}").status_code == 404
        assert client.get(f"/static/../media/{file.name}").status_code == 404


def test_removed_photos_are_gone(client, photo, demo):
    worker = User.objects.get(username="worker")
    client.force_login(worker)
    evidence_remove(evidence=photo, user=worker)
    assert client.get(link(photo)).status_code == 404


def test_sensitive_item_evidence_only_for_its_workers_and_verifiers(client, sensitive_photo, demo):
    for username, status in (("worker", 200), ("verifier", 200), ("admin", 404), ("bureau", 404)):
        client.force_login(User.objects.get(username=username))
        assert client.get(link(sensitive_photo)).status_code == status, username


def test_admin_checklist_hides_sensitive_thumbnails(client, sensitive_photo, demo):
    client.force_login(User.objects.get(username="admin"))
    page = client.get(f"/c/{sensitive_photo.result.community.code}/items/24/").content.decode()
    assert "敏感佐证" in page and f"evidence/{sensitive_photo.pk}/" not in page


def test_x_accel_redirect_hands_the_file_to_nginx(client, photo, settings):
    settings.EVIDENCE_SERVE = "x-accel"
    settings.EVIDENCE_ACCEL_PREFIX = "/protected-media/"
    client.force_login(User.objects.get(username="worker"))
    response = client.get(link(photo, "display"))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected-media/{photo.display.name}"
    assert response["Content-Type"] == "image/jpeg"
    assert_private_file(response, download=False, cache="private, max-age=604800, immutable")


def test_x_sendfile_names_the_local_path(client, photo, settings):
    settings.EVIDENCE_SERVE = "x-sendfile"
    client.force_login(User.objects.get(username="worker"))
    response = client.get(link(photo, "original"))
    assert response["X-Sendfile"] == photo.original.path and response.content == b""


def test_outsiders_open_nothing_whatever_url_they_guess(client, photo, sensitive_photo, make_user,
                                                        other_unit_community):
    """Anonymous users and another community's worker: no form, no item page, no file, by any address."""
    code = photo.result.community.code
    files = [f for e in (photo, sensitive_photo) for f in (e.original, e.display, e.thumbnail)]
    secrets = []
    for file in files:
        file.open("rb")
        secrets.append(file.read())
    paths = [f"/c/{code}/", f"/c/{code}/items/8/", f"/c/{code}/items/24/", f"/c/{code}/qr-sheet/",
             f"/c/{code}/evidence/{photo.pk}/", "/media/", "/media/evidence/", f"/media/evidence/2026/{code}/"]
    paths += [link(e, variant) for e in (photo, sensitive_photo) for variant in ("thumb", "display", "original")]
    paths += [f"/c/{other_unit_community.code}/evidence/{photo.pk}/thumb/"]
    for file in files:
        paths += [f"/media/{file.name}", f"/{file.name}", f"/c/{code}/{file.name}", f"/static/{file.name}"]
    stranger = make_user("stranger", "worker", other_unit_community)
    for user in (None, stranger):
        client.logout()
        if user:
            client.force_login(user)
        for path in paths:
            response = client.get(path)
            assert response.status_code in (302, 403, 404), (user, path, response.status_code)
            if response.status_code == 302:
                assert response["Location"].startswith("/login/?next="), path
            content = body(response)
            assert b'name="v.' not in content and not any(secret in content for secret in secrets), path
