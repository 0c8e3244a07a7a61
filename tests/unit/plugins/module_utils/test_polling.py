# -*- coding: utf-8 -*-
# Copyright (c) 2026, secops.async_tasks contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""polling.py and common.run_deadline: waiting on a fake clock, sharing the run's deadline."""

from __future__ import annotations

import pytest

from ansible_collections.secops.async_tasks.plugins.module_utils.common import run_deadline, wait_options
from ansible_collections.secops.async_tasks.plugins.module_utils.polling import (
    MAX_POLL_INTERVAL,
    MIN_POLL_INTERVAL,
    WaitOptions,
    wait_or_raise,
    wait_until_done,
)
from ansible_collections.secops.async_tasks.plugins.module_utils.transport import Deadline


class Task:
    """Answers polls from a list of percentages (the last one repeats); done at 100."""

    def __init__(self, clock, percentages, fetch_cost=0.0):
        self.clock = clock
        self.percentages = list(percentages)
        self.fetch_cost = fetch_cost
        self.polled_at = []

    def fetch(self):
        self.clock.advance(self.fetch_cost)
        self.polled_at.append(self.clock.now)
        pct = self.percentages.pop(0) if len(self.percentages) > 1 else self.percentages[0]
        return {"percentage": pct, "poll": len(self.polled_at)}


def is_done(state):
    return state["percentage"] >= 100


def wait(clock, task, wait_timeout=1000, poll_interval=2.0, deadline_s=10000, progress=None):
    return wait_until_done(task.fetch, is_done, Deadline(deadline_s, clock=clock), wait_timeout, poll_interval,
                           progress=progress, sleep=clock.sleep, clock=clock)


def test_returns_done_with_the_done_state(clock):
    task = Task(clock, [0, 50, 100])
    outcome = wait(clock, task)
    assert outcome.done is True
    assert outcome.state == {"percentage": 100, "poll": 3}
    assert outcome.polls == 3
    assert clock.sleeps == [2.0, 3.0]
    assert outcome.waited == 5.0


def test_done_at_first_poll_never_sleeps(clock):
    outcome = wait(clock, Task(clock, [100]))
    assert outcome.done is True
    assert outcome.polls == 1
    assert clock.sleeps == []


def test_interval_grows_by_half_and_caps_at_30_seconds(clock):
    wait(clock, Task(clock, [0] * 12 + [100]))
    expected = [2.0, 3.0, 4.5, 6.75, 10.125, 15.1875, 22.78125, 30.0, 30.0, 30.0, 30.0, 30.0]
    assert clock.sleeps == pytest.approx(expected)
    assert MAX_POLL_INTERVAL == 30.0


def test_interval_larger_than_the_cap_is_kept(clock):
    wait(clock, Task(clock, [0, 0, 0, 100]), poll_interval=45)
    assert clock.sleeps == [45.0, 45.0, 45.0]


def test_progress_brings_the_next_poll_forward(clock):
    # 10% at t=0, 55% at t=2: 22.5 %/s, so 45% left is due in 2 s (the interval would be 3 s);
    # the poll aims 5% + 0.1 s after that, since percentages are truncated.
    task = Task(clock, [10, 55, 100])
    outcome = wait(clock, task, progress=lambda state: state["percentage"])
    assert outcome.done is True
    assert clock.sleeps == pytest.approx([2.0, 2.0 * 1.05 + 0.1])


def test_progress_just_past_the_next_poll_stretches_it(clock):
    # 10% at t=0, 46% at t=2: 18 %/s, 54% left is due in 3 s, the interval is 3 s: one poll at 3.5 s,
    # not one at 3 s (still running) and another after it.
    task = Task(clock, [10, 46, 100])
    outcome = wait(clock, task, progress=lambda state: state["percentage"])
    assert (outcome.done, outcome.polls) == (True, 3)
    assert clock.sleeps == pytest.approx([2.0, 3.0 * 1.05 + 0.1])


def test_progress_far_from_done_keeps_the_interval(clock):
    # 10% at t=0, 20% at t=2: 5 %/s, 80% left is due in 16 s: the growing interval goes on.
    task = Task(clock, [10, 20, 30, 100])
    wait(clock, task, progress=lambda state: state["percentage"])
    assert clock.sleeps[:2] == pytest.approx([2.0, 3.0])


def test_progress_never_polls_faster_than_the_floor(clock):
    # 98% after 2 s from 0%: 1% left is due in ~0.02 s; the next poll still waits 0.25 s.
    task = Task(clock, [0, 98, 100])
    wait(clock, task, progress=lambda state: state["percentage"])
    assert clock.sleeps == pytest.approx([2.0, MIN_POLL_INTERVAL])
    assert MIN_POLL_INTERVAL == 0.25


def test_progress_without_movement_keeps_the_growing_interval(clock):
    task = Task(clock, [40, 40, 40, 100])
    wait(clock, task, progress=lambda state: state["percentage"])
    assert clock.sleeps == pytest.approx([2.0, 3.0, 4.5])


