SELECT eventTime,
       userIdentity.arn AS created_by,
       json_extract_scalar(element_at(responseElements, 'accessKey'), '$.userName') AS for_user,
       json_extract_scalar(element_at(responseElements, 'accessKey'), '$.accessKeyId') AS key_id
FROM events
WHERE eventName = 'CreateAccessKey' AND errorCode IS NULL
