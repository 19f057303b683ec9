SELECT to_iso8601(eventTime) AS iso,
       date_format(eventTime, '%Y-%m-%d %H:%i') AS minute,
       from_iso8601_timestamp(json_extract_scalar(eventJson, '$.eventTime')) AS parsed,
       year(eventTime) AS y, month(eventTime) AS m, day(eventTime) AS d,
       hour(eventTime) AS h, day_of_week(eventTime) AS dow,
       TRY_CAST(userIdentity.sessionContext.attributes.creationDate AS timestamp) AS session_start
FROM events
WHERE eventTime > '2026-01-01'
