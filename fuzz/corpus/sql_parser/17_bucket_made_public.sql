SELECT eventTime, eventName, userIdentity.arn, element_at(requestParameters, 'bucketName') AS bucket
FROM events
WHERE eventSource = 's3.amazonaws.com'
  AND eventName IN ('PutBucketPolicy', 'PutBucketAcl', 'DeletePublicAccessBlock', 'PutBucketPublicAccessBlock')
  AND (element_at(requestParameters, 'policy') LIKE '%"Principal":"*"%'
       OR element_at(requestParameters, 'AccessControlPolicy') LIKE '%AllUsers%'
       OR eventName = 'DeletePublicAccessBlock')
