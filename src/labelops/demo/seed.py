"""A populated demo instance, built through the same use cases the app runs.

Users in every role across two vendors, a multilingual project on the shipped T&S taxonomy with
a few hundred synthetic items, and labels already given by simulated labelers (some of whom
disagree, as real ones do), plus a small second project staffed by one vendor only.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from datetime import timedelta

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from labelops import annotation, distribution, guidelines, projects, quality, workforce
from labelops.auth import SYSTEM, Actor, Role
from labelops.db import Database, utcnow
from labelops.demo.history import spread_over_days
from labelops.demo.planning import seed_after_labeling, seed_planning
from labelops.demo.sops import seed_sops
from labelops.demo.texts import LABEL_KEYS, DemoText, generate_texts
from labelops.errors import Conflict

GOLD_EVERY = 15  # one item in this many is gold
PASSWORD = "labelops-demo"  # noqa: S105  (printed for everyone: it is a demo)


@dataclass(frozen=True, slots=True)
class Person:
    username: str
    role: Role
    vendor: str | None = None
    languages: tuple[str, ...] = ()
    accuracy: float = 0.85  # for labelers: how often they give the intended label


ACME, BABEL = "Acme Labeling", "Babel Moderation"
PEOPLE: tuple[Person, ...] = (
    Person("admin", Role.ADMIN),
    Person("pat", Role.PM),
    Person("dana", Role.DEMANDER),
    Person("rita", Role.REVIEWER, languages=("en", "es")),
    Person("vic", Role.VENDOR_LEAD, ACME),
    Person("vera", Role.VENDOR_LEAD, BABEL),
    Person("alice", Role.LABELER, ACME, ("en", "es"), 0.9),
    Person("amir", Role.LABELER, ACME, ("ar", "en"), 0.88),
    Person("maya", Role.LABELER, ACME, ("hi", "en"), 0.86),
    Person("tom", Role.LABELER, ACME, ("en",), 0.62),
    Person("budi", Role.LABELER, BABEL, ("id", "en"), 0.87),
    Person("sofia", Role.LABELER, BABEL, ("es", "en"), 0.84),
    Person("hana", Role.LABELER, BABEL, ("hi", "id"), 0.8),
    Person("lina", Role.LABELER, BABEL, ("ar",), 0.83),
    Person("omar", Role.LABELER, BABEL, ("ar", "en"), 0.86),
    Person("diego", Role.LABELER, ACME, ("es", "en"), 0.85),
    Person("priya", Role.LABELER, BABEL, ("hi", "en"), 0.88),
    Person("sari", Role.LABELER, ACME, ("id", "en"), 0.84),
)

# The label a tired or unsure labeler gives instead of the intended one.
CONFUSIONS = {
    "none.needs_context": "none.no_violation",
    "none.no_violation": "none.needs_context",
    "harass.insult": "hate.stereotype",
    "harass.threat": "violence.glorification",
    "hate.stereotype": "harass.insult",
    "hate.exclusion": "hate.stereotype",
    "violence.glorification": "harass.threat",
    "self_harm.disclosure": "none.needs_context",
    "spam.spam": "fraud.scam",
    "fraud.scam": "spam.spam",
}

GUIDELINES = """\
# Community safety — labeling guidelines

Read the **whole** text before you choose. Label what the text *does*, not which words it
uses: a post that quotes hate to condemn it is **No violation**.

## How to choose
1. Is anyone attacked for who they are (origin, religion, gender…)? → **Hate**.
2. Is one person insulted or threatened? → **Harassment** (a threat beats an insult).
3. Is violence praised or called for? → **Violence**.
4. Does the writer talk about hurting themselves? → **Suicide & self-harm → Disclosure**.
   This is a person who may need help, not an offender.
5. Selling followers, giveaways, phishing → **Spam** or **Scams**.
6. Nothing applies → **No violation**. Sarcasm or in-jokes you cannot read → **Needs more
   context**.

## Keys
Press the group's number, then the label's number. **Enter** submits, **S** skips, **?**
shows every key.

