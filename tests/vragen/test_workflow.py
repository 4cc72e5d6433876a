"""The transition table: every status reachable and leavable; allowed and refused steps."""

from collections import deque

import pytest

from vragen import workflow
from vragen.exceptions import NotAllowed, TransitionRefused
from vragen.models import Question
from vragen.workflow import Action, Actor

S = Question.Status


def _reachable() -> set[str]:
    seen, todo = {workflow.START}, deque([workflow.START])
    while todo:
        status = todo.popleft()
        for (_action, source), target in workflow.TRANSITIONS.items():
            if source == status and target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def test_every_status_is_reachable_from_start():
    assert _reachable() == set(S.values)


@pytest.mark.parametrize("status", S.values)
def test_every_status_can_be_left(status):
    targets = {t for (_a, s), t in workflow.TRANSITIONS.items() if s == status}
    assert targets - {status}, f"{status} can be reached but never left"


def test_every_action_has_an_actor():
    assert {a for a, _s in workflow.TRANSITIONS} == set(workflow.ACTORS)


def test_closed_can_only_be_reopened_by_the_parent():
    assert workflow.allowed_actions(status=S.CLOSED, actor=Actor.PARENT) == {Action.REOPEN}
    assert workflow.allowed_actions(status=S.CLOSED, actor=Actor.STAFF) == set()


@pytest.mark.parametrize(
    ("status", "action", "actor", "expected"),
    [
        (S.OPEN, Action.ANSWER, Actor.STAFF, S.ANSWERED),
        (S.WAITING, Action.ANSWER, Actor.STAFF, S.ANSWERED),
        (S.OPEN, Action.ASK_INFO, Actor.STAFF, S.WAITING),
        (S.WAITING, Action.PARENT_REPLY, Actor.PARENT, S.OPEN),
        (S.ANSWERED, Action.PARENT_REPLY, Actor.PARENT, S.OPEN),
        (S.WAITING, Action.INFO_TIMEOUT, Actor.SYSTEM, S.OPEN),
        (S.OPEN, Action.PLAN_CALL_BACK, Actor.STAFF, S.CALL_BACK),
        (S.CALL_BACK, Action.ANSWER, Actor.STAFF, S.ANSWERED),
        (S.ANSWERED, Action.SOLVE, Actor.PARENT, S.CLOSED),
        (S.ANSWERED, Action.CLOSE, Actor.STAFF, S.CLOSED),
        (S.CLOSED, Action.REOPEN, Actor.PARENT, S.OPEN),
    ],
)
def test_allowed_transitions(status, action, actor, expected):
    assert workflow.next_status(status=status, action=action, actor=actor) == expected


@pytest.mark.parametrize(
    ("status", "action", "actor"),
    [
        (S.CLOSED, Action.ANSWER, Actor.STAFF),
        (S.ANSWERED, Action.ANSWER, Actor.STAFF),
        (S.CLOSED, Action.PARENT_REPLY, Actor.PARENT),
        (S.OPEN, Action.INFO_TIMEOUT, Actor.SYSTEM),
        (S.ANSWERED, Action.ASK_INFO, Actor.STAFF),
        (S.CLOSED, Action.CLOSE, Actor.STAFF),
        (S.OPEN, Action.REOPEN, Actor.PARENT),
    ],
)
def test_refused_transitions(status, action, actor):
    with pytest.raises(TransitionRefused):
        workflow.next_status(status=status, action=action, actor=actor)


@pytest.mark.parametrize(
    ("action", "actor"),
    [
        (Action.ANSWER, Actor.PARENT),
        (Action.CLOSE, Actor.PARENT),
        (Action.SOLVE, Actor.STAFF),
        (Action.PARENT_REPLY, Actor.STAFF),
        (Action.INFO_TIMEOUT, Actor.STAFF),
    ],
)
def test_wrong_actor_is_refused(action, actor):
    with pytest.raises(NotAllowed):
        workflow.next_status(status=S.OPEN, action=action, actor=actor)
