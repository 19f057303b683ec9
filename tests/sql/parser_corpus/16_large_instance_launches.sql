SELECT eventTime, userIdentity.arn, awsRegion,
       element_at(requestParameters, 'instanceType') AS instance_type,
       TRY_CAST(json_extract_scalar(element_at(requestParameters, 'instancesSet'), '$.items[0].maxCount') AS bigint) AS max_count
FROM events
WHERE eventName = 'RunInstances'
  AND regexp_like(element_at(requestParameters, 'instanceType'), '^(p[345]|g[456]|x[12])\.')
