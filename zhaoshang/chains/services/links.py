"""Links of enterprises, leads and projects to chain nodes: automatic (the classifier), confirmed, rejected or
added by an officer. A rejected link stays as ``rejected`` so that re-linking never brings it back; automatic
links that no longer fit are removed. Every change is in the change log (bulk rows for the automatic ones)."""

from django.db import transaction
from django.utils import timezone

from zhaoshang.core.audit import log_change, log_changes_bulk, snapshot
from zhaoshang.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhaoshang.core.models import ObjectChange
from zhaoshang.core.roles import Cap
from zhaoshang.enterprises import selectors as enterprises
from zhaoshang.leads import selectors as leads
from zhaoshang.projects import selectors as projects

from ..classify import Index, classify, index_for
from ..models import ChainNode, LinkProgress, NodeLink

Subject = NodeLink.Subject
TEXTS = {
    Subject.ENTERPRISE: enterprises.enterprise_texts,
    Subject.LEAD: leads.lead_texts,
    Subject.PROJECT: projects.project_texts,
}


def _wanted(region_id: int, rows: list[tuple], index: Index) -> dict[tuple[int, int], dict]:
    """(subject id, node id) → the classifier's hit, for ``rows``: pure computation, no database."""
    wanted: dict[tuple[int, int], dict] = {}
    for pk, name, text, code in rows:
        for hit in classify(region_id=region_id, name=name, business_scope=text, industry=code, index=index):
            wanted[(pk, hit["node_id"])] = hit
    return wanted


def link_rows(*, region_id: int, subject: str, rows: list[tuple], index: Index | None = None) -> dict[str, int]:
    """Classify ``rows`` ((id, name, text, industry code), as the owning app's ``*_texts`` read gives them) and make
    their automatic links match: new ones created, changed ones updated, those that no longer fit removed; confirmed
    and rejected links are never touched. Returns {"created", "updated", "removed"}."""
    wanted = _wanted(region_id, rows, index or index_for(region_id))
    return _write_links(region_id=region_id, subject=subject, rows=rows, wanted=wanted)


def _write_links(*, region_id: int, subject: str, rows: list[tuple], wanted: dict) -> dict[str, int]:
    ids = [row[0] for row in rows]
    existing = {
        (link.subject_id, link.node_id): link for link in NodeLink.objects.filter(subject=subject, subject_id__in=ids)
    }
    new, changed, gone = [], [], []
    for key, hit in wanted.items():
        link = existing.get(key)
        if link is None:
            new.append(
                NodeLink(
                    region_id=region_id,
                    chain_id=hit["chain_id"],
                    node_id=key[1],
                    subject=subject,
                    subject_id=key[0],
                    source=hit["source"],
                    confidence=hit["confidence"],
                    evidence=hit["evidence"],
                )
            )
        elif link.state == NodeLink.State.AUTO and (link.confidence, link.evidence) != (
            hit["confidence"],
            hit["evidence"],
        ):
            link.confidence, link.source, link.evidence = hit["confidence"], hit["source"], hit["evidence"]
            link.updated_at = timezone.now()
            changed.append(link)
    gone = [link for key, link in existing.items() if key not in wanted and link.state == NodeLink.State.AUTO]
    with transaction.atomic():
        NodeLink.objects.bulk_create(new, batch_size=2000)
        NodeLink.objects.bulk_update(changed, ["confidence", "source", "evidence", "updated_at"], batch_size=2000)
        if gone:
            befores = [snapshot(link) for link in gone]
            log_changes_bulk(actor=None, objects=gone, action=ObjectChange.Action.DELETE, befores=befores)
            NodeLink.objects.filter(pk__in=[link.pk for link in gone]).delete()
        log_changes_bulk(actor=None, objects=new, action=ObjectChange.Action.CREATE)
    return {"created": len(new), "updated": len(changed), "removed": len(gone)}


def link_subject(*, subject: str, subject_id: int, region_id: int) -> dict[str, int]:
    """Re-link one enterprise, lead or project (after it was created or changed)."""
    rows = TEXTS[subject](region_id=region_id, ids=[subject_id])
    return link_rows(region_id=region_id, subject=subject, rows=rows)


def link_all(
    *,
    region_id: int,
    subject: str,
    batch: int = 2000,
    restart: bool = False,
    max_batches: int | None = None,
    workers: int = 1,
):
    """Link the whole library, ``batch`` records at a time, resuming after the last id done (LinkProgress).

    ``workers`` > 1: the classifier (the cost: pure CPU, no database) runs in that many worker processes, one batch
    each, while this process reads the next batches and writes the links of the previous ones — the writes stay in
    one process (SQLite has one writer) and in id order, so the progress is resumable exactly as with one process."""
    progress, _ = LinkProgress.objects.get_or_create(region_id=region_id, subject=subject)
    if restart or progress.finished_at is not None:
        progress.last_id, progress.done, progress.finished_at = 0, 0, None
        progress.started_at = timezone.now()
        progress.save()
    index = index_for(region_id)
    texts = TEXTS[subject]
    if workers > 1:
        return _link_all_parallel(region_id, subject, progress, index, texts, batch, max_batches, workers)
    batches = 0
    while max_batches is None or batches < max_batches:
        rows = texts(region_id=region_id, after_id=progress.last_id, limit=batch)
        if not rows:
            progress.finished_at = timezone.now()
            progress.save(update_fields=["finished_at"])
            break
        with transaction.atomic():
            link_rows(region_id=region_id, subject=subject, rows=rows, index=index)
            progress.last_id, progress.done = rows[-1][0], progress.done + len(rows)
            progress.save(update_fields=["last_id", "done"])
        batches += 1
    return progress


