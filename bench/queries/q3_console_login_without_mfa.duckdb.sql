-- 3. ConsoleLogin without MFA (DuckDB). Differs from the trailbook query only where DuckDB's
-- types differ: additionalEventData is a JSON column in DuckDB's table, so the map lookup
-- element_at(additionalEventData, 'MFAUsed') is json_extract_string(..., '$.MFAUsed').
SELECT eventTime, userIdentity.arn, sourceIPAddress
FROM events
WHERE eventName = 'ConsoleLogin'
  AND json_extract_string(additionalEventData, '$.MFAUsed') = 'No'
