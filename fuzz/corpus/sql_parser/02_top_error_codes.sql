-- Most frequent error codes in the last week, by service.
SELECT eventSource, errorCode, count(*) AS errors
FROM <EDS ID>
WHERE errorCode IS NOT NULL
  AND eventTime >= now() - INTERVAL '7' DAY
GROUP BY eventSource, errorCode
ORDER BY errors DESC
LIMIT 20;
