"""The module ``rq cron`` loads: ``TZ=Asia/Shanghai rq cron --url $REDIS_URL jobs.cron_config``.

It registers every entry of ``jobs.schedule.SCHEDULES`` with RQ's own cron
(``rq.cron.register``) and the catch-up, which runs as soon as the scheduler starts and
every hour after. RQ 3 reads cron strings in the scheduler's local time, so this module
sets the process's time zone to the schedule's (Asia/Shanghai) before anything is
registered. Run exactly one scheduler: RQ's cron takes no lock.
"""
from __future__ import annotations

import logging
import os
import time

from rq import cron

from jobs.registry import DEFAULT
from jobs.schedule import CATCH_UP_EVERY, SCHEDULES, TIMEZONE, fire, run_catch_up

if os.environ.get("TZ") != TIMEZONE:
    logging.getLogger(__name__).info("cron schedules are in %s: setting TZ", TIMEZONE)
    os.environ["TZ"] = TIMEZONE
    time.tzset()

FAN_OUT_TIMEOUT = 600

for entry in SCHEDULES:
    cron.register(fire, DEFAULT, args=(entry.name,), cron=entry.cron, name=entry.name,
                  job_timeout=FAN_OUT_TIMEOUT)
cron.register(run_catch_up, DEFAULT, interval=CATCH_UP_EVERY, name="catch-up",
              job_timeout=FAN_OUT_TIMEOUT)
