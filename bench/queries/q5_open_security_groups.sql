-- 5. Successful AuthorizeSecurityGroupIngress that opened 0.0.0.0/0.
SELECT eventTime, userIdentity.arn, element_at(requestParameters, 'groupId') AS group_id
FROM events
WHERE eventName = 'AuthorizeSecurityGroupIngress'
  AND errorCode IS NULL
  AND element_at(requestParameters, 'ipPermissions') LIKE '%0.0.0.0/0%'
