-- Which roles were assumed, using the raw JSON of the response.
SELECT json_extract_scalar(eventJson, '$.responseElements.assumedRoleUser.arn') AS assumed_role,
       json_extract_scalar(eventJson, '$.requestParameters.roleSessionName') AS session_name,
       count(*) AS n
FROM events
WHERE eventName = 'AssumeRole' AND errorCode IS NULL
GROUP BY 1, 2
ORDER BY n DESC
