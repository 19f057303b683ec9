SELECT userIdentity.sessionContext.sessionIssuer.arn AS role,
       element_at(requestParameters, 'secretId') AS secret,
       count(*) AS reads, max(eventTime) AS last_read
FROM events
WHERE eventSource = 'secretsmanager.amazonaws.com' AND eventName = 'GetSecretValue'
GROUP BY 1, 2
ORDER BY reads DESC
