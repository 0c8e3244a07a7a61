"""transport.retry_decision, the one retry policy, as a table: (reply or lost answer, idempotency,
attempt, deadline) -> return the reply, retry after N seconds, or stop and why. transport.post only
sends, sleeps and words the errors (test_transport.py drives it against a real server)."""

from __future__ import annotations

import pytest

from ansible_collections.secops.async_tasks.plugins.module_utils.transport import (
    EXHAUSTED,
    MAY_HAVE_ACTED,
    NEVER_SENT,
    PAST_DEADLINE,
    RETRY,
    RETURN,
    SENT,
    STOP,
    Decision,
    Deadline,
    HttpReply,
    RetryPolicy,
    retry_decision,
)


class FixedBackoff(RetryPolicy):
    """Backoff of 1, 2, 4 ... seconds (no jitter), three attempts."""

    def __init__(self):
        super().__init__(attempts=3)

    def backoff(self, retry_number):
        return float(2 ** retry_number)


def reply(status, body='{"result": 1}', retry_after=None):
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return HttpReply(status, headers, body)


READ, WRITE = True, False
HTML = "<html>busy</html>"

TABLE = [
    # reply or lost answer,       idempotent, attempt, deadline s, decision
    (reply(200), READ, 0, 60, Decision(RETURN)),
    (reply(200), WRITE, 0, 60, Decision(RETURN)),
    (reply(404), READ, 0, 60, Decision(RETURN)),
    (reply(401), WRITE, 0, 60, Decision(RETURN)),
    (reply(500), WRITE, 0, 60, Decision(RETURN)),               # a write's plain 500 is the answer to describe
    (reply(200, HTML), WRITE, 0, 60, Decision(RETURN)),         # unusable body of a write: not resent
    (reply(200, HTML), READ, 0, 60, Decision(RETRY, 1.0)),      # unusable body of a read: resent
    (reply(500), READ, 1, 60, Decision(RETRY, 2.0)),
    (reply(500), READ, 2, 60, Decision(RETURN)),                # out of attempts: the 500 is described
    (reply(503), READ, 0, 60, Decision(RETRY, 1.0)),
    (reply(503), READ, 2, 60, Decision(STOP, reason=EXHAUSTED)),
    (reply(503), WRITE, 0, 60, Decision(STOP, reason=MAY_HAVE_ACTED)),
    (reply(502), WRITE, 0, 60, Decision(STOP, reason=MAY_HAVE_ACTED)),
    (reply(429), WRITE, 0, 60, Decision(RETRY, 1.0)),           # refused, so never acted on: resent
    (reply(429, retry_after="5"), READ, 0, 60, Decision(RETRY, 5.0)),
    (reply(429, retry_after="0"), READ, 1, 60, Decision(RETRY, 2.0)),  # "0" is no reason for a burst
    (reply(429, retry_after="120"), READ, 0, 60, Decision(STOP, 120.0, PAST_DEADLINE)),
    (reply(503, retry_after="120"), READ, 2, 60, Decision(STOP, 120.0, PAST_DEADLINE)),
    (reply(429), WRITE, 2, 60, Decision(STOP, reason=EXHAUSTED)),
    (NEVER_SENT, WRITE, 0, 60, Decision(RETRY, 1.0)),           # refused while connecting: safe to resend
    (NEVER_SENT, READ, 2, 60, Decision(STOP, reason=EXHAUSTED)),
    (SENT, READ, 0, 60, Decision(RETRY, 1.0)),
    (SENT, READ, 1, 60, Decision(RETRY, 2.0)),
    (SENT, WRITE, 0, 60, Decision(STOP, reason=MAY_HAVE_ACTED)),  # reset after sending: may have acted
]


@pytest.mark.parametrize("answer, idempotent, attempt, deadline_s, expected", TABLE)
def test_retry_policy(clock, answer, idempotent, attempt, deadline_s, expected):
    if isinstance(answer, str):
        the_reply, lost = None, answer
    else:
        the_reply, lost = answer, None
    decision = retry_decision(the_reply, lost, idempotent, attempt, Deadline(deadline_s, clock=clock), FixedBackoff())
    assert decision == expected
