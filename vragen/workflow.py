"""The question workflow: every status change is a row in TRANSITIONS, nothing else.

Services ask `next_status` before changing a question; a pair missing from the table is
refused. Tests walk the table: every status is reachable from START and can be left.
"""

from enum import StrEnum

from vragen.exceptions import NotAllowed, TransitionRefused
from vragen.models import Question

S = Question.Status
START = S.OPEN


class Action(StrEnum):
    ANSWER = "answer"
    ASK_INFO = "ask_info"
    PARENT_REPLY = "parent_reply"
    INFO_TIMEOUT = "info_timeout"
    PLAN_CALL_BACK = "plan_call_back"
    SOLVE = "solve"
    CLOSE = "close"
    REOPEN = "reopen"


class Actor(StrEnum):
    PARENT = "parent"
    STAFF = "staff"
    SYSTEM = "system"


# (action, from status) -> to status
TRANSITIONS: dict[tuple[Action, str], str] = {
    (Action.ANSWER, S.OPEN): S.ANSWERED,
    (Action.ANSWER, S.WAITING): S.ANSWERED,
    (Action.ANSWER, S.CALL_BACK): S.ANSWERED,
    (Action.ASK_INFO, S.OPEN): S.WAITING,
    (Action.ASK_INFO, S.CALL_BACK): S.WAITING,
    (Action.PARENT_REPLY, S.OPEN): S.OPEN,
    (Action.PARENT_REPLY, S.WAITING): S.OPEN,
    (Action.PARENT_REPLY, S.CALL_BACK): S.CALL_BACK,
    (Action.PARENT_REPLY, S.ANSWERED): S.OPEN,
    (Action.INFO_TIMEOUT, S.WAITING): S.OPEN,
    (Action.PLAN_CALL_BACK, S.OPEN): S.CALL_BACK,
    (Action.PLAN_CALL_BACK, S.WAITING): S.CALL_BACK,
    (Action.PLAN_CALL_BACK, S.CALL_BACK): S.CALL_BACK,
    (Action.SOLVE, S.OPEN): S.CLOSED,
    (Action.SOLVE, S.WAITING): S.CLOSED,
    (Action.SOLVE, S.CALL_BACK): S.CLOSED,
    (Action.SOLVE, S.ANSWERED): S.CLOSED,
    (Action.CLOSE, S.OPEN): S.CLOSED,
    (Action.CLOSE, S.WAITING): S.CLOSED,
    (Action.CLOSE, S.CALL_BACK): S.CLOSED,
    (Action.CLOSE, S.ANSWERED): S.CLOSED,
    (Action.REOPEN, S.CLOSED): S.OPEN,
}

# Who may take each action. A parent's "not helped" feedback reopens a question.
ACTORS: dict[Action, Actor] = {
    Action.ANSWER: Actor.STAFF,
    Action.ASK_INFO: Actor.STAFF,
    Action.PARENT_REPLY: Actor.PARENT,
    Action.INFO_TIMEOUT: Actor.SYSTEM,
    Action.PLAN_CALL_BACK: Actor.STAFF,
    Action.SOLVE: Actor.PARENT,
    Action.CLOSE: Actor.STAFF,
    Action.REOPEN: Actor.PARENT,
}

# Entering these statuses puts the question (back) in the queue with a fresh deadline.
REQUEUE_ON_ENTER = {S.OPEN}


def next_status(*, status: str, action: Action, actor: Actor) -> str:
    if ACTORS[action] != actor:
        raise NotAllowed(f"{actor} may not {action}")
    try:
        return TRANSITIONS[(action, status)]
    except KeyError:
        raise TransitionRefused(status=status, action=action) from None


def allowed_actions(*, status: str, actor: Actor) -> set[Action]:
    return {a for (a, s) in TRANSITIONS if s == status and ACTORS[a] == actor}
