SELECT userIdentity.arn, eventName, eventTime
FROM events
WHERE (hour(eventTime AT TIME ZONE 'America/New_York') NOT BETWEEN 7 AND 19
       OR day_of_week(eventTime) IN (6, 7))
  AND readOnly = false
  AND managementEvent
