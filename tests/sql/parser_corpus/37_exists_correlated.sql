-- Principals that created an access key and then used it from another address.
SELECT DISTINCT c.userIdentity.arn
FROM events c
WHERE c.eventName = 'CreateAccessKey'
  AND EXISTS (
    SELECT 1 FROM events u
    WHERE u.userIdentity.accessKeyId = json_extract_scalar(element_at(c.responseElements, 'accessKey'), '$.accessKeyId')
      AND u.sourceIPAddress <> c.sourceIPAddress
  )
