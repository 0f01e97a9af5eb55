from django.db.models import Count

from zhaoshang.core.models import Industry


def test_industry_classification_is_loaded_by_migration(db):
    counts = dict(Industry.objects.values_list("level").annotate(n=Count("id")))
    assert counts[Industry.Level.SECTION] == 20
    assert counts[Industry.Level.DIVISION] == 97
    # 1,380 classes in the file plus 3741 飞机制造, which the file lists as a second row of group 374.
    assert counts[Industry.Level.CLASS] == 1381


def test_industry_tree_links_parents(db):
    aircraft = Industry.objects.get(code="3741")
    assert aircraft.name == "飞机制造"
    assert aircraft.parent.code == "374"
    assert aircraft.parent.name == "航空、航天器及设备制造"
    assert aircraft.parent.parent.code == "37"
    assert aircraft.parent.parent.parent.code == "C"
    # a class whose group is not a row of its own hangs on the division
    assert Industry.objects.get(code="0190").parent.code == "01"


def test_every_class_has_a_parent(db):
    assert not Industry.objects.filter(level__gt=1, parent__isnull=True).exists()
