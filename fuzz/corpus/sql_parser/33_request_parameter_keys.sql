SELECT eventName, map_keys(requestParameters) AS keys, cardinality(map_values(requestParameters)) AS n
FROM events
WHERE requestParameters IS NOT NULL
  AND contains(map_keys(requestParameters), 'bucketName')
LIMIT 50
