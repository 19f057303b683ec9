SELECT *
FROM (
  SELECT eventID, eventName, eventTime,
         row_number() OVER (PARTITION BY eventID ORDER BY eventTime DESC) AS rn
  FROM events
) AS x
WHERE rn = 1
