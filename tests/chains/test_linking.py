"""The batch linking of the library: split over worker processes it writes what one process writes, resumably."""

from zhaoshang.chains import services
from zhaoshang.chains.models import LinkProgress, NodeLink
from zhaoshang.core.models import ObjectChange

from .helpers import enterprise

SCOPES = ["驱动电机制造", "动力电池制造", "锂电池隔膜制造", "餐饮服务", "正极材料、磷酸铁锂", "充电桩运营", "电机控制"]


def links() -> set[tuple]:
    return set(NodeLink.objects.values_list("subject_id", "node_id", "source", "confidence", "evidence", "state"))


def test_workers_write_the_same_links_and_resume_after_the_last_batch(chains, users, county):
    made = [
        enterprise(users["diankou"], f"示例{i}有限公司", scope, kind="local" if i % 2 else "target", link=False)
        for i, scope in enumerate(SCOPES)
    ]
    region = county.root.pk
    services.link_all(region_id=region, subject="enterprise", batch=2)
    one_process = links()
    assert len(one_process) >= 5

    NodeLink.objects.all().delete()
    before = ObjectChange.objects.filter(action="create", content_type__model="nodelink").count()
    progress = services.link_all(
        region_id=region, subject="enterprise", batch=2, workers=2, max_batches=1, restart=True
    )
    assert (progress.done, progress.finished_at) == (2, None)  # stopped after one batch: resumable
    progress = services.link_all(region_id=region, subject="enterprise", batch=2, workers=2)
    assert progress.done == len(SCOPES) and progress.finished_at is not None
    assert LinkProgress.objects.get(region_id=region, subject="enterprise").last_id == made[-1].pk
    assert links() == one_process
    created = ObjectChange.objects.filter(action="create", content_type__model="nodelink").count() - before
    assert created == len(one_process)  # one change-log row per link written
