SELECT userIdentity.arn FROM events
WHERE eventTime >= now() - INTERVAL '7' DAY
EXCEPT
SELECT userIdentity.arn FROM events
WHERE eventTime BETWEEN now() - INTERVAL '14' DAY AND now() - INTERVAL '7' DAY
