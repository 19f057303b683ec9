-- Runbook: everything one principal did in a time window.
SELECT eventTime, eventSource, eventName, errorCode, sourceIPAddress
FROM $EDS_ID
WHERE userIdentity.arn = :principal_arn
  AND eventTime >= from_iso8601_timestamp(:since)
  AND eventTime < from_iso8601_timestamp(:until)
ORDER BY eventTime
LIMIT :max_rows
