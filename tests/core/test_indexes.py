from django.db import connection

from zhaoshang.core.models import ObjectChange
from zhaoshang.enterprises.models import Enterprise


def _indexed_columns(table: str) -> list[list[str]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return [
        info["columns"]
        for info in constraints.values()
        if (info["index"] or info["unique"]) and not info["primary_key"] and not info["foreign_key"]
    ]


def test_unqueried_indexes_are_gone_and_the_covering_ones_stay(db):
    """Migrations drop the indexes nothing looks up by (each costs every insert of an import)."""
    indexed = _indexed_columns(Enterprise._meta.db_table)
    for column in ("created_by_id", "updated_by_id", "deleted_by_id"):
        assert [column] not in indexed
    # Kept: counting a county's or a unit's records reads the narrow single-column index (the list page's count
    # at 1,000,000 took twice as long without it, and a search's scope check seven times).
    assert ["region_id"] in indexed and ["org_unit_id"] in indexed
    assert ["region_id", "normalized_name"] in indexed and ["org_unit_id", "updated_at"] in indexed
    for column in ("name", "normalized_name", "credit_code"):
        assert indexed.count([column]) == 1  # the plain index, without a second (pattern-ops) one
    changes = _indexed_columns(ObjectChange._meta.db_table)
    assert ["content_type_id"] not in changes and ["content_type_id", "object_id"] in changes
    assert changes.count(["hash"]) == 1 and changes.count(["request_id"]) == 1


def test_the_index_migrations_reverse_and_apply_again(transactional_db):
    """Both directions of the hand-written index migrations run (they are not Django's own operations)."""
    from django.core.management import call_command

    call_command("migrate", "enterprises", "0005", verbosity=0)
    indexed = _indexed_columns(Enterprise._meta.db_table)
    assert ["created_by_id"] in indexed and indexed.count(["name"]) == (2 if connection.vendor == "postgresql" else 1)
    call_command("migrate", "enterprises", verbosity=0)
    indexed = _indexed_columns(Enterprise._meta.db_table)
    assert ["created_by_id"] not in indexed and indexed.count(["name"]) == 1
