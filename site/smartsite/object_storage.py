"""Media on any S3-compatible object store (MinIO, Ceph RGW, cloud object storage), configured from the environment.

Evidence photos are personal data: objects are written with a private ACL, never get a public URL, and are
reached only through the permission-checking evidence view (which streams them, or with EVIDENCE_SERVE=redirect
hands out a signed URL that expires after STORAGE_S3_URL_EXPIRE seconds).
"""

from __future__ import annotations

from collections.abc import Mapping

# Each setting may be given under the project's name or django-storages'/boto's usual environment name.
ALIASES = {
    "bucket_name": ("STORAGE_S3_BUCKET", "AWS_STORAGE_BUCKET_NAME"),
    "endpoint_url": ("STORAGE_S3_ENDPOINT_URL", "AWS_S3_ENDPOINT_URL"),
    "access_key": ("STORAGE_S3_ACCESS_KEY_ID", "AWS_S3_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID"),
    "secret_key": ("STORAGE_S3_SECRET_ACCESS_KEY", "AWS_S3_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY"),
    "region_name": ("STORAGE_S3_REGION", "AWS_S3_REGION_NAME", "AWS_DEFAULT_REGION"),
    "location": ("STORAGE_S3_PREFIX", "AWS_LOCATION"),
}
URL_EXPIRE = 300


def _first(environ: Mapping[str, str], names: tuple[str, ...]) -> str:
    return next((environ[name] for name in names if environ.get(name)), "")


def s3_storage(environ: Mapping[str, str]) -> dict | None:
    """Return the STORAGES["default"] entry for the configured bucket, or None when no bucket is set."""
    options = {key: _first(environ, names) for key, names in ALIASES.items()}
    if not options["bucket_name"]:
        return None
    options = {key: value for key, value in options.items() if value}  # unset: boto's own credential chain
    acl = environ.get("STORAGE_S3_DEFAULT_ACL", "private")
    options.update(
        default_acl=acl or None,  # "" for stores that refuse ACL headers (bucket-owner-enforced buckets)
        querystring_auth=True,
        querystring_expire=int(environ.get("STORAGE_S3_URL_EXPIRE", URL_EXPIRE)),
        file_overwrite=False,
        signature_version="s3v4",
        # Most self-hosted stores (MinIO, Ceph) serve buckets by path, not as subdomains.
        addressing_style=environ.get("STORAGE_S3_ADDRESSING_STYLE", "path"),
        custom_domain=None,  # a custom domain would bypass signing
        object_parameters={"CacheControl": "private, max-age=604800, immutable"},
    )
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
