SELECT userIdentity.arn, count(*) AS calls
FROM events
GROUP BY userIdentity.arn
HAVING count(*) > (SELECT avg(c) * 10 FROM (SELECT count(*) AS c FROM events GROUP BY userIdentity.arn) AS per_principal)
