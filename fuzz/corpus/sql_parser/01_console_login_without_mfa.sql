-- Successful console sign-ins that did not use MFA.
SELECT eventTime,
       userIdentity.arn AS principal,
       sourceIPAddress,
       element_at(additionalEventData, 'MFAUsed') AS mfa_used
FROM $EDS_ID
WHERE eventName = 'ConsoleLogin'
  AND element_at(additionalEventData, 'MFAUsed') = 'No'
  AND element_at(responseElements, 'ConsoleLogin') = 'Success'
  AND eventTime > '2026-01-01 00:00:00'
ORDER BY eventTime DESC