_worker_index: Index | None = None


def _start_worker(index: Index) -> None:
    global _worker_index
    _worker_index = index


def _classify_batch(job: tuple[int, list[tuple]]) -> dict:
    region_id, rows = job
    return _wanted(region_id, rows, _worker_index)


def _link_all_parallel(region_id, subject, progress, index, texts, batch, max_batches, workers):
    """Rounds of ``workers`` batches: round r+1 is classified by the pool while round r is written here."""
    import multiprocessing  # deferred: only the parallel batch job forks workers

    # Forked workers inherit the parent's database connection but never use it, and leave by os._exit (no close).
    context = multiprocessing.get_context("fork")
    read_after, planned, written = progress.last_id, 0, 0
    with context.Pool(workers, initializer=_start_worker, initargs=(index,)) as pool:
        previous = None
        while True:
            round_ = []
            while len(round_) < workers and (max_batches is None or planned < max_batches):
                rows = texts(region_id=region_id, after_id=read_after, limit=batch)
                if not rows:
                    break
                round_.append(rows)
                read_after, planned = rows[-1][0], planned + 1
            pending = pool.map_async(_classify_batch, [(region_id, rows) for rows in round_]) if round_ else None
            if previous is not None:
                for rows, wanted in zip(previous[0], previous[1].get(), strict=True):
                    with transaction.atomic():
                        _write_links(region_id=region_id, subject=subject, rows=rows, wanted=wanted)
                        progress.last_id, progress.done = rows[-1][0], progress.done + len(rows)
                        progress.save(update_fields=["last_id", "done"])
                    written += 1
            if pending is None:
                break
            previous = (round_, pending)
    if (max_batches is None or written < max_batches) and not texts(
        region_id=region_id, after_id=progress.last_id, limit=1
    ):
        progress.finished_at = timezone.now()
        progress.save(update_fields=["finished_at"])
    return progress


def _check_subject(actor, subject: str, subject_id: int) -> None:
    """The subject must be in the actor's scope (404 otherwise) and the actor an officer who may change."""
    if not actor.has_capability(Cap.BUSINESS_CHANGE):
        raise PermissionDenied()
    if subject == Subject.ENTERPRISE:
        if enterprises.visible_enterprise(user=actor, pk=subject_id) is None:
            raise NotFound()
    elif subject == Subject.LEAD:
        leads.lead_get(user=actor, pk=subject_id)
    else:
        projects.project_get(user=actor, pk=subject_id)


def _decide(actor, link_id: int, state: str) -> NodeLink:
    with transaction.atomic():
        link = NodeLink.objects.select_for_update().filter(pk=link_id, region_id=actor.org_unit.region_id).first()
        if link is None:
            raise NotFound()
        _check_subject(actor, link.subject, link.subject_id)
        before = snapshot(link)
        link.state, link.decided_by = state, actor
        link.save(update_fields=["state", "decided_by", "updated_at"])
        log_change(actor=actor, obj=link, action=ObjectChange.Action.UPDATE, before=before, after=snapshot(link))
    return link


def link_confirm(*, actor, link: NodeLink) -> NodeLink:
    return _decide(actor, link.pk, NodeLink.State.CONFIRMED)


def link_reject(*, actor, link: NodeLink) -> NodeLink:
    """The subject is not on this node: the link stays as rejected, so automatic linking never adds it again."""
    return _decide(actor, link.pk, NodeLink.State.REJECTED)


def link_add(*, actor, node: ChainNode, subject: str, subject_id: int) -> NodeLink:
    """An officer puts a subject on a node by hand (confirmed; a former rejection is overturned)."""
    if node.chain.region_id != actor.org_unit.region_id:
        raise NotFound()
    if subject not in Subject.values:
        raise ValidationFailed(fields={"subject": ["对象类型有误"]})
    _check_subject(actor, subject, subject_id)
    with transaction.atomic():
        link = NodeLink.objects.select_for_update().filter(node=node, subject=subject, subject_id=subject_id).first()
        before = snapshot(link) if link else None
        link = link or NodeLink(
            region_id=node.chain.region_id, chain_id=node.chain_id, node=node, subject=subject, subject_id=subject_id
        )
        link.source, link.confidence, link.state, link.decided_by = (
            NodeLink.Source.MANUAL,
            1.0,
            NodeLink.State.CONFIRMED,
            actor,
        )
        link.evidence = link.evidence or "人工关联"
        link.save()
        action = ObjectChange.Action.UPDATE if before else ObjectChange.Action.CREATE
        log_change(actor=actor, obj=link, action=action, before=before, after=snapshot(link))
    return link
