-- Source addresses a principal used today but never in the baseline window.
WITH baseline AS (
  SELECT DISTINCT userIdentity.arn AS principal, sourceIPAddress AS ip
  FROM events
  WHERE eventTime BETWEEN TIMESTAMP '2026-02-01 00:00:00' AND TIMESTAMP '2026-03-01 00:00:00'
),
today AS (
  SELECT userIdentity.arn AS principal, sourceIPAddress AS ip, count(*) AS calls
  FROM events
  WHERE eventTime >= date_trunc('day', current_timestamp)
  GROUP BY 1, 2
)
SELECT t.principal, t.ip, t.calls
FROM today t
LEFT JOIN baseline b ON b.principal = t.principal AND b.ip = t.ip
WHERE b.ip IS NULL
ORDER BY t.calls DESC
