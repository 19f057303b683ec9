-- 5. Successful AuthorizeSecurityGroupIngress that opened 0.0.0.0/0 (DuckDB). requestParameters
-- is a JSON column in DuckDB's table: element_at(m, 'k') on trailbook's map is
-- json_extract_string(m, '$.k') for a scalar and json_extract(m, '$.k') (JSON text) for a
-- nested value. The LIKE searches for a substring of the compact JSON text on both sides.
SELECT eventTime, userIdentity.arn, json_extract_string(requestParameters, '$.groupId') AS group_id
FROM events
WHERE eventName = 'AuthorizeSecurityGroupIngress'
  AND errorCode IS NULL
  AND CAST(json_extract(requestParameters, '$.ipPermissions') AS VARCHAR) LIKE '%0.0.0.0/0%'
