SELECT eventTime, eventName, r.type AS resource_type, r.arn AS resource_arn
FROM $EDS_ID
CROSS JOIN UNNEST(resources) AS t(r)
WHERE eventSource = 'kms.amazonaws.com'
  AND r.arn LIKE 'arn:aws:kms:%:key/%'
