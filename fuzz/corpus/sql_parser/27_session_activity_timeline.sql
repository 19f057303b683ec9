SELECT userIdentity.accessKeyId,
       array_agg(eventName ORDER BY eventTime) AS actions,
       min(eventTime) AS started, max(eventTime) AS ended,
       date_diff('minute', min(eventTime), max(eventTime)) AS minutes
FROM events
WHERE userIdentity.accessKeyId LIKE 'ASIA%'
  AND eventTime > TIMESTAMP '2026-03-10 00:00:00'
GROUP BY userIdentity.accessKeyId
ORDER BY started
