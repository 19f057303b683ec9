SELECT eventTime, userIdentity.arn,
       element_at(requestParameters, 'functionName') AS function_name,
       element_at(requestParameters, 'role') AS execution_role,
       element_at(requestParameters, 'runtime') AS runtime
FROM events
WHERE eventSource = 'lambda.amazonaws.com'
  AND eventName LIKE 'CreateFunction%'
