"""Which programme's form a .docx is: from the shenbao template marker, the
form title on the first page, or the labels only one programme's form has."""

from __future__ import annotations

from typing import Any

from corpus.loader import Corpus
from ingestion.drafts.docx_blocks import Block, Para, iter_paras, iter_tables
from ingestion.drafts.fields import form_doc, spec_index
from ingestion.drafts.labels import core, heading_key, norm

MARKER_PREFIX = "shenbao:"
MIN_LABEL_SHARE = 0.5
MIN_MARGIN = 0.2


def form_title(pid: str, corpus: Corpus) -> str:
    """The title printed on a programme's form (the official one, or the template's)."""
    spec = corpus.programmes[pid]
    doc = form_doc(spec, corpus)
    if doc is not None:
        return doc.meta.title
    return spec.title if spec.title.endswith("申报书") else f"{spec.title}申报书"


def marker_programme(document: Any) -> str | None:
    """The programme id a shenbao template records in its core properties."""
    try:
        kw = document.core_properties.keywords or ""
    except Exception:
        return None
    for part in kw.split():
        if part.startswith(MARKER_PREFIX):
            return part[len(MARKER_PREFIX) :]
    return None


def detect_from_blocks(blocks: list[Block], corpus: Corpus, marker: str | None = None) -> str | None:
    """The programme whose form these blocks are, or None when unsure."""
    if marker and marker in corpus.programmes:
        return marker
    head = [norm(b.text) for b in blocks[:40] if isinstance(b, Para) and b.text.strip()]
    head_text = "".join(head)
    titled: list[tuple[int, str]] = []
    for pid in corpus.programmes:
        t = norm(form_title(pid, corpus))
        if t and (t in head or t in head_text):
            titled.append((len(t), pid))
    if titled:
        titled.sort(reverse=True)
        if len(titled) == 1 or titled[0][0] > titled[1][0]:
            return titled[0][1]
    return _by_labels(blocks, corpus)


def _by_labels(blocks: list[Block], corpus: Corpus) -> str | None:
    texts: set[str] = set()
    for p in iter_paras(blocks):
        t = p.text.strip()
        if t and len(t) <= 80:
            texts.add(core(t))
            texts.add(heading_key(t))
    for tbl in iter_tables(blocks):
        for row in tbl.rows:
            for c in row:
                if not c.continued and c.text:
                    texts.add(core(c.text))
    labels: dict[str, set[str]] = {}
    for pid, spec in corpus.programmes.items():
        idx = spec_index(spec, corpus)
        keys = {core(lab.split("／")[0]) for f in idx.fields for lab in f.labels}
        keys |= set(idx.sections) | set(idx.tables)
        labels[pid] = {k for k in keys if len(k) >= 2}
    scores: list[tuple[float, str]] = []
    for pid, ks in labels.items():
        own = [k for k in ks if sum(k in other for other in labels.values()) == 1]
        if len(own) < 3:
            continue
        found = sum(1 for k in own if k in texts)
        scores.append((found / len(own), pid))
    scores.sort(reverse=True)
    if not scores or scores[0][0] < MIN_LABEL_SHARE:
        return None
    if len(scores) > 1 and scores[0][0] - scores[1][0] < MIN_MARGIN:
        return None
    return scores[0][1]
