SELECT eventTime, userIdentity.arn,
       element_at(requestParameters, 'keyId') AS key_id,
       TRY_CAST(element_at(requestParameters, 'pendingWindowInDays') AS integer) AS pending_days
FROM events
WHERE eventSource = 'kms.amazonaws.com'
  AND eventName IN ('ScheduleKeyDeletion', 'DisableKey')
