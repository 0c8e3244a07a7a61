# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Wait for an asynchronous task, sharing the module's deadline.

FOR INTERNAL COLLECTION USE ONLY: this module may change in any release.
"""

from __future__ import annotations

import time

# Ceiling of the growing poll interval, in seconds.
MAX_POLL_INTERVAL = 30.0
GROWTH = 1.5
# Never poll faster than this, even when progress says the task is about to finish.
MIN_POLL_INTERVAL = 0.25
# Aim a little after the estimated finish: percentages are whole numbers (truncated), so an exact aim
# lands a few milliseconds early about half the time and costs one more poll.
ETA_MARGIN_SHARE = 0.05
ETA_MARGIN = 0.1
# An estimated finish just past the next poll stretches that poll to it, up to this share of the interval.
ETA_STRETCH = 1.5
# Progress lines (in-controller runs only): the first once work has taken this long, then at most one
# every PROGRESS_EVERY seconds, and at most one a poll.
PROGRESS_AFTER = 3.0
PROGRESS_EVERY = 10.0


class WaitOptions:
    """How a run waits, built once from the module's options (``common.wait_options``) and passed down.

    ``wait`` (whether to wait at all), ``timeout`` (``wait_timeout``, seconds), ``interval``
    (``poll_interval``, the first interval), ``deadline`` (the run's one ``transport.Deadline``), and
    ``on_poll``: None, or a callable given each state a poll read (a hook for live progress).
    """

    def __init__(self, wait, timeout, interval, deadline, on_poll=None):
        self.wait = bool(wait)
        self.timeout = timeout
        self.interval = interval
        self.deadline = deadline
        self.on_poll = on_poll


class WaitOutcome:
    """How a wait ended: the last state seen, whether it was done, and what it cost."""

    def __init__(self, state, done, polls, waited):
        self.state = state
        self.done = done
        self.polls = polls
        self.waited = waited


class ProgressLines:
    """Throttled progress lines for ``report`` (a callable taking one line, or None: then nothing is said).

    ``say(text, left)`` passes ``text`` on with the time spent so far and ``left`` (seconds to the
    deadline) once the work has run PROGRESS_AFTER seconds, at most once every PROGRESS_EVERY
    seconds. Callers say one line a step (a poll, a page), so there is never more than that.
    """

    def __init__(self, report, clock=time.monotonic):
        self.report = report
        self.clock = clock
        self.started = clock()
        self.last = None

    def say(self, text, left=None):
        if self.report is None:
            return
        now = self.clock()
        if now - self.started < PROGRESS_AFTER or (self.last is not None and now - self.last < PROGRESS_EVERY):
            return
        self.last = now
        tail = "" if left is None else ", %.0f s left" % max(left, 0)
        self.report("%s (%.0f s so far%s)" % (text, now - self.started, tail))


class _ProgressClock:
    """Estimates when a task reporting a percentage will finish, from the rate seen so far."""

    def __init__(self, origin=None):
        self._first = None if origin is None else (origin, 0)

    def eta(self, now, percentage):
        if percentage is None:
            return None
        if self._first is None or percentage < self._first[1]:
            self._first = (now, percentage)
            return None
        then, start_pct = self._first
        if percentage <= start_pct or percentage >= 100:
            return None
        rate = (percentage - start_pct) / max(now - then, 1e-6)
        return (100.0 - percentage) / rate


def wait_until_done(fetch, is_done, deadline, wait_timeout, poll_interval, progress=None,
                    sleep=time.sleep, clock=time.monotonic, origin=None, on_poll=None):
    """Call ``fetch()`` until ``is_done(state)`` or ``wait_timeout`` / the deadline runs out.

    The interval starts at ``poll_interval`` and grows by half each poll up to
    ``MAX_POLL_INTERVAL`` (or ``poll_interval`` if that is larger). When ``progress(state)``
    gives a percentage and the task should finish before (or just after) the next poll, that
    poll is moved to shortly after the estimated finish, so a task is seen done soon after it
    is, with one poll rather than two.
    ``origin`` is the ``clock()`` time a task this run just created started, at 0 %: the first poll
    then comes ``poll_interval`` after it rather than at once, and one percentage is enough to estimate
    the finish (the rate is measured from the origin).
    ``on_poll(state, left)``, if given, is called after each poll that did not end the wait.
    Returns a ``WaitOutcome``; ``done`` is False when time ran out (the caller words the error).
    """
    started = clock()
    interval = float(poll_interval)
    ceiling = max(MAX_POLL_INTERVAL, interval)
    estimator = _ProgressClock(origin)
    polls = 0
    if origin is not None:
        sleep(max(0.0, min(interval - (started - origin), wait_timeout, deadline.remaining())))
    while True:
        state = fetch()
        polls += 1
        now = clock()
        if is_done(state):
            return WaitOutcome(state, True, polls, now - started)
        left = min(wait_timeout - (now - started), deadline.remaining())
        if left <= 0:
            return WaitOutcome(state, False, polls, now - started)
        if on_poll is not None:
            on_poll(state, left)
        nap = interval
        eta = estimator.eta(now, progress(state) if progress else None)
        if eta is not None:
            target = eta * (1.0 + ETA_MARGIN_SHARE) + ETA_MARGIN
            if target <= interval * ETA_STRETCH:
                nap = max(target, MIN_POLL_INTERVAL)
        sleep(min(nap, left))
        interval = min(interval * GROWTH, ceiling)


def wait_or_raise(fetch, is_done, waiting, sleep, timed_out, progress=None, report=None, describe=None, origin=None):
    """``wait_until_done`` as ``waiting`` (a ``WaitOptions``) says; the outcome when done.

    When time runs out, raises ``timed_out(outcome)`` (a ``TaskWaitTimeout`` worded by the
    product). ``sleep`` is the transport's ``pause``, so stopping the run wakes the wait.
    With ``report`` (the transport's), ``describe(state)`` words the state for a throttled
    progress line (ProgressLines); it must hold nothing secret. ``origin``: as in ``wait_until_done``
    (a task this run just created).
    """
    if waiting.on_poll is not None:
        fetch = _reporting(fetch, waiting.on_poll)
    on_poll = None
    if report is not None and describe is not None:
        lines = ProgressLines(report)

        def on_poll(state, left):
            lines.say(describe(state), left)

    outcome = wait_until_done(fetch=fetch, is_done=is_done, deadline=waiting.deadline, wait_timeout=waiting.timeout,
                              poll_interval=waiting.interval, progress=progress, sleep=sleep, on_poll=on_poll,
                              origin=origin)
    if not outcome.done:
        raise timed_out(outcome)
    return outcome


def _reporting(fetch, on_poll):
    def fetch_and_report():
        state = fetch()
        on_poll(state)
        return state
    return fetch_and_report