## When you cannot read the language
Skip with *I can't read this language*: the item goes back to the right pool and does not
count against you.
"""


@dataclass(frozen=True, slots=True)
class DemoSummary:
    project_ids: tuple[int, ...]
    items: int
    annotations: int


def build_demo(db: Database, *, items: int = 300, seed: int = 7) -> DemoSummary:
    """Fill an empty database with the demo instance."""
    rng = random.Random(seed)
    texts = generate_texts(items, seed=seed)
    intended = {text.external_id: text.intended_label for text in texts}
    with db.write() as session:
        actors = {p.username: _create(session, p) for p in PEOPLE}
        main = projects.create_project(
            session,
            actor=actors["pat"],
            data=projects.NewProject(
                name="Community safety — multilingual Q4",
                description="Abuse, hate and self-harm signals in five languages, for the "
                "policy team's Q4 prevalence measurement.",
                languages=["en", "es", "ar", "hi", "id"],
                overlap=3,
                lease_seconds=900,
                vendors=[ACME, BABEL],
                demander="dana",
                guidelines=GUIDELINES,
                gold_rate=0.15,
                gold_threshold=0.7,
                quality_target=0.9,
            ),
        )
        lines = b"".join(
            orjson.dumps(
                {
                    "external_id": t.external_id,
                    "text": t.text,
                    "language": t.language,
                    "severity": t.severity,
                    "meta": {"source": "demo", "code_mixed": t.code_mixed},
                }
            )
            + b"\n"
            for t in texts
        )
        projects.import_items(
            session,
            actor=actors["pat"],
            project_id=main.id,
            stream=io.BytesIO(lines),
            fmt="jsonl",
            source="demo.jsonl",
        )
        _mark_gold(session, actors["pat"], main.id, texts[::GOLD_EVERY])
        _plan_delivery(session, actors["pat"], main.id)
        seed_planning(session, actors, main.id)
        pilot = _pilot_project(session, actors["pat"], seed)
        # The demo's labelers have read the guidelines and SOPs: the acknowledgement screen
        # shows only after the PM publishes a new version.
        for project_id in (main.id, pilot):
            guidelines.acknowledge_for_everyone(session, actor=actors["pat"], project_id=project_id)
        seed_sops(session, actors["pat"], list(actors.values()))
    labeled = _simulate_labeling(db, actors, main.id, intended, rng)
    with db.write() as session:
        spread_over_days(session, main.id, days=10)
    _audit_underway(db, actors, main.id, intended)
    with db.write() as session:
        seed_after_labeling(session, actors, main.id)
    return DemoSummary(project_ids=(main.id, pilot), items=items, annotations=labeled)


# What each vendor staffs: language -> (hourly rate, labeler-hours a week, rate per label).
VENDOR_LANGUAGES: dict[str, dict[str, tuple[float, float, float | None]]] = {
    ACME: {
        "en": (14.0, 160, None),
        "es": (13.0, 80, None),
        "ar": (16.0, 40, None),
        "hi": (11.0, 60, None),
        "id": (10.0, 40, None),
    },
    BABEL: {
        "en": (12.0, 120, 0.06),
        "es": (11.0, 40, 0.05),
        "ar": (15.0, 120, 0.07),
        "hi": (9.5, 80, 0.04),
        "id": (9.0, 80, 0.04),
    },
}


def _plan_delivery(session: Session, pm: Actor, project_id: int) -> None:
    """The vendors' languages, rates and capacity, and the main project's deadline and SLA."""
    vendors = {v.name: v.id for v in session.scalars(select(workforce.Vendor))}
    for vendor, languages in VENDOR_LANGUAGES.items():
        workforce.set_vendor_languages(
            session,
            actor=pm,
            vendor_id=vendors[vendor],
            languages=[
                workforce.VendorLanguageIn(
                    language=language, hourly_rate=hourly, weekly_hours=weekly, label_rate=rate
                )
                for language, (hourly, weekly, rate) in languages.items()
            ],
        )
    project = session.get(projects.Project, project_id)
    assert project is not None
    project.deadline = (utcnow() + timedelta(days=21)).date()
    project.sla_hours = 72.0
    session.flush()


def _mark_gold(session: Session, pm: Actor, project_id: int, texts: list[DemoText]) -> None:
    """Some items become gold, with the label's definition as the explanation."""
    project = projects.get_project(session, actor=pm, project_id=project_id)
    leaves = projects.label_schema(project).leaves
    quality.set_gold_answers(
        session,
        actor=pm,
        project_id=project_id,
        entries=[
            quality.GoldEntry(
                external_id=text.external_id,
                labels=[text.intended_label],
                explanation=f"{leaves[text.intended_label].name}: "
                f"{leaves[text.intended_label].description}",
            )
            for text in texts
        ],
    )


