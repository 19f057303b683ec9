-- 6. Top 5 IAM-user access keys by distinct source IPs.
SELECT userIdentity.accessKeyId, count(DISTINCT sourceIPAddress) AS ips
FROM events
WHERE userIdentity.type = 'IAMUser' AND userIdentity.accessKeyId IS NOT NULL
GROUP BY userIdentity.accessKeyId
ORDER BY ips DESC, userIdentity.accessKeyId
LIMIT 5
