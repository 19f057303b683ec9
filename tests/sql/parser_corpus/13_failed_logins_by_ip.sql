SELECT sourceIPAddress, count(*) AS failures, approx_distinct(userIdentity.userName) AS users_tried,
       min(eventTime) AS first_seen, max(eventTime) AS last_seen
FROM events
WHERE eventName = 'ConsoleLogin'
  AND element_at(responseElements, 'ConsoleLogin') = 'Failure'
GROUP BY sourceIPAddress
HAVING count(*) >= 10
ORDER BY failures DESC
