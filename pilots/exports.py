"""Stub: the other agent writes the pilots history export (and replaces this file)."""


def history_response(request):
    raise NotImplementedError
