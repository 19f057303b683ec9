-- Principals that both listed buckets and read secrets in the same hour.
SELECT userIdentity.arn, date_trunc('hour', eventTime) FROM events WHERE eventName = 'ListBuckets'
INTERSECT
SELECT userIdentity.arn, date_trunc('hour', eventTime) FROM events WHERE eventName = 'GetSecretValue'
