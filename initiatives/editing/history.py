"""Keep each history version's snapshot whole: the listing's columns and its needs, places and times.

django-simple-history writes a version when an organisation or service is saved, before the
admin (or load_demo, or an approval) has set its many-to-many fields and rows such as opening
times. So each version's snapshot is written when it is created and brought up to date when
those related values change afterwards: the latest version always describes the listing as it is.
"""

import contextlib
from contextvars import ContextVar

from django.db.models.signals import m2m_changed, post_delete, post_save
from simple_history.signals import pre_create_historical_record

from .snapshots import SPECS, snapshot_of

_paused: ContextVar[bool] = ContextVar("history_refresh_paused", default=False)


@contextlib.contextmanager
def refresh_paused():
    """Skip the per-row refreshes while a caller rewrites many related rows and refreshes once."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def history_refresh(listing) -> None:
    """Rewrite the latest version's snapshot from the listing as it now is."""
    latest = listing.history.order_by("-history_id").values_list("history_id", flat=True).first()
    if latest is not None:
        listing.history.filter(history_id=latest).update(snapshot=snapshot_of(listing))


def _on_version_created(sender, instance, history_instance, **kwargs):
    history_instance.snapshot = snapshot_of(instance)


def _refresh_by_pk(model, pks) -> None:
    if _paused.get():
        return
    for listing in model._default_manager.filter(pk__in=pks):
        history_refresh(listing)


def _on_m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse:  # e.g. need.services.add(service): the listings are the ones named in pk_set
        _refresh_by_pk(model, pk_set or [])
    else:
        _refresh_by_pk(type(instance), [instance.pk])


def _child_handler(parent_model, parent_attname: str):
    def on_child_changed(sender, instance, **kwargs):
        _refresh_by_pk(parent_model, [getattr(instance, parent_attname)])

    return on_child_changed


def connect_signals() -> None:
    for model, spec in SPECS.items():
        pre_create_historical_record.connect(
            _on_version_created, sender=model.history.model, dispatch_uid=f"snapshot-{model.__name__}"
        )
        for name in spec.fields:
            model_field = spec.model_field(name)
            if model_field.many_to_many:
                m2m_changed.connect(
                    _on_m2m_changed, sender=model_field.remote_field.through, dispatch_uid=f"m2m-{name}"
                )
        for child in (child for child in spec.children if child.name not in spec.added_on_approval):
            handler = _child_handler(model, child.model_field(child.parent_field).attname)
            uid = f"child-{child.model.__name__}"
            post_save.connect(handler, sender=child.model, weak=False, dispatch_uid=f"{uid}-save")
            post_delete.connect(handler, sender=child.model, weak=False, dispatch_uid=f"{uid}-delete")
