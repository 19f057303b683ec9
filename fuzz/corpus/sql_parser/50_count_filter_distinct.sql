SELECT eventSource,
       count(*) FILTER (WHERE errorCode = 'AccessDenied') AS denied,
       count(*) FILTER (WHERE errorCode IS NULL) AS ok,
       count(DISTINCT userIdentity.arn) AS principals
FROM events
GROUP BY eventSource
HAVING count(*) FILTER (WHERE errorCode = 'AccessDenied') > 0
