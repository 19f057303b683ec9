SELECT eventTime, eventSource, eventName, userIdentity.arn, awsRegion
FROM events
WHERE (eventSource = 'guardduty.amazonaws.com' AND eventName IN ('DeleteDetector', 'UpdateDetector', 'DisassociateFromMasterAccount'))
   OR (eventSource = 'securityhub.amazonaws.com' AND eventName = 'DisableSecurityHub')
   OR (eventSource = 'config.amazonaws.com' AND eventName LIKE 'Stop%')
