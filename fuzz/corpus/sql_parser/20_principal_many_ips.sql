-- Principals seen from more than three source addresses in one day (credential theft?).
SELECT userIdentity.accessKeyId AS access_key, date(eventTime) AS day,
       count(DISTINCT sourceIPAddress) AS ips, array_agg(DISTINCT sourceIPAddress) AS addresses
FROM events
WHERE userIdentity.accessKeyId LIKE 'AKIA%'
GROUP BY 1, 2
HAVING count(DISTINCT sourceIPAddress) > 3
