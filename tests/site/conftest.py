"""A local S3 endpoint (moto in server mode) on a free loopback port, and a private bucket per test."""

import logging
import socket
import uuid

import boto3
import pytest

from smartsite.object_storage import s3_storage

KEYS = {"STORAGE_S3_ACCESS_KEY_ID": "test-key", "STORAGE_S3_SECRET_ACCESS_KEY": "test-secret",
        "STORAGE_S3_REGION": "us-east-1"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    """Start moto's S3 server on 127.0.0.1 for the session; return its URL."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per S3 request otherwise
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_bucket(s3_endpoint, settings):
    """Create an empty bucket and make it the default storage, configured as base.py configures it."""
    name = f"zhsq-evidence-{uuid.uuid4().hex[:10]}"
    environ = {**KEYS, "STORAGE_S3_BUCKET": name, "STORAGE_S3_ENDPOINT_URL": s3_endpoint}
    client = boto3.client("s3", endpoint_url=s3_endpoint, aws_access_key_id=KEYS["STORAGE_S3_ACCESS_KEY_ID"],
                          aws_secret_access_key=KEYS["STORAGE_S3_SECRET_ACCESS_KEY"], region_name="us-east-1")
    client.create_bucket(Bucket=name)
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage(environ)}
    return client, name
