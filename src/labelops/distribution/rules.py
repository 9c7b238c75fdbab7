"""Eligibility: which items a labeler may be given, as rules the queue applies in order.

A rule sees the labeler and the project and answers with an `Eligibility`: the languages they
may get, extra SQL conditions on queue entries (an exposure budget, an opt-out), or a reason
they may get nothing right now (a break, guidelines to acknowledge, a quiz to pass). The lease
query is built from the result, so a new rule never touches the queue's own code.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from labelops.auth import Actor

if TYPE_CHECKING:
    from labelops.projects import ProjectView


@dataclass(frozen=True, slots=True)
class LeaseContext:
    actor: Actor
    project: ProjectView
    now: datetime


@dataclass(frozen=True, slots=True)
class Eligibility:
    languages: frozenset[str]
    conditions: tuple[ColumnElement[bool], ...] = ()
    # Set when the labeler may get nothing now: (code, message for the labeler).
    blocked: tuple[str, str] | None = None

    def narrow(self, *, languages: frozenset[str]) -> Eligibility:
        return replace(self, languages=self.languages & languages)

    def require(self, condition: ColumnElement[bool]) -> Eligibility:
        return replace(self, conditions=(*self.conditions, condition))

    def block(self, code: str, message: str) -> Eligibility:
        return replace(self, blocked=(code, message))


Rule = Callable[[Session, LeaseContext, Eligibility], Eligibility]


def languages_read(session: Session, ctx: LeaseContext, eligibility: Eligibility) -> Eligibility:
    """A labeler gets only items in languages they read."""
    del session
    return eligibility.narrow(languages=ctx.actor.languages)


@functools.cache
def rules() -> tuple[Rule, ...]:
    """The rules, in the order they apply. Each is owned by the context whose facts it reads;
    they are named here, once, so the order is plain to see."""
    # quality and guidelines import this package: look them up on first use
    from labelops import guidelines, quality

    return (languages_read, guidelines.acknowledged, quality.qualified, quality.not_paused)


def evaluate(session: Session, ctx: LeaseContext) -> Eligibility:
    eligibility = Eligibility(languages=ctx.project.languages)
    for rule in rules():
        eligibility = rule(session, ctx, eligibility)
        if eligibility.blocked is not None:
            break
    return eligibility
