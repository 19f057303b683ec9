SELECT date(eventTime) AS day, count(*) AS events, count(DISTINCT userIdentity.arn) AS principals
FROM events
WHERE eventTime >= date_add('day', -30, current_timestamp)
GROUP BY date(eventTime)
ORDER BY day
