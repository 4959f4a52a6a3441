-- User analytics: raw events, profiles, and events enriched with the profile of their user.
-- Configuration: events_path, profiles_path.
CREATE OR REFRESH STREAMING TABLE events (
  CONSTRAINT has_user EXPECT (user_id IS NOT NULL) ON VIOLATION DROP ROW,
  CONSTRAINT has_time EXPECT (event_time IS NOT NULL) ON VIOLATION FAIL UPDATE
)
COMMENT 'Click-stream events, loaded once per file.'
AS SELECT event_id, user_id, session_id, event_type, page, event_time, _metadata.file_path AS source_file
FROM STREAM read_files(
  '${events_path}',
  format => 'csv',
  header => true,
  escape => '"',
  pathGlobFilter => 'events_*.csv',
  schema => 'event_id STRING, user_id STRING, session_id STRING, event_type STRING, page STRING, event_time TIMESTAMP'
);

CREATE OR REFRESH MATERIALIZED VIEW user_profiles
COMMENT 'One row per user: the latest profile.'
AS SELECT user_id, name, plan, country, signed_up_at
FROM read_files(
  '${profiles_path}',
  format => 'csv',
  header => true,
  escape => '"',
  pathGlobFilter => 'profiles_*.csv',
  schema => 'user_id STRING, name STRING, plan STRING, country STRING, signed_up_at TIMESTAMP'
)
QUALIFY row_number() OVER (PARTITION BY user_id ORDER BY signed_up_at DESC) = 1;

CREATE OR REFRESH STREAMING TABLE events_enriched
COMMENT 'Events joined with the profile of their user (stream-batch join: profiles as of processing time).'
AS SELECT e.event_id, e.user_id, e.session_id, e.event_type, e.page, e.event_time, p.plan, p.country
FROM STREAM(events) AS e
LEFT JOIN user_profiles AS p ON p.user_id = e.user_id;
