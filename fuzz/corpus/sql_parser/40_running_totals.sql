SELECT day, calls,
       sum(calls) OVER (ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running,
       avg(calls) OVER (ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS weekly_avg,
       count(*) OVER () AS days
FROM (SELECT date(eventTime) AS day, count(*) AS calls FROM events GROUP BY 1) d
ORDER BY day
