SELECT userAgent, count(*) AS n, arbitrary(userIdentity.arn) AS example_principal
FROM events
WHERE userAgent NOT LIKE '%aws-sdk%'
  AND userAgent NOT LIKE '%aws-cli%'
  AND userAgent NOT LIKE '%.amazonaws.com'
  AND userAgent NOT IN ('console.amazonaws.com', 'AWS Internal')
  AND (lower(userAgent) LIKE '%python-requests%' OR lower(userAgent) LIKE '%curl/%' OR userAgent LIKE '%kali%')
GROUP BY userAgent
ORDER BY n DESC
