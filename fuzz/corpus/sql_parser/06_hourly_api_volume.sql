SELECT date_trunc('hour', eventTime) AS hour, eventSource, count(*) AS calls
FROM events
WHERE eventTime > current_timestamp - INTERVAL '1' DAY
GROUP BY date_trunc('hour', eventTime), eventSource
ORDER BY hour, calls DESC
