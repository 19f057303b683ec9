SELECT vpcEndpointId, eventSource, count(*) AS calls
FROM ${EDS_ID}
WHERE vpcEndpointId IS NOT NULL
GROUP BY vpcEndpointId, eventSource
ORDER BY 3 DESC
OFFSET 10
LIMIT 10
