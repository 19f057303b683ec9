SELECT eventTime, eventName, userIdentity.arn, sourceIPAddress, errorCode
FROM $EDS_ID
WHERE eventSource = 'cloudtrail.amazonaws.com'
  AND eventName IN ('StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors',
                    'DeleteEventDataStore', 'StopEventDataStoreIngestion')
ORDER BY eventTime
