-- 3. ConsoleLogin without MFA.
SELECT eventTime, userIdentity.arn, sourceIPAddress
FROM events
WHERE eventName = 'ConsoleLogin'
  AND element_at(additionalEventData, 'MFAUsed') = 'No'
