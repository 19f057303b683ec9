-- 1. Count by eventName in a 7-day window.
SELECT eventName, count(*) AS n
FROM events
WHERE eventTime >= '2026-10-20 00:00:00' AND eventTime < '2026-10-27 00:00:00'
GROUP BY eventName
ORDER BY n DESC, eventName
