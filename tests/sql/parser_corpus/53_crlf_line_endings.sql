SELECT eventName, count(*) AS n
FROM events
WHERE eventTime > '2026-01-01 00:00:00.000'
  AND readOnly = true -- windows line endings
GROUP BY eventName
