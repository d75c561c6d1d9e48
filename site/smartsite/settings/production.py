"""Production: everything comes from base.py and the environment; this only insists on the essentials."""

from .base import *  # noqa: F403

DEBUG = False
