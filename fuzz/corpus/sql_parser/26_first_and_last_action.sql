SELECT userIdentity.arn,
       min_by(eventName, eventTime) AS first_action,
       max_by(eventName, eventTime) AS last_action,
       max_by(sourceIPAddress, eventTime) AS last_ip
FROM events
WHERE userIdentity.arn IS NOT NULL
GROUP BY userIdentity.arn
