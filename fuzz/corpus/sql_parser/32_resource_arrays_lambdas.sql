SELECT eventName,
       cardinality(resources) AS resource_count,
       transform(resources, r -> r.arn) AS arns,
       filter(resources, r -> r.type = 'AWS::S3::Object') AS objects,
       element_at(resources, 1).arn AS first_arn
FROM events
WHERE cardinality(resources) > 1
  AND any_match(resources, r -> r.accountId <> recipientAccountId)
