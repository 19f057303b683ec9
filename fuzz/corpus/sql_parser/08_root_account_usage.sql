SELECT eventTime, eventName, eventSource, sourceIPAddress, userAgent
FROM $EDS_ID
WHERE userIdentity.type = 'Root'
  AND userIdentity.invokedBy IS NULL
  AND eventType <> 'AwsServiceEvent'
ORDER BY eventTime DESC
LIMIT 100
