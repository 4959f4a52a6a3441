-- User analytics: daily metrics, sessions and the final engagement metrics. Aggregates are
-- streaming-compatible (approx_count_distinct, never COUNT(DISTINCT) over a stream).
CREATE OR REFRESH MATERIALIZED VIEW user_daily_metrics
COMMENT 'Per user and date: events, sessions, pages and purchases.'
AS SELECT
  user_id,
  CAST(event_time AS DATE) AS event_date,
  count(*) AS events,
  approx_count_distinct(session_id) AS sessions,
  approx_count_distinct(page) AS pages,
  count_if(event_type = 'purchase') AS purchases
FROM events_enriched
GROUP BY user_id, CAST(event_time AS DATE);

CREATE OR REFRESH MATERIALIZED VIEW session_durations
COMMENT 'Per session: first and last event and duration in seconds.'
AS SELECT
  session_id,
  user_id,
  min(event_time) AS started_at,
  max(event_time) AS ended_at,
  timestampdiff(SECOND, min(event_time), max(event_time)) AS duration_seconds,
  count(*) AS events
FROM events_enriched
GROUP BY session_id, user_id;

CREATE OR REFRESH MATERIALIZED VIEW final_metrics (
  CONSTRAINT has_user_id EXPECT (user_id IS NOT NULL) ON VIOLATION FAIL UPDATE,
  CONSTRAINT at_least_one_event EXPECT (total_events >= 1) ON VIOLATION DROP ROW,
  CONSTRAINT engagement_in_range EXPECT (engagement_score BETWEEN 0 AND 100)
)
COMMENT 'Per user: activity totals and an engagement score from 0 to 100.'
AS SELECT
  d.user_id,
  p.plan,
  sum(d.events) AS total_events,
  sum(d.sessions) AS total_sessions,
  sum(d.purchases) AS total_purchases,
  coalesce(max(s.average_session_seconds), 0) AS average_session_seconds,
  least(100, sum(d.events) * 2 + sum(d.purchases) * 10 + CAST(coalesce(max(s.average_session_seconds), 0) / 60 AS INT)) AS engagement_score
FROM user_daily_metrics AS d
LEFT JOIN user_profiles AS p ON p.user_id = d.user_id
-- one row per user, so the join does not multiply the daily rows
LEFT JOIN (
  SELECT user_id, avg(duration_seconds) AS average_session_seconds FROM session_durations GROUP BY user_id
) AS s ON s.user_id = d.user_id
GROUP BY d.user_id, p.plan;
