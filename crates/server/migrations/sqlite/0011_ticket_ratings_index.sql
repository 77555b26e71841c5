-- Ticket ratings count as CSAT answers on the dashboard and in the desk's
-- survey report, dated when the ticket was resolved: a small index over the
-- rated tickets only, so neither reads every feedback row.
CREATE INDEX feedback_rated_at ON feedback (COALESCE(resolved_at, updated_at))
    WHERE csat_score IS NOT NULL;
