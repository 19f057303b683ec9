-- 2. Every event from one source IP (about 1,000 rows in the 1M-event data set, seed 1).
SELECT eventTime, eventName, eventSource, userIdentity.arn, awsRegion, errorCode
FROM events
WHERE sourceIPAddress = '195.3.134.181'
