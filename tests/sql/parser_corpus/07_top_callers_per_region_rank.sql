-- The five busiest principals in every region.
SELECT awsRegion, principal, calls
FROM (
  SELECT awsRegion,
         userIdentity.arn AS principal,
         count(*) AS calls,
         rank() OVER (PARTITION BY awsRegion ORDER BY count(*) DESC) AS rnk
  FROM events
  WHERE eventTime > '2026-02-01'
  GROUP BY awsRegion, userIdentity.arn
) ranked
WHERE rnk <= 5
ORDER BY awsRegion, rnk
