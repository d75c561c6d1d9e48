"""Content types of models that moved to another app keep their ids (and so their permissions and log entries):
the migrations relabel them instead of letting Django create new ones (issue 9)."""

from __future__ import annotations

from collections.abc import Callable

Moved = dict[tuple[str, str], str]  # (old app label, model name) -> new app label


def _relabel(apps, pairs: list[tuple[str, str, str]]) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for source, model, target in pairs:
        if not ContentType.objects.filter(app_label=target, model=model).exists():
            ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def relabel_content_types(moved: Moved) -> tuple[Callable, Callable]:
    """Return the forward and backward functions of a RunPython that relabels the moved models' content types."""

    def forward(apps, schema_editor):
        _relabel(apps, [(old, model, new) for (old, model), new in moved.items()])

    def backward(apps, schema_editor):
        _relabel(apps, [(new, model, old) for (old, model), new in moved.items()])

    return forward, backward