def _create(session: Session, person: Person) -> Actor:
    user = workforce.create_user(
        session,
        actor=SYSTEM,
        data=workforce.NewUser(
            username=person.username,
            password=PASSWORD,
            role=person.role,
            vendor=person.vendor,
            languages=list(person.languages),
        ),
    )
    return Actor(user.id, user.username, person.role, user.vendor_id, frozenset(person.languages))


def _pilot_project(session: Session, pm: Actor, seed: int) -> int:
    pilot = projects.create_project(
        session,
        actor=pm,
        data=projects.NewProject(
            name="Spam sweep pilot (English)",
            languages=["en"],
            label_schema=projects.LabelSchema.model_validate(
                {
                    "kind": "multi",
                    "labels": [
                        {
                            "key": "spam",
                            "name": "Spam",
                            "description": "Unsolicited bulk or commercial content.",
                        },
                        {
                            "key": "scam",
                            "name": "Scam",
                            "description": "Tries to trick people out of money or credentials.",
                        },
                        {"key": "ok", "name": "Fine", "description": "Neither spam nor scam."},
                    ],
                }
            ),
            overlap=1,
            vendors=[ACME],
        ),
    )
    texts = generate_texts(60, languages=("en",), seed=seed + 1)
    lines = b"".join(
        orjson.dumps({"external_id": f"pilot-{i:03d}", "text": t.text}) + b"\n"
        for i, t in enumerate(texts)
    )
    projects.import_items(
        session,
        actor=pm,
        project_id=pilot.id,
        stream=io.BytesIO(lines),
        fmt="jsonl",
        source="pilot.jsonl",
    )
    return pilot.id


def _simulate_labeling(
    db: Database,
    actors: dict[str, Actor],
    project_id: int,
    intended: dict[str, str],
    rng: random.Random,
) -> int:
    """Labelers work through part of the queue, each with their own accuracy."""
    labelers = [p for p in PEOPLE if p.role is Role.LABELER]
    budget = {p.username: rng.randint(25, 60) for p in labelers}
    stored = 0
    for _round in range(max(budget.values())):
        for person in labelers:
            if budget[person.username] <= 0:
                continue
            budget[person.username] -= 1
            stored += _label_one(db, actors[person.username], person, project_id, intended, rng)
    return stored


def _label_one(
    db: Database,
    actor: Actor,
    person: Person,
    project_id: int,
    intended: dict[str, str],
    rng: random.Random,
) -> int:
    with db.write() as session:
        lease = distribution.lease_next_item(session, actor=actor, project_id=project_id)
        if lease is None:
            return 0
        truth = intended[lease.item.external_id]
        roll = rng.random()
        if roll < person.accuracy:
            answer = truth
        elif roll < person.accuracy + (1 - person.accuracy) * 0.6:
            answer = CONFUSIONS[truth]
        else:
            answer = rng.choice(LABEL_KEYS)
        annotation.submit_annotation(
            session,
            actor=actor,
            assignment_id=lease.assignment_id,
            submission=annotation.NewSubmission(
                labels=[answer], duration_ms=int(rng.lognormvariate(9.4, 0.5))
            ),
        )
    return 1


def _audit_underway(
    db: Database, actors: dict[str, Actor], project_id: int, intended: dict[str, str]
) -> None:
    """An audit of the finished items against a 90 % target, half reviewed by rita."""
    with db.write() as session:
        projects.update_project(
            session,
            actor=actors["pat"],
            project_id=project_id,
            data=projects.ProjectUpdate(quality_target=0.9),
        )
        try:
            created = quality.create_audit(
                session,
                actor=actors["pat"],
                project_id=project_id,
                data=quality.NewAudit(name="Finished items, first look", margin=0.05, seed=1),
            )
        except Conflict:  # a tiny demo with no finished item yet
            return
        detail = quality.get_audit(session, actor=actors["rita"], audit_id=created.id)
        for entry in detail.items[: len(detail.items) // 2]:
            truth = intended[entry.external_id]
            right = entry.final_labels == [truth]
            quality.record_verdict(
                session,
                actor=actors["rita"],
                audit_id=created.id,
                audit_item_id=entry.id,
                verdict=quality.Verdict(
                    verdict="correct" if right else "incorrect", labels=None if right else [truth]
                ),
            )
