"""Background jobs: functions run by RQ workers (or in process without ``REDIS_URL``).

Every job goes through ``jobs.runner.run(job_run_id)``: it receives only the id of a
``JobRun`` row, creates the app once per process, acts for all units under a named
``system_scope`` and records progress, success or the error on the row. The kinds of
job, their queue and timeout are listed in ``jobs.registry``; the cron schedule in
``jobs.schedule`` (loaded by ``rq cron jobs.cron_config``).
"""
