SELECT eventTime, userIdentity.accountId AS caller_account, recipientAccountId,
       element_at(requestParameters, 'roleArn') AS role_arn
FROM events
WHERE eventName = 'AssumeRole'
  AND userIdentity.accountId IS DISTINCT FROM recipientAccountId
  AND userIdentity.type <> 'AWSService'
