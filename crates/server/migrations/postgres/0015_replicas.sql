-- State that several server processes share (issue 17, stateless replicas).
--
-- Attempt counters for sign-in and other throttled writes, per key
-- ("email:…", "ip:…", "feedback:<member>"): how many attempts since the
-- window began (unix seconds). Rows whose window has passed are deleted by
-- the scheduler.
CREATE TABLE throttles (
    key TEXT PRIMARY KEY,
    attempts BIGINT NOT NULL,
    window_start BIGINT NOT NULL
);

-- One row per scheduled job: which process holds it and until when. A
-- process takes a lease that is free or expired, and renews its own, so a
-- job runs on one replica at a time and a dead replica's job is taken over
-- once its lease runs out.
CREATE TABLE job_leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