def test_wait_timeout_gives_not_done_with_the_last_state(clock):
    task = Task(clock, [10, 20, 30, 40, 50, 60])
    outcome = wait(clock, task, wait_timeout=10, poll_interval=2.0)
    assert outcome.done is False
    # Polls at 0, 2, 5, 9.5 and (cut to the timeout) 10.
    assert task.polled_at == pytest.approx([1000.0, 1002.0, 1005.0, 1009.5, 1010.0])
    assert outcome.state == {"percentage": 50, "poll": 5}
    assert outcome.polls == 5
    assert sum(clock.sleeps) == pytest.approx(10.0)
    assert outcome.waited == pytest.approx(10.0)


def test_never_sleeps_past_the_deadline(clock):
    task = Task(clock, [0])
    outcome = wait(clock, task, wait_timeout=1000, poll_interval=5.0, deadline_s=12)
    assert outcome.done is False
    assert sum(clock.sleeps) == pytest.approx(12.0)
    assert clock.sleeps == pytest.approx([5.0, 7.0])
    assert task.polled_at[-1] == pytest.approx(1012.0)


def test_slow_fetches_count_against_the_wait(clock):
    task = Task(clock, [0], fetch_cost=4.0)
    outcome = wait(clock, task, wait_timeout=10, poll_interval=2.0)
    # Poll 1 ends at 4 s, a 2 s nap, poll 2 ends at 10 s: the wait is over, no third poll.
    assert outcome.done is False
    assert outcome.polls == 2
    assert clock.sleeps == [2.0]
    assert outcome.waited == 10.0


def test_deadline_already_spent_polls_once_and_returns(clock):
    deadline = Deadline(1, clock=clock)
    clock.advance(5)
    task = Task(clock, [10])
    outcome = wait_until_done(task.fetch, is_done, deadline, 100, 2.0, sleep=clock.sleep, clock=clock)
    assert outcome.done is False
    assert outcome.polls == 1
    assert clock.sleeps == []


# -- common.run_deadline ------------------------------------------------------------------------
@pytest.mark.parametrize("timeout, wait_flag, wait_timeout, seconds", [
    (30, False, 0, 90.0),
    (30, False, 300, 90.0),
    (10, True, 300, 320.0),
    (30, True, 60, 120.0),
    (1, False, 0, 3.0),
])
def test_run_deadline(timeout, wait_flag, wait_timeout, seconds):
    deadline = run_deadline(timeout, wait_flag, wait_timeout)
    assert deadline.seconds == seconds
    assert seconds - 1 < deadline.remaining() <= seconds


def test_a_task_created_now_is_first_polled_after_the_interval_and_one_percentage_aims_the_next(clock):
    origin = clock.now
    task = Task(clock, [66, 100])  # 66 % after 2 s: at this rate done 1 s later
    outcome = wait_until_done(task.fetch, is_done, Deadline(100, clock=clock), 100, 2.0,
                              progress=lambda state: state["percentage"], sleep=clock.sleep, clock=clock,
                              origin=origin)
    assert outcome.done is True and outcome.polls == 2
    assert task.polled_at[0] - origin == 2.0
    assert 1.0 < task.polled_at[1] - task.polled_at[0] < 1.3  # aimed at the estimated finish, not 3 s later


# -- the typed wait record the runners build once (common.wait_options) ---------------------------------
def test_wait_options_are_built_once_from_the_module_options_with_one_deadline():
    waiting = wait_options({"timeout": 30, "wait": True, "wait_timeout": 600, "poll_interval": 5.0})
    assert (waiting.wait, waiting.timeout, waiting.interval, waiting.on_poll) == (True, 600, 5.0, None)
    assert waiting.deadline.seconds == 600 + 2 * 30
    reading = wait_options({"timeout": 30})
    assert reading.wait is False and reading.deadline.seconds == 3 * 30


def test_wait_or_raise_follows_the_record_and_reports_each_poll(clock):
    task, seen = Task(clock, [0, 40, 100]), []
    waiting = WaitOptions(True, 1000, 2.0, Deadline(10000, clock=clock), on_poll=lambda state: seen.append(state["poll"]))
    outcome = wait_or_raise(task.fetch, is_done, waiting, sleep=clock.sleep, timed_out=AssertionError)
    assert outcome.done and seen == [1, 2, 3] and clock.sleeps == [2.0, 3.0]


def test_wait_or_raise_words_the_timeout_through_the_product(clock):
    waiting = WaitOptions(True, 0, 2.0, Deadline(10000, clock=clock))
    with pytest.raises(RuntimeError, match="still at 0"):
        wait_or_raise(Task(clock, [0]).fetch, is_done, waiting, sleep=clock.sleep,
                      timed_out=lambda outcome: RuntimeError("still at %d" % outcome.state["percentage"]))
