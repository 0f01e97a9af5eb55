"""Writes: the one owner of the ``testapp_dossier`` table. Each service is atomic, checks scope and
writes one change-log row (``core.services.object_*`` do all three for a plain record)."""

from zhaoshang.core import services

from .models import Dossier


def dossier_create(*, actor, data: dict) -> Dossier:
    return services.object_create(model=Dossier, actor=actor, data=data)


def dossier_update(*, actor, dossier: Dossier, data: dict, version: int) -> Dossier:
    return services.object_update(obj=dossier, actor=actor, data=data, version=version)


def dossier_delete(*, actor, dossier: Dossier, version: int | None = None) -> None:
    services.object_delete(obj=dossier, actor=actor, version=version)


def dossier_restore(*, actor, pk: int) -> Dossier:
    return services.object_restore(model=Dossier, actor=actor, pk=pk)
