"""The demo's operating procedures: urgent escalation, breaks, the QA process."""

from __future__ import annotations

from sqlalchemy.orm import Session

from labelops import guidelines
from labelops.auth import Actor, Role

URGENT = """\
When an item shows an **imminent risk to someone's life or safety**, it does not wait for the
normal queue. This covers severity tier S4: sexual exploitation of minors, an active suicide
plan, a credible threat of imminent violence, trafficking.

1. **Flag it urgent** on the labeling screen, with the reason that fits, then label it as usual.
   Do not copy, screenshot or forward the content anywhere.
2. Add one sentence on *why* (e.g. "names a school and a time"). Facts only; no opinions.
3. The reviewer on duty sees urgent items first and decides within the hour whether the legally
   mandated path applies (e.g. a report to NCMEC or to law enforcement). Labelers never report
   directly.
4. After a distressing item, take a break (see *Breaks*): it never counts against you.

Reviewers: decide urgent escalations before anything else and record what was done. PMs: check
the escalations page daily and make sure a reviewer is on duty for every shift.
"""

BREAKS = """\
Looking at harmful content wears people down, and more exposure means more harm. Breaks are
part of the work, not time taken from it.

- Take a **break of at least 10 minutes every two hours** of labeling, away from the screen.
- Take a **micro-break of 2–5 minutes** between batches, and right after any item that shook you.
- The queue enforces your exposure budget: when it pauses you, stop; it is not a penalty.
- You may **opt out** of a category (e.g. self-harm) at any time: tell your vendor lead.
- Breaks and opt-outs never count against your productivity or quality figures.

Vendor leads: rotate labelers between severe and low-impact projects, never set per-item second
targets on high-severity work, and make counselling easy to reach.
"""

QA = """\
Quality is measured, not guessed.

- **Gold items** (15 % of a labeler's items on most projects) have a known answer; a labeler
  whose gold accuracy falls below the project's threshold is paused and retrained.
- **Audits**: a reviewer checks a random, stratified sample of each delivered lot, sized for the
  quality target (about 450 items for ±2 points at 95 % confidence). The lot is accepted when the
  audited accuracy reaches the target.
- **Disputes**: a labeler may contest a gold verdict or a correction; a reviewer decides within
  two working days and the answer is kept.
- **Calibration**: when guidelines change, the PM may require the qualification quiz again and
  send items labeled under a changed definition back to reviewers.

Vendor leads see their own labelers' figures only; individual quality figures are never tied to
pay without a second look at the disputes.
"""

SOPS: tuple[tuple[str, str, tuple[Role, ...], str], ...] = (
    (
        "urgent-escalation",
        "Escalating urgent content",
        (Role.LABELER, Role.REVIEWER, Role.PM),
        URGENT,
    ),
    ("breaks", "Breaks and exposure", (Role.LABELER, Role.VENDOR_LEAD), BREAKS),
    ("qa-process", "The QA process", (Role.REVIEWER, Role.PM, Role.VENDOR_LEAD), QA),
)


def seed_sops(session: Session, pm: Actor, people: list[Actor]) -> None:
    """Publish the demo's SOPs, read by everyone they are for."""
    for slug, title, roles, body in SOPS:
        sop = guidelines.create_sop(
            session,
            actor=pm,
            data=guidelines.NewSop(slug=slug, title=title, roles=list(roles), body=body),
        )
        for person in people:
            if person.role in roles:
                guidelines.acknowledge_sop(session, actor=person, slug=slug, version=sop.version)
