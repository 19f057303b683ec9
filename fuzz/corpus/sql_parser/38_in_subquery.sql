SELECT eventTime, eventName, sourceIPAddress
FROM events
WHERE sourceIPAddress IN (
  SELECT sourceIPAddress FROM events
  WHERE eventName = 'ConsoleLogin' AND errorCode IS NOT NULL
  GROUP BY sourceIPAddress HAVING count(*) > 20)
  AND eventName NOT IN ('ConsoleLogin', 'GetSigninToken')
