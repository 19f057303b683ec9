SELECT userIdentity.arn,
       sourceIPAddress,
       eventTime,
       lag(sourceIPAddress) OVER (PARTITION BY userIdentity.arn ORDER BY eventTime) AS previous_ip,
       date_diff('second', lag(eventTime) OVER (PARTITION BY userIdentity.arn ORDER BY eventTime), eventTime) AS gap_seconds
FROM events
WHERE eventName = 'ConsoleLogin'
