SELECT eventSource,
       count(*) AS total,
       sum(CASE WHEN errorCode IS NOT NULL THEN 1 ELSE 0 END) AS failed,
       round(100.0 * sum(if(errorCode IS NULL, 0, 1)) / count(*), 2) AS error_pct
FROM events
GROUP BY eventSource
HAVING count(*) > 100
ORDER BY error_pct DESC NULLS LAST
