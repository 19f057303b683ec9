SELECT eventTime, eventName, userIdentity.arn, element_at(requestParameters, 'bucketName') AS bucket,
       element_at(requestParameters, 'key') AS object_key, sourceIPAddress
FROM 0123abcd-0000-1111-2222-333344445555
WHERE eventSource = 's3.amazonaws.com'
  AND eventName IN ('GetObject', 'PutObject', 'DeleteObject')
  AND element_at(requestParameters, 'bucketName') = 'prod-customer-exports'
  AND eventTime BETWEEN '2026-03-01 00:00:00.000' AND '2026-03-08 00:00:00.000'
