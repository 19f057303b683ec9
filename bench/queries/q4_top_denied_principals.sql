-- 4. Top 10 (arn, eventSource) by AccessDenied / UnauthorizedOperation errors.
SELECT userIdentity.arn, eventSource, count(*) AS n
FROM events
WHERE errorCode IN ('AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation',
                    'Client.UnauthorizedOperation')
GROUP BY userIdentity.arn, eventSource
ORDER BY n DESC, userIdentity.arn, eventSource
LIMIT 10
